#include <algorithm>

#include "engine/strategy.h"

namespace boex {

int default_n_init(const SearchSpace& space) {
  return std::max(5, std::min(2 * static_cast<int>(space.size()), 20));
}

std::vector<Eigen::VectorXd> sobol_design(const SearchSpace& space, std::uint64_t seed, std::int64_t start,
                                          int count) {
  const Eigen::MatrixXd points = space.sobol(count, seed, static_cast<std::uint64_t>(start));
  std::vector<Eigen::VectorXd> out;
  for (int i = 0; i < count; ++i) out.push_back(points.row(i).transpose());
  return out;
}

std::optional<Eigen::Index> Strategy::recommend(const SuggestRequest& request) const {
  const History& h = request.history;
  std::optional<Eigen::Index> best;
  for (Eigen::Index i = 0; i < h.y.size(); ++i)
    if (h.feasible(i) && (!best || h.y(i) > h.y(*best))) best = i;
  return best;
}

std::optional<TargetRecommendation> Strategy::recommend_at_target(const SuggestRequest&) const { return std::nullopt; }

}  // namespace boex
