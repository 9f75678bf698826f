#include "core/pareto.h"

#include <algorithm>
#include <limits>

#include "core/errors.h"

namespace boex {
namespace {

void check_flags(const Eigen::MatrixXd& Y, const std::vector<bool>& feasible) {
  if (!feasible.empty() && static_cast<Eigen::Index>(feasible.size()) != Y.rows())
    throw InvalidArgument("pareto: " + std::to_string(feasible.size()) + " feasibility flags for " +
                          std::to_string(Y.rows()) + " rows");
}

}  // namespace

bool dominates(const Eigen::Ref<const Eigen::RowVectorXd>& a, const Eigen::Ref<const Eigen::RowVectorXd>& b) {
  bool better = false;
  for (Eigen::Index j = 0; j < a.size(); ++j) {
    if (a(j) < b(j)) return false;
    better = better || a(j) > b(j);
  }
  return better;
}

std::vector<Eigen::Index> pareto_front(const Eigen::MatrixXd& Y, const std::vector<bool>& feasible) {
  check_flags(Y, feasible);
  const Eigen::Index n = Y.rows();
  const auto ok = [&](Eigen::Index i) { return feasible.empty() || feasible[static_cast<std::size_t>(i)]; };
  std::vector<Eigen::Index> out;
  if (Y.cols() == 2) {
    // Monte-Carlo hypervolume acquisitions need the front of every sample: for two objectives a
    // sweep in O(n log n). Best first in the first objective, a row survives when it is the best
    // of its first-objective ties in the second and beats every strictly better first one there.
    std::vector<Eigen::Index> order;
    for (Eigen::Index i = 0; i < n; ++i)
      if (ok(i)) order.push_back(i);
    std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
      return Y(a, 0) != Y(b, 0) ? Y(a, 0) > Y(b, 0) : Y(a, 1) > Y(b, 1);
    });
    double best_before = -std::numeric_limits<double>::infinity();
    for (std::size_t g = 0; g < order.size();) {
      std::size_t end = g;
      while (end < order.size() && Y(order[end], 0) == Y(order[g], 0)) ++end;
      const double top = Y(order[g], 1);  // the best second value among the ties
      for (std::size_t r = g; r < end && Y(order[r], 1) == top; ++r)
        if (top > best_before) out.push_back(order[r]);
      best_before = std::max(best_before, top);
      g = end;
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!ok(i)) continue;
    bool beaten = false;
    for (Eigen::Index j = 0; j < n && !beaten; ++j) beaten = j != i && ok(j) && dominates(Y.row(j), Y.row(i));
    if (!beaten) out.push_back(i);
  }
  return out;
}

std::vector<int> pareto_ranks(const Eigen::MatrixXd& Y, const std::vector<bool>& feasible) {
  check_flags(Y, feasible);
  const Eigen::Index n = Y.rows();
  const auto ok = [&](Eigen::Index i) { return feasible.empty() || feasible[static_cast<std::size_t>(i)]; };
  // Deb et al.'s fast non-dominated sort: O(n^2 k), ample for a study's trials.
  std::vector<std::vector<Eigen::Index>> beats(static_cast<std::size_t>(n));
  std::vector<int> beaten_by(static_cast<std::size_t>(n), 0), rank(static_cast<std::size_t>(n), -1);
  std::vector<Eigen::Index> current;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!ok(i)) continue;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j || !ok(j)) continue;
      if (dominates(Y.row(i), Y.row(j))) beats[static_cast<std::size_t>(i)].push_back(j);
      else if (dominates(Y.row(j), Y.row(i))) ++beaten_by[static_cast<std::size_t>(i)];
    }
    if (beaten_by[static_cast<std::size_t>(i)] == 0) current.push_back(i);
  }
  for (int level = 0; !current.empty(); ++level) {
    std::vector<Eigen::Index> next;
    for (Eigen::Index i : current) {
      rank[static_cast<std::size_t>(i)] = level;
      for (Eigen::Index j : beats[static_cast<std::size_t>(i)])
        if (--beaten_by[static_cast<std::size_t>(j)] == 0) next.push_back(j);
    }
    current.swap(next);
  }
  return rank;
}

}  // namespace boex
