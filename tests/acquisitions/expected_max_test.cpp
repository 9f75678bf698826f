#include <catch2/catch.hpp>
#include <cmath>

#include "acquisitions/expected_max.h"
#include "core/normal.h"
#include "core/rng.h"
#include "support/quadrature.h"

using namespace boex;
using boex::testing::expected_max_quadrature;

namespace {

double increment(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return std::exp(expected_max_affine(a, b, false).log_increment);
}

}  // namespace

TEST_CASE("two lines give |b2 - b1| h(-|a1 - a2| / |b2 - b1|)", "[expected_max]") {
  const Eigen::Vector2d a(0.3, -0.2), b(0.5, 1.7);
  CHECK(increment(a, b) == Approx(1.2 * normal::h(-0.5 / 1.2)).epsilon(1e-13));
}

TEST_CASE("a random 8-line case matches quadrature", "[expected_max]") {
  Rng rng(5);
  Eigen::VectorXd a(8), b(8);
  for (int i = 0; i < 8; ++i) {
    a(i) = rng.normal();
    b(i) = 2 * rng.normal();
  }
  CHECK(increment(a, b) + a.maxCoeff() == Approx(expected_max_quadrature(a, b)).epsilon(1e-10));
}

TEST_CASE("equal slopes give no increment and dominated lines change nothing", "[expected_max]") {
  CHECK(expected_max_affine(Eigen::Vector3d(1, 2, 3), Eigen::Vector3d(0.5, 0.5, 0.5), false).log_increment == -INFINITY);
  const Eigen::Vector3d a(0.0, 1.0, 0.0), b(-1.0, 0.0, 1.0);
  Eigen::Vector4d a2, b2;
  a2 << a, -5.0;  // far below the envelope everywhere it could matter
  b2 << b, 0.2;
  CHECK(increment(a2, b2) == Approx(increment(a, b)).epsilon(1e-14));
}

TEST_CASE("the envelope weights are the derivatives of E[max]", "[expected_max]") {
  Rng rng(9);
  Eigen::VectorXd a(6), b(6);
  for (int i = 0; i < 6; ++i) {
    a(i) = rng.normal();
    b(i) = rng.normal();
  }
  const ExpectedMax e = expected_max_affine(a, b, true);
  CHECK(e.probability.sum() == Approx(1.0).epsilon(1e-12));
  auto value = [](const Eigen::VectorXd& aa, const Eigen::VectorXd& bb) { return increment(aa, bb) + aa.maxCoeff(); };
  for (int i = 0; i < 6; ++i) {
    const double h = 1e-6;
    Eigen::VectorXd ap = a, am = a, bp = b, bm = b;
    ap(i) += h;
    am(i) -= h;
    bp(i) += h;
    bm(i) -= h;
    CHECK(e.probability(i) == Approx((value(ap, b) - value(am, b)) / (2 * h)).margin(1e-7));
    CHECK(e.slope(i) == Approx((value(a, bp) - value(a, bm)) / (2 * h)).margin(1e-7));
  }
}
