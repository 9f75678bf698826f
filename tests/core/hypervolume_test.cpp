#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/hypervolume.h"
#include "core/rng.h"

using namespace boex;

namespace {

Eigen::MatrixXd rows(std::initializer_list<std::initializer_list<double>> values) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(values.size()), static_cast<Eigen::Index>(values.begin()->size()));
  Eigen::Index i = 0;
  for (const auto& r : values) {
    Eigen::Index j = 0;
    for (double v : r) out(i, j++) = v;
    ++i;
  }
  return out;
}

// Independent truth: inclusion-exclusion over every subset (the intersection of boxes
// [reference, p] is [reference, min p]).
double inclusion_exclusion(const Eigen::MatrixXd& Y, const Eigen::VectorXd& reference) {
  const int n = static_cast<int>(Y.rows());
  double volume = 0.0;
  for (unsigned mask = 1; mask < (1u << n); ++mask) {
    Eigen::VectorXd corner = Eigen::VectorXd::Constant(Y.cols(), INFINITY);
    int size = 0;
    for (int i = 0; i < n; ++i)
      if (mask & (1u << i)) corner = corner.cwiseMin(Y.row(i).transpose()), ++size;
    volume += (size % 2 ? 1.0 : -1.0) * (corner - reference).cwiseMax(0.0).prod();
  }
  return volume;
}

Eigen::MatrixXd random_points(int n, int k, std::uint64_t seed) {
  Rng rng(seed);
  Eigen::MatrixXd Y(n, k);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < k; ++j) Y(i, j) = rng.uniform() * 2.0 - 0.2;  // some below the reference
  return Y;
}

}  // namespace

TEST_CASE("hypervolume of a hand-computed 2-objective staircase ignores dominated points and points below the reference",
          "[hypervolume]") {
  const Eigen::VectorXd r = Eigen::Vector2d(0, 0);
  // [0,1]x[0,3] u [0,2]x[0,2] u [0,3]x[0,1]: 3 + 2 + 1 = 6.
  CHECK(hypervolume(rows({{1, 3}, {2, 2}, {3, 1}}), r) == Approx(6.0));
  CHECK(hypervolume(rows({{1, 3}, {2, 2}, {3, 1}, {1, 1}, {-1, 5}, {2, 2}}), r) == Approx(6.0));
  // A shifted reference: [1,2]x[0.5,2] u [1,3]x[0.5,1] = 1.5 + 1 - 0.5 (their overlap) = 2 (the
  // point (1, 3) adds nothing).
  CHECK(hypervolume(rows({{1, 3}, {2, 2}, {3, 1}}), Eigen::Vector2d(1, 0.5)) == Approx(2.0));
  CHECK(hypervolume(rows({{-1, 3}}), r) == 0.0);
}

TEST_CASE("hypervolume of hand-computed 3-objective fronts", "[hypervolume]") {
  const Eigen::VectorXd r = Eigen::Vector3d::Zero();
  CHECK(hypervolume(rows({{1, 1, 1}}), r) == Approx(1.0));
  // Three boxes of volume 2 pairwise sharing the unit cube: 6 - 3 + 1 = 4.
  CHECK(hypervolume(rows({{2, 1, 1}, {1, 2, 1}, {1, 1, 2}}), r) == Approx(4.0));
  // Three boxes of volume 3: 9 - 3 + 1 = 7; the dominated (1, 1, 1) changes nothing.
  CHECK(hypervolume(rows({{3, 1, 1}, {1, 3, 1}, {1, 1, 3}, {1, 1, 1}}), r) == Approx(7.0));
  // A step: [0,2]x[0,2]x[0,1] u [0,1]x[0,1]x[0,3] = 4 + 3 - 1 = 6.
  CHECK(hypervolume(rows({{2, 2, 1}, {1, 1, 3}}), r) == Approx(6.0));
}

TEST_CASE("hypervolume equals inclusion-exclusion on random sets of 2, 3 and 4 objectives", "[hypervolume]") {
  for (int k : {2, 3, 4})
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      const Eigen::MatrixXd Y = random_points(8, k, seed * 31 + static_cast<std::uint64_t>(k));
      const Eigen::VectorXd r = Eigen::VectorXd::Zero(k);
      CHECK(hypervolume(Y, r) == Approx(inclusion_exclusion(Y, r)).margin(1e-12));
    }
}

TEST_CASE("improvement boxes give HV(P with y) - HV(P) for any y", "[hypervolume]") {
  for (int k : {1, 2, 3}) {
    const Eigen::MatrixXd P = random_points(6, k, 7 + static_cast<std::uint64_t>(k));
    const Eigen::VectorXd r = Eigen::VectorXd::Constant(k, 0.1);
    const std::vector<HyperBox> boxes = improvement_boxes(P, r);
    const Eigen::MatrixXd candidates = random_points(30, k, 99 + static_cast<std::uint64_t>(k));
    for (Eigen::Index i = 0; i < candidates.rows(); ++i) {
      Eigen::MatrixXd with(P.rows() + 1, k);
      with << P, candidates.row(i);
      const double truth = hypervolume(with, r) - hypervolume(P, r);
      CHECK(hypervolume_improvement(candidates.row(i).transpose(), boxes) == Approx(truth).margin(1e-12));
    }
  }
  // An empty front: the whole box [reference, y].
  const std::vector<HyperBox> empty = improvement_boxes(Eigen::MatrixXd(0, 2), Eigen::Vector2d(0, 0));
  CHECK(hypervolume_improvement(Eigen::Vector2d(2, 3), empty) == Approx(6.0));
}

TEST_CASE("hypervolume refuses mismatched or non-finite input", "[hypervolume]") {
  CHECK_THROWS_AS(hypervolume(rows({{1, 2}}), Eigen::Vector3d::Zero()), InvalidArgument);
  CHECK_THROWS_AS(hypervolume(rows({{1, NAN}}), Eigen::Vector2d::Zero()), InvalidArgument);
  CHECK_THROWS_AS(infer_reference_point(Eigen::MatrixXd(0, 2)), InvalidArgument);
}

TEST_CASE("inferred reference point lies 10 % of the front's range below its worst values", "[hypervolume]") {
  const Eigen::VectorXd r = infer_reference_point(rows({{1, 3}, {2, 2}, {3, 1}}));
  CHECK(r(0) == Approx(0.8));
  CHECK(r(1) == Approx(0.8));
  const Eigen::VectorXd single = infer_reference_point(rows({{5, 0}}));
  CHECK(single(0) == Approx(4.5));
  CHECK(single(1) == Approx(-0.1));
}
