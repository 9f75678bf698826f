#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

#include "acquisitions/expected_max.h"
#include "core/normal.h"
#include "core/rng.h"

using namespace boex;

namespace {

// E[max_i a_i + b_i Z] by composite Simpson quadrature on [-12, 12], split at every crossing of
// two lines so that each piece is smooth (Simpson is then accurate to ~1e-13).
double quadrature(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  std::vector<double> cuts = {-12.0, 12.0};
  for (Eigen::Index i = 0; i < a.size(); ++i)
    for (Eigen::Index j = 0; j < i; ++j)
      if (b(i) != b(j)) {
        const double z = (a(j) - a(i)) / (b(i) - b(j));
        if (z > -12 && z < 12) cuts.push_back(z);
      }
  std::sort(cuts.begin(), cuts.end());
  double total = 0;
  for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
    const int n = 2000;
    const double lo = cuts[c], h = (cuts[c + 1] - lo) / n;
    double sum = 0;
    for (int i = 0; i <= n; ++i) {
      const double z = lo + i * h, w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
      sum += w * (a + b * z).maxCoeff() * normal::pdf(z);
    }
    total += sum * h / 3;
  }
  return total;
}

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
  CHECK(increment(a, b) + a.maxCoeff() == Approx(quadrature(a, b)).epsilon(1e-10));
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
