// Bayesian optimisation of several objectives (history.Y): after the initial design, one GP per
// objective and per black-box constraint, then either qLogNEHVI (gp-qlognehvi: expected
// hypervolume improvement over the baseline's sampled Pareto fronts, batches built greedily with
// pending points in the baseline) or ParEGO (gp-parego: each point maximises LogEI of a random
// augmented Chebyshev scalarisation of the objectives, fitted as one objective by gp-logei).
// On a single-objective study both reduce to their one-objective forms.
#pragma once

#include <string>

#include "engine/model_strategy.h"
#include "engine/strategy.h"

namespace boex {

class MultiObjectiveStrategy final : public Strategy {
 public:
  enum class Method { kQLogNehvi, kParEgo };
  // ParEGO's weight on the sum of the weighted objectives (Knowles 2006: 0.05), which makes the
  // Chebyshev scalarisation's maximisers Pareto-optimal rather than only weakly so.
  static constexpr double kParEgoRho = 0.05;

  // `settings`: those of ModelStrategy for the "gp" surrogate; qLogNEHVI uses its surrogate,
  // acquisition.mc_samples and optimizer fields, ParEGO hands all of them to gp-logei.
  MultiObjectiveStrategy(Method method, ModelStrategy::Settings settings);
  std::string name() const override { return method_ == Method::kQLogNehvi ? "gp-qlognehvi" : "gp-parego"; }
  std::vector<Eigen::VectorXd> suggest(const SuggestRequest& request) const override;
  std::unique_ptr<PreparedSuggestion> prepare(const SuggestRequest& request) const override;
  std::vector<Eigen::VectorXd> choose(const SuggestRequest& request, const PreparedSuggestion* prepared) const override;
  bool supports_multi_objective() const override { return true; }
  bool supports_composite() const override { return false; }

  // ParEGO's scalarisation of Y (n x k, maximising), each objective first scaled to [0, 1] by its
  // observed range: min_j w_j y_j + rho sum_j w_j y_j, larger is better.
  static Eigen::VectorXd chebyshev(const Eigen::MatrixXd& Y, const Eigen::VectorXd& weights);
  // Weights uniform on the simplex (a flat Dirichlet), from `seed`.
  static Eigen::VectorXd random_weights(int k, std::uint64_t seed);

 private:
  struct Prepared;
  std::vector<Eigen::VectorXd> choose_parego(const SuggestRequest& request) const;

  Method method_;
  ModelStrategy::Settings settings_;
};

}  // namespace boex
