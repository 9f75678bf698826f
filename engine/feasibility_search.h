// How a constrained study looks for its first feasible point: SCBO's trust region (Eriksson and
// Poloczek, 2021). Thompson samples of the constraint models pick, among candidates in a box
// around the least-violating observation, the one with the smallest sampled violation; the box
// shrinks after repeated failures to reduce the violation and grows after repeated successes.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "core/search_space.h"
#include "surrogates/surrogate.h"

namespace boex {

struct FeasibilitySearchOptions {
  int candidates = 512;            // Thompson-sampling candidates, all inside the trust region
  double initial_length = 0.8;     // the box's side in the unit cube, before any step
  double min_length = 0.0078125;   // 0.5^7: below it the box starts again at initial_length
  double max_length = 1.6;
  int success_tolerance = 3;       // consecutive improvements that double the side
  int failure_tolerance = 0;       // consecutive non-improvements that halve it; 0: max(4, d)

  void validate() const;  // throws InvalidArgument naming the field
  template <class Visitor>
  void visit(Visitor& v) {
    v("candidates", candidates);
    v("initial_length", initial_length);
    v("min_length", min_length);
    v("max_length", max_length);
    v("success_tolerance", success_tolerance);
    v("failure_tolerance", failure_tolerance);
  }
};

// The trust region's side after the observed violations (in trial order): the first `n_init` are
// the design, each later one a step. Replayed from the history rather than stored, so a resumed
// study is in the same state as an uninterrupted one.
double feasibility_trust_region_length(const Eigen::VectorXd& violation, int n_init, int dimension,
                                       const FeasibilitySearchOptions& options);

struct FeasibilitySearchInputs {
  const SearchSpace* space = nullptr;
  // Models of the constraints (any monotone transform that keeps the sign of c) and of the
  // objective (maximised), for ties among candidates that are feasible in the sample.
  std::vector<const Surrogate*> constraints;
  const Surrogate* objective = nullptr;
  Eigen::MatrixXd X;          // complete trials, encoded, in trial order
  Eigen::VectorXd violation;  // their total violation (on the models' scale)
  int n_init = 1;
  Eigen::MatrixXd avoid;             // points never to return (pending, done, failed)
  // A candidate pool (encoded rows; empty: the whole space): the search then picks among the
  // pool's points in the trust region, or the nearest ones to its centre when none lies inside.
  Eigen::MatrixXd pool;
  double duplicate_tolerance = 1e-9;  // max-norm distance that counts as the same point
  std::uint64_t seed = 0;
};

// The next point to try; the least-violating observation's neighbourhood is always non-empty, so
// this returns a point even when every candidate is in `avoid` (the first candidate, or the pool's
// first point, then).
Eigen::VectorXd search_feasibility(const FeasibilitySearchInputs& inputs, const FeasibilitySearchOptions& options);

}  // namespace boex
