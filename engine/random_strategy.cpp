#include "engine/random_strategy.h"

#include "core/rng.h"

namespace boex {

std::vector<Eigen::VectorXd> RandomStrategy::suggest(const SuggestRequest& request) const {
  if (request.candidates.rows() > 0) return initial_design(request);
  const std::uint64_t seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(request.history.num_trials));
  const SearchSpace& space = *request.space;
  if (space.constrained() || !space.constraints().batch_shared.empty())
    return shared_batch(space, request.count, [seed](const SearchSpace& s, int n, int offset) {
      return s.random(n, mix_seed(seed, static_cast<std::uint64_t>(offset)));
    });
  Rng rng(seed);
  std::vector<Eigen::VectorXd> out;
  for (int i = 0; i < request.count; ++i) {
    Eigen::VectorXd x(request.space->dimension());
    for (Eigen::Index j = 0; j < x.size(); ++j) x(j) = rng.uniform();
    out.push_back(request.space->project(x));
  }
  return out;
}

std::vector<Eigen::VectorXd> SobolStrategy::suggest(const SuggestRequest& request) const {
  return initial_design(request);
}

}  // namespace boex
