// Finds where an acquisition is largest. Three kinds, one interface: MixedOptimizer (continuous and
// mixed spaces: Sobol samples, L-BFGS, discrete moves), GameOptimizer (combinatorial spaces: GameOpt's
// games over sites) and PoolOptimizer (a finite pool of allowed points, scored exhaustively).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "acquisitions/acquisition.h"

namespace boex {

class AcquisitionOptimizer {
 public:
  struct Candidate {
    Eigen::VectorXd x;  // encoded, feasible (ints on the grid, one-hot categoricals, codes of letters)
    double value = 0.0;
  };

  struct Request {
    std::uint64_t seed = 0;  // every random choice of the search
    int count = 1;           // points wanted
    // Rows never returned while any other candidate is left (pending, measured and failed trials).
    Eigen::MatrixXd avoid;
    // Points worth starting from, best first (the incumbent); may be empty.
    Eigen::MatrixXd starts;
  };

  struct Result {
    std::vector<Candidate> points;  // up to `count`, distinct, best first
    int evaluations = 0;            // of the acquisition
    // Fewer than `count` points outside `avoid` were found (a small space or pool used up): the
    // rest of `points` are avoided ones, best first.
    bool exhausted = false;
  };

  virtual ~AcquisitionOptimizer() = default;
  // Throws InvalidArgument when the request's rows do not have the space's dimension.
  virtual Result maximize(const Acquisition& acq, const Request& request) const = 0;
  // True when one call yields a whole batch from one acquisition (GameOpt's top q of its games);
  // false when a strategy should ask for one point at a time, conditioning its model in between.
  virtual bool batch() const { return false; }
};

}  // namespace boex
