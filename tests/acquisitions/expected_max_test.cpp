#include <catch2/catch.hpp>
#include <cmath>
#include <functional>

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

// Central differences of f(a, b) in a_i and in b_i.
struct Partials {
  double da, db;
};
Partials central(const std::function<double(const Eigen::VectorXd&, const Eigen::VectorXd&)>& f,
                 const Eigen::VectorXd& a, const Eigen::VectorXd& b, Eigen::Index i, double h) {
  Eigen::VectorXd ap = a, am = a, bp = b, bm = b;
  ap(i) += h;
  am(i) -= h;
  bp(i) += h;
  bm(i) -= h;
  return {(f(ap, b) - f(am, b)) / (2 * h), (f(a, bp) - f(a, bm)) / (2 * h)};
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
    const Partials numeric = central(value, a, b, i, 1e-6);
    CHECK(e.probability(i) == Approx(numeric.da).margin(1e-7));
    CHECK(e.slope(i) == Approx(numeric.db).margin(1e-7));
  }
}

TEST_CASE("the log-space weights are the derivatives of log_increment, also where the increment underflows",
          "[expected_max]") {
  Rng rng(4);
  Eigen::VectorXd random_a(6), random_b(6);
  for (int i = 0; i < 6; ++i) {
    random_a(i) = rng.normal();
    random_b(i) = rng.normal();
  }
  // Three kept lines whose crossings lie 80 and 100 slopes out: the increment is about e^-3200.
  Eigen::VectorXd far_a(4), far_b(4);
  far_a << 0.0, -80.0, -200.0, -300.0;
  far_b << 0.0, 1.0, 2.2, 0.5;
  for (const bool far : {false, true}) {
    const Eigen::VectorXd a = far ? far_a : random_a, b = far ? far_b : random_b;
    const ExpectedMax e = expected_max_affine(a, b, true);
    INFO("log increment " << e.log_increment);
    REQUIRE(std::isfinite(e.log_increment));
    if (far) REQUIRE(e.log_increment < -745);  // exp() of it is 0 in double
    auto log_inc = [](const Eigen::VectorXd& aa, const Eigen::VectorXd& bb) { return expected_max_affine(aa, bb, false).log_increment; };
    for (Eigen::Index i = 0; i < a.size(); ++i) {
      const Partials numeric = central(log_inc, a, b, i, 1e-7);
      CHECK(e.dlog_increment_da(i) == Approx(numeric.da).epsilon(1e-5).margin(1e-6));
      CHECK(e.dlog_increment_db(i) == Approx(numeric.db).epsilon(1e-5).margin(1e-6));
    }
  }
}
