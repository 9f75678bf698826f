#include "engine/random_strategy.h"

#include "core/rng.h"

namespace boex {

std::vector<Eigen::VectorXd> RandomStrategy::suggest(const SuggestRequest& request) const {
  Rng rng(mix_seed(request.study_seed, static_cast<std::uint64_t>(request.history.num_trials)));
  std::vector<Eigen::VectorXd> out;
  for (int i = 0; i < request.count; ++i) {
    Eigen::VectorXd x(request.space->dimension());
    for (Eigen::Index j = 0; j < x.size(); ++j) x(j) = rng.uniform();
    out.push_back(request.space->project(x));
  }
  return out;
}

std::vector<Eigen::VectorXd> SobolStrategy::suggest(const SuggestRequest& request) const {
  return sobol_design(*request.space, request.study_seed, request.history.num_trials, request.count);
}

}  // namespace boex
