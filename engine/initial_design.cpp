#include <algorithm>
#include <functional>
#include <numeric>
#include <set>

#include "core/rng.h"
#include "engine/strategy.h"

namespace boex {

int default_n_init(const SearchSpace& space) {
  return std::max(5, std::min(2 * static_cast<int>(space.size()), 20));
}

std::vector<Eigen::VectorXd> shared_batch(const SearchSpace& space, int count,
                                          const std::function<Eigen::MatrixXd(const SearchSpace&, int, int)>& draw) {
  std::vector<Eigen::VectorXd> out;
  const bool shared = count > 1 && !space.constraints().batch_shared.empty();
  const Eigen::MatrixXd first = draw(space, shared ? 1 : count, 0);
  for (Eigen::Index i = 0; i < first.rows(); ++i) out.push_back(first.row(i).transpose());
  if (!shared) return out;
  const Eigen::MatrixXd rest = draw(space.sharing_batch_values(out.front()), count - 1, 1);
  for (Eigen::Index i = 0; i < rest.rows(); ++i) out.push_back(rest.row(i).transpose());
  return out;
}

std::vector<Eigen::VectorXd> sobol_design(const SearchSpace& space, std::uint64_t seed, std::int64_t start,
                                          int count) {
  return shared_batch(space, count, [&](const SearchSpace& s, int n, int offset) {
    return s.sobol(n, seed, static_cast<std::uint64_t>(start + offset));
  });
}

std::vector<Eigen::VectorXd> initial_design(const SuggestRequest& request) {
  const Eigen::MatrixXd& pool = request.candidates;
  const History& h = request.history;
  if (pool.rows() == 0) return sobol_design(*request.space, request.study_seed, h.num_trials, request.count);
  std::set<std::vector<double>> used;
  for (const Eigen::MatrixXd* m : {&h.X, &h.X_pending, &h.X_failed})
    for (Eigen::Index i = 0; i < m->rows(); ++i) {
      const Eigen::VectorXd row = m->row(i).transpose();  // (rows of a column-major matrix are strided)
      used.insert(std::vector<double>(row.data(), row.data() + row.size()));
    }
  // A partial Fisher-Yates shuffle of the pool's rows, seeded per ask; used rows go last.
  Rng rng(mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials) ^ 0x9001u));
  std::vector<Eigen::Index> order(static_cast<std::size_t>(pool.rows()));
  std::iota(order.begin(), order.end(), 0);
  std::vector<Eigen::VectorXd> out, spare;
  for (std::size_t k = 0; k < order.size() && static_cast<int>(out.size()) < request.count; ++k) {
    std::swap(order[k], order[k + rng.index(order.size() - k)]);
    const Eigen::VectorXd x = pool.row(order[k]).transpose();
    (used.count(std::vector<double>(x.data(), x.data() + x.size())) ? spare : out).push_back(x);
  }
  for (std::size_t k = 0; static_cast<int>(out.size()) < request.count && !spare.empty(); ++k)
    out.push_back(spare[k % spare.size()]);
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

std::unique_ptr<ChoiceAhead> Strategy::choose_ahead(const SuggestRequest& request, const PreparedSuggestion* prepared) const {
  auto ahead = std::make_unique<ChoiceAhead>();
  ahead->points = choose(request, prepared);
  return ahead;
}

}  // namespace boex
