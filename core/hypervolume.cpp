#include "core/hypervolume.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/errors.h"
#include "core/pareto.h"

namespace boex {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The non-dominated rows of Y that exceed the reference in every objective.
Eigen::MatrixXd relevant_front(const Eigen::MatrixXd& Y, const Eigen::VectorXd& reference) {
  if (Y.cols() != reference.size())
    throw InvalidArgument("hypervolume: points have " + std::to_string(Y.cols()) + " objectives, the reference " +
                          std::to_string(reference.size()));
  if (!reference.allFinite()) throw InvalidArgument("hypervolume: the reference point must be finite");
  std::vector<bool> above(static_cast<std::size_t>(Y.rows()));
  for (Eigen::Index i = 0; i < Y.rows(); ++i) {
    if (!Y.row(i).allFinite()) throw InvalidArgument("hypervolume: objective values must be finite");
    above[static_cast<std::size_t>(i)] = (Y.row(i).transpose().array() > reference.array()).all();
  }
  const std::vector<Eigen::Index> front = pareto_front(Y, above);
  Eigen::MatrixXd out(static_cast<Eigen::Index>(front.size()), Y.cols());
  for (std::size_t r = 0; r < front.size(); ++r) out.row(static_cast<Eigen::Index>(r)) = Y.row(front[r]);
  return out;
}

// Walks the grid of the front's coordinates in the first k - 1 objectives (each grid starting at
// the reference and ending at +infinity) and hands each cell's bounds and the best last-objective
// value of the points dominating the whole cell (the reference's where none does) to `visit`.
// Every coordinate of a point is a grid line, so a point dominates a cell either whole or not at
// all: the region is exactly partitioned.
template <class Visit>
void for_each_cell(const Eigen::MatrixXd& P, const Eigen::VectorXd& reference, Visit visit) {
  const Eigen::Index k = P.cols(), dims = k - 1;
  std::vector<std::vector<double>> grid(static_cast<std::size_t>(dims));
  for (Eigen::Index j = 0; j < dims; ++j) {
    std::vector<double>& g = grid[static_cast<std::size_t>(j)];
    g.push_back(reference(j));
    for (Eigen::Index i = 0; i < P.rows(); ++i) g.push_back(P(i, j));
    std::sort(g.begin(), g.end());
    g.erase(std::unique(g.begin(), g.end()), g.end());
    g.push_back(kInf);
  }
  std::vector<std::size_t> cell(static_cast<std::size_t>(dims), 0);
  Eigen::VectorXd lower(dims), upper(dims);
  while (true) {
    for (Eigen::Index j = 0; j < dims; ++j) {
      lower(j) = grid[static_cast<std::size_t>(j)][cell[static_cast<std::size_t>(j)]];
      upper(j) = grid[static_cast<std::size_t>(j)][cell[static_cast<std::size_t>(j)] + 1];
    }
    double height = reference(dims);
    for (Eigen::Index i = 0; i < P.rows(); ++i)
      if ((P.row(i).head(dims).transpose().array() >= upper.array()).all()) height = std::max(height, P(i, dims));
    visit(lower, upper, height);
    Eigen::Index j = 0;
    for (; j < dims; ++j) {
      std::size_t& c = cell[static_cast<std::size_t>(j)];
      if (++c + 1 < grid[static_cast<std::size_t>(j)].size()) break;
      c = 0;
    }
    if (j == dims) return;
  }
}

}  // namespace

double hypervolume(const Eigen::MatrixXd& Y, const Eigen::VectorXd& reference) {
  const Eigen::MatrixXd P = relevant_front(Y, reference);
  if (P.rows() == 0) return 0.0;
  const Eigen::Index k = P.cols();
  if (k == 1) return P(0, 0) - reference(0);
  if (k == 2) {
    // Sorted by the first objective, best first, the front's second objective rises: each point
    // adds the strip between its first coordinate and the next point's.
    std::vector<Eigen::Index> order(static_cast<std::size_t>(P.rows()));
    for (Eigen::Index i = 0; i < P.rows(); ++i) order[static_cast<std::size_t>(i)] = i;
    std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return P(a, 0) > P(b, 0); });
    double volume = 0.0;
    for (std::size_t r = 0; r < order.size(); ++r) {
      const double next = r + 1 < order.size() ? P(order[r + 1], 0) : reference(0);
      volume += (P(order[r], 0) - next) * (P(order[r], 1) - reference(1));
    }
    return volume;
  }
  double volume = 0.0;
  for_each_cell(P, reference, [&](const Eigen::VectorXd& lower, const Eigen::VectorXd& upper, double height) {
    if (std::isinf(upper.maxCoeff())) return;
    volume += (upper - lower).prod() * (height - reference(k - 1));
  });
  return volume;
}

std::vector<HyperBox> improvement_boxes(const Eigen::MatrixXd& Y, const Eigen::VectorXd& reference) {
  const Eigen::MatrixXd P = relevant_front(Y, reference);
  const Eigen::Index k = P.cols();
  std::vector<HyperBox> boxes;
  if (k == 1) {
    const double floor = P.rows() > 0 ? P(0, 0) : reference(0);
    boxes.push_back({Eigen::VectorXd::Constant(1, floor), Eigen::VectorXd::Constant(1, kInf)});
    return boxes;
  }
  for_each_cell(P, reference, [&](const Eigen::VectorXd& lower, const Eigen::VectorXd& upper, double height) {
    HyperBox b{Eigen::VectorXd(k), Eigen::VectorXd(k)};
    b.lower << lower, height;
    b.upper << upper, kInf;
    boxes.push_back(std::move(b));
  });
  return boxes;
}

double hypervolume_improvement(const Eigen::VectorXd& y, const std::vector<HyperBox>& boxes) {
  double volume = 0.0;
  for (const HyperBox& b : boxes)
    volume += (y.cwiseMin(b.upper) - b.lower).cwiseMax(0.0).prod();
  return volume;
}

Eigen::VectorXd infer_reference_point(const Eigen::MatrixXd& front) {
  if (front.rows() == 0) throw InvalidArgument("infer_reference_point needs at least one point");
  const Eigen::VectorXd worst = front.colwise().minCoeff().transpose();
  Eigen::VectorXd range = front.colwise().maxCoeff().transpose() - worst;
  for (Eigen::Index j = 0; j < range.size(); ++j)
    if (!(range(j) > 0)) range(j) = std::abs(worst(j)) > 0 ? std::abs(worst(j)) : 1.0;
  return worst - 0.1 * range;
}

}  // namespace boex
