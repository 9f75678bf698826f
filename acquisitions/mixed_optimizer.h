// The acquisition optimiser of continuous and mixed spaces: scrambled-Sobol raw samples,
// Boltzmann-chosen starts (BoTorch's initializer), then bounded L-BFGS on the continuous columns
// alternated with discrete moves on int, categorical and sequence parameters, so mixed spaces are
// searched properly rather than by rounding a relaxed optimum.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "acquisitions/acquisition_optimizer.h"
#include "core/lbfgs.h"
#include "core/search_space.h"

namespace boex {

class MixedOptimizer final : public AcquisitionOptimizer {
 public:
  struct Options {
    // Sobol points scored to choose the starts (BoTorch: 512 to 1024).
    int raw_samples = 512;
    // Local searches started from the best raw samples (BoTorch: 10 to 20).
    int num_restarts = 10;
    // Objective evaluations per L-BFGS run.
    int max_evaluations = 200;
    // Alternations of continuous L-BFGS and discrete moves per start (mixed spaces).
    int max_discrete_rounds = 8;
    // Candidates closer than this (max-norm in the cube) to a point to avoid count as the same.
    double duplicate_tolerance = 1e-6;
    // Run the starts' L-BFGS searches as one problem over all of them (the sum of their values;
    // BoTorch's batched gen_candidates_scipy), each step's values and gradients from one batched
    // call: for models whose batch costs about one point's (a PFN's forward and backward pass).
    // Continuous spaces without input constraints; others search start by start.
    bool joint_local_search = false;

    void validate() const;
    template <class Visitor>
    void visit(Visitor& v) {
      v("raw_samples", raw_samples);
      v("num_restarts", num_restarts);
      v("max_evaluations", max_evaluations);
      v("max_discrete_rounds", max_discrete_rounds);
      v("duplicate_tolerance", duplicate_tolerance);
      v("joint_local_search", joint_local_search);
    }
  };

  struct SearchResult {
    Candidate best;
    int evaluations = 0;
    // True when every local optimum was a point to avoid, and the best raw sample was taken.
    bool fell_back_to_raw = false;
    // True when every candidate was a point to avoid (a small discrete space used up); `best`
    // is then the best of them.
    bool exhausted = false;
    // The search's other local optima, then its best raw samples (best first, outside `avoid`,
    // `best` not among them): what rescore() picks from when the acquisition changes a little.
    std::vector<Candidate> alternatives;
  };

  MixedOptimizer(const SearchSpace& space, Options options);
  explicit MixedOptimizer(const SearchSpace& space);

  // Maximises acq. Points in `avoid` (rows, encoded; e.g. pending trials) are never returned while
  // any other candidate exists. `seed` drives the raw samples and the choice of starts.
  SearchResult maximize(const Acquisition& acq, std::uint64_t seed, const Eigen::MatrixXd& avoid = Eigen::MatrixXd()) const;
  // The best of `candidates` under `acq` (e.g. an earlier search's best and alternatives, after
  // the model was conditioned on new points) that is not in `avoid`: no search, one evaluation
  // each. nullopt when every candidate is avoided.
  std::optional<Candidate> rescore(const Acquisition& acq, const std::vector<Eigen::VectorXd>& candidates,
                                   const Eigen::MatrixXd& avoid) const;
  // The interface: the best request.count distinct local optima outside request.avoid
  // (request.starts are not used).
  Result maximize(const Acquisition& acq, const Request& request) const override;

 private:
  struct Search {
    std::vector<Candidate> local_optima;  // best first
    Eigen::MatrixXd raw;
    Eigen::VectorXd raw_values;
    int evaluations = 0;
  };
  Search search(const Acquisition& acq, std::uint64_t seed, const Eigen::MatrixXd& avoid) const;
  Candidate local_search(const Acquisition& acq, Eigen::VectorXd x, int* evaluations) const;
  // Options::joint_local_search: the local optima from all `starts` (rows of raw) at once.
  std::vector<Candidate> joint_local_search(const Acquisition& acq, const Eigen::MatrixXd& raw,
                                            const std::vector<int>& starts, int* evaluations) const;
  bool discrete_step(const Acquisition& acq, Eigen::VectorXd& x, double& value, int* evaluations) const;
  double optimize_continuous(const Acquisition& acq, Eigen::VectorXd& x, int* evaluations) const;
  // optimize_continuous in a space with input constraints (SLSQP on x's feasible face).
  double optimize_on_face(const Acquisition& acq, const Objective& negative, Eigen::VectorXd& x,
                          const Eigen::VectorXd& z, const LbfgsOptions& lbfgs, int* evaluations) const;
  std::vector<int> choose_starts(const Eigen::VectorXd& values, std::uint64_t seed) const;
  bool is_avoided(const Eigen::VectorXd& x, const Eigen::MatrixXd& avoid) const;
  std::vector<int> raw_order(const Search& found) const;  // raw samples, best first

  const SearchSpace& space_;
  Options options_;
};

}  // namespace boex
