#include "engine/feasibility_search.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/errors.h"
#include "core/rng.h"
#include "core/sobol.h"

namespace boex {

void FeasibilitySearchOptions::validate() const {
  if (candidates < 1) throw InvalidArgument("FeasibilitySearchOptions::candidates must be at least 1");
  if (!(min_length > 0.0 && min_length <= initial_length && initial_length <= max_length))
    throw InvalidArgument("FeasibilitySearchOptions needs 0 < min_length <= initial_length <= max_length");
  if (success_tolerance < 1) throw InvalidArgument("FeasibilitySearchOptions::success_tolerance must be at least 1");
  if (failure_tolerance < 0) throw InvalidArgument("FeasibilitySearchOptions::failure_tolerance must be >= 0");
}

double feasibility_trust_region_length(const Eigen::VectorXd& violation, int n_init, int dimension,
                                       const FeasibilitySearchOptions& options) {
  const int failure_tolerance = options.failure_tolerance > 0 ? options.failure_tolerance : std::max(4, dimension);
  double length = options.initial_length;
  double best = INFINITY;
  int successes = 0, failures = 0;
  for (Eigen::Index i = 0; i < violation.size(); ++i) {
    if (i >= n_init) {
      // TuRBO's rule: an improvement must be more than a sliver to count.
      if (violation(i) < best - 1e-3 * std::abs(best)) {
        ++successes;
        failures = 0;
      } else {
        ++failures;
        successes = 0;
      }
      if (successes == options.success_tolerance) {
        length = std::min(2.0 * length, options.max_length);
        successes = 0;
      } else if (failures == failure_tolerance) {
        length /= 2.0;
        failures = 0;
      }
      if (length < options.min_length) length = options.initial_length;
    }
    best = std::min(best, violation(i));
  }
  return length;
}

namespace {

// Space-filling candidates in the box; in high dimensions only about 20 coordinates of each move
// away from the centre, as in TuRBO, so the candidates stay local.
Eigen::MatrixXd box_candidates(const SearchSpace& space, const Eigen::VectorXd& center, double length, int count,
                               std::uint64_t seed) {
  const int d = space.dimension();
  const Eigen::MatrixXd u = sobol_points(count, d, mix_seed(seed, 501));
  Rng rng(mix_seed(seed, 502));
  const double move_probability = std::min(1.0, 20.0 / d);
  Eigen::MatrixXd candidates(count, d);
  for (int i = 0; i < count; ++i) {
    Eigen::VectorXd x = center;
    auto move = [&](int c) {
      const double lo = std::max(0.0, center(c) - length / 2), hi = std::min(1.0, center(c) + length / 2);
      x(c) = lo + (hi - lo) * u(i, c);
    };
    bool moved = false;
    for (int c = 0; c < d; ++c) {
      if (move_probability < 1.0 && rng.uniform() >= move_probability) continue;
      move(c);
      moved = true;
    }
    if (!moved) move(static_cast<int>(rng.uniform() * d) % d);
    candidates.row(i) = space.project(x).transpose();
  }
  return candidates;
}

// The pool's untaken points in the box, a seeded subset of `count` when more lie there (the
// constraint models are sampled jointly over the candidates); the `count` nearest to the centre
// when none does. Empty when every pool point is taken.
template <class Avoided>
Eigen::MatrixXd pool_candidates(const FeasibilitySearchInputs& in, const Eigen::VectorXd& center, double length, int count,
                                const Avoided& is_avoided) {
  std::vector<std::pair<double, Eigen::Index>> free;  // (max-norm distance to the centre, row)
  for (Eigen::Index i = 0; i < in.pool.rows(); ++i)
    if (!is_avoided(in.pool.row(i).transpose()))
      free.push_back({(in.pool.row(i).transpose() - center).cwiseAbs().maxCoeff(), i});
  std::vector<Eigen::Index> chosen;
  for (const auto& [distance, i] : free)
    if (distance <= length / 2) chosen.push_back(i);
  if (chosen.empty()) {
    std::sort(free.begin(), free.end());
    for (std::size_t k = 0; k < free.size() && static_cast<int>(k) < count; ++k) chosen.push_back(free[k].second);
  } else if (static_cast<int>(chosen.size()) > count) {
    Rng rng(mix_seed(in.seed, 503));
    for (int k = 0; k < count; ++k)  // a partial Fisher-Yates shuffle
      std::swap(chosen[static_cast<std::size_t>(k)], chosen[static_cast<std::size_t>(k) + rng.index(chosen.size() - k)]);
    chosen.resize(static_cast<std::size_t>(count));
  }
  Eigen::MatrixXd out(static_cast<Eigen::Index>(chosen.size()), in.pool.cols());
  for (std::size_t k = 0; k < chosen.size(); ++k) out.row(static_cast<Eigen::Index>(k)) = in.pool.row(chosen[k]);
  return out;
}

}  // namespace

Eigen::VectorXd search_feasibility(const FeasibilitySearchInputs& in, const FeasibilitySearchOptions& options) {
  const SearchSpace& space = *in.space;
  const int d = space.dimension();
  Eigen::Index least = 0;
  in.violation.minCoeff(&least);
  const Eigen::VectorXd center = in.X.row(least).transpose();
  const double length = feasibility_trust_region_length(in.violation, in.n_init, d, options);

  auto is_avoided = [&](const Eigen::VectorXd& x) {
    for (Eigen::Index r = 0; r < in.avoid.rows(); ++r)
      if ((in.avoid.row(r).transpose() - x).cwiseAbs().maxCoeff() <= in.duplicate_tolerance) return true;
    return false;
  };
  const Eigen::MatrixXd candidates =
      in.pool.rows() > 0 ? pool_candidates(in, center, length, options.candidates, is_avoided)
                         : box_candidates(space, center, length, options.candidates, in.seed);
  if (candidates.rows() == 0) return in.pool.row(0).transpose();  // the whole pool is taken

  // One joint posterior sample per constraint model; the violation of the sample is what counts.
  Eigen::VectorXd sampled_violation = Eigen::VectorXd::Zero(candidates.rows());
  for (std::size_t k = 0; k < in.constraints.size(); ++k) {
    const Surrogate& model = *in.constraints[k];
    const Eigen::MatrixXd z = sobol_normal(1, static_cast<int>(candidates.rows()), mix_seed(in.seed, 600 + k));
    if (model.capabilities().joint) {
      sampled_violation += model.posterior(candidates).samples(z).row(0).transpose().cwiseMax(0.0);
    } else {
      // A model without a joint posterior (a PFN, a BNN): independent draws from each candidate's
      // marginal, moment-matched; the draw does not follow one function, but still trades the
      // mean violation against its uncertainty the way Thompson sampling does.
      Eigen::VectorXd mean, variance;
      model.predict(candidates, &mean, &variance);
      sampled_violation += (mean.array() + variance.array().sqrt() * z.row(0).transpose().array()).cwiseMax(0.0).matrix();
    }
  }
  Eigen::VectorXd objective_mean = Eigen::VectorXd::Zero(candidates.rows());
  if (in.objective) in.objective->predict(candidates, &objective_mean, nullptr);

  std::optional<Eigen::Index> best;
  for (Eigen::Index i = 0; i < candidates.rows(); ++i) {
    if (is_avoided(candidates.row(i).transpose())) continue;
    // Smallest sampled violation; among candidates feasible in the sample, the best objective mean.
    if (!best || sampled_violation(i) < sampled_violation(*best) ||
        (sampled_violation(i) == sampled_violation(*best) && objective_mean(i) > objective_mean(*best)))
      best = i;
  }
  return candidates.row(best.value_or(0)).transpose();
}

}  // namespace boex
