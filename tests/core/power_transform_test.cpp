#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/power_transform.h"
#include "core/rng.h"

using namespace boex;

namespace {

Eigen::VectorXd skewed_sample(std::uint64_t seed, int n, double shift) {
  Rng rng(seed);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) y(i) = std::exp(0.8 * rng.normal()) + shift;  // log-normal, right-skewed
  return y;
}

PowerTransform::Options family(PowerFamily f) {
  PowerTransform::Options o;
  o.family = f;
  return o;
}

}  // namespace

TEST_CASE("Yeo-Johnson and Box-Cox round-trip through their inverses, logarithmic limits included", "[power]") {
  for (double lambda : {-2.5, -1.0, -1e-14, 0.0, 0.5, 1.0, 1.7, 2.0, 2.0 + 1e-14, 2.8}) {
    INFO("lambda = " << lambda);
    for (double z : {-5.0, -1.0, -1e-8, 0.0, 1e-8, 0.3, 4.0}) {
      const double u = PowerTransform::psi(PowerFamily::kYeoJohnson, z, lambda);
      CHECK(PowerTransform::psi_inverse(PowerFamily::kYeoJohnson, u, lambda) == Approx(z).margin(1e-12));
    }
    for (double z : {0.05, 0.5, 1.0, 3.0, 20.0}) {
      const double u = PowerTransform::psi(PowerFamily::kBoxCox, z, lambda);
      // Near z = 0 with lambda > 1, u sits next to the range edge -1/lambda: 1 + lambda u cancels.
      CHECK(PowerTransform::psi_inverse(PowerFamily::kBoxCox, u, lambda) == Approx(z).epsilon(1e-9));
    }
  }
  // Yeo-Johnson at lambda = 1 is the identity; Box-Cox at lambda = 0 is the logarithm.
  CHECK(PowerTransform::psi(PowerFamily::kYeoJohnson, -0.7, 1.0) == Approx(-0.7));
  CHECK(PowerTransform::psi(PowerFamily::kBoxCox, 5.0, 0.0) == Approx(std::log(5.0)));
  // Beyond the range of a bounded transform the inverse is the limit at its edge.
  CHECK(PowerTransform::psi_inverse(PowerFamily::kYeoJohnson, 2.0, -1.0) == INFINITY);
  CHECK(PowerTransform::psi_inverse(PowerFamily::kYeoJohnson, -2.0, 3.0) == -INFINITY);

  const Eigen::VectorXd y = skewed_sample(1, 40, -1.5);
  const PowerTransform t = PowerTransform::fit(y);
  CHECK((t.inverse(t.transform(y)) - y).cwiseAbs().maxCoeff() < 1e-12);
  const Eigen::VectorXd yp = skewed_sample(2, 40, 0.0);
  const PowerTransform b = PowerTransform::fit(yp, family(PowerFamily::kBoxCox));
  CHECK((b.inverse(b.transform(yp)) - yp).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("the ML lambda maximises the profile likelihood found by a fine grid search", "[power]") {
  for (const PowerFamily f : {PowerFamily::kYeoJohnson, PowerFamily::kBoxCox}) {
    for (std::uint64_t seed : {3, 4, 5}) {
      const Eigen::VectorXd y = skewed_sample(seed, 30, f == PowerFamily::kBoxCox ? 0.0 : -2.0);
      const PowerTransform t = PowerTransform::fit(y, family(f));
      // The data the family sees: standardised for Yeo-Johnson, raw for Box-Cox.
      const Eigen::VectorXd z = f == PowerFamily::kBoxCox
                                    ? y
                                    : Eigen::VectorXd((y.array() - y.mean()) / std::sqrt((y.array() - y.mean()).square().mean()));
      double best = -INFINITY, arg = 0;
      for (double lambda = -3; lambda <= 3; lambda += 1e-4) {
        const double l = PowerTransform::profile_log_likelihood(f, z, lambda);
        if (l > best) best = l, arg = lambda;
      }
      INFO("family " << static_cast<int>(f) << " seed " << seed);
      CHECK(t.lambda() == Approx(arg).margin(2e-4));
      CHECK(PowerTransform::profile_log_likelihood(f, z, t.lambda()) >= best - 1e-9);
      // Right-skewed data is pulled in by a lambda below 1.
      CHECK(t.lambda() < 1.0);
    }
  }
}

TEST_CASE("the profile likelihood is the data's own log density: Jacobian included (finite differences)", "[power]") {
  const Eigen::VectorXd z = skewed_sample(6, 25, -1.0);
  for (const double lambda : {-0.5, 0.4, 1.3}) {
    // Gaussian log-likelihood of psi(z) at its ML mean and variance, plus ln d psi / dz taken by
    // central differences of psi: the density of z, not of psi(z).
    Eigen::VectorXd u(z.size());
    double log_jacobian = 0;
    for (Eigen::Index i = 0; i < z.size(); ++i) {
      u(i) = PowerTransform::psi(PowerFamily::kYeoJohnson, z(i), lambda);
      const double h = 1e-6;
      const double slope = (PowerTransform::psi(PowerFamily::kYeoJohnson, z(i) + h, lambda) -
                            PowerTransform::psi(PowerFamily::kYeoJohnson, z(i) - h, lambda)) / (2 * h);
      CHECK(PowerTransform::psi_derivative(PowerFamily::kYeoJohnson, z(i), lambda) == Approx(slope).epsilon(1e-7));
      log_jacobian += std::log(slope);
    }
    const double mu = u.mean(), var = (u.array() - mu).square().mean();
    double gaussian = 0;
    for (Eigen::Index i = 0; i < z.size(); ++i) gaussian += -0.5 * std::log(2 * M_PI * var) - 0.5 * std::pow(u(i) - mu, 2) / var;
    INFO("lambda = " << lambda);
    CHECK(PowerTransform::profile_log_likelihood(PowerFamily::kYeoJohnson, z, lambda) ==
          Approx(gaussian + log_jacobian).epsilon(1e-8));
  }
  // With the Jacobian, N(psi(z); mu, s^2) psi'(z) is a density in z: it integrates to one.
  const double lambda = 0.4, mu = 0.3, s = 0.8;
  double integral = 0;
  const double a = -60, b = 60, h = 1e-3;
  for (double zz = a; zz < b; zz += h) {
    const double mid = zz + 0.5 * h;
    const double u = PowerTransform::psi(PowerFamily::kYeoJohnson, mid, lambda);
    integral += h * std::exp(-0.5 * std::pow((u - mu) / s, 2)) / (s * std::sqrt(2 * M_PI)) *
                PowerTransform::psi_derivative(PowerFamily::kYeoJohnson, mid, lambda);
  }
  CHECK(integral == Approx(1.0).epsilon(1e-4));
}

TEST_CASE("a fitted transform standardises its output and its derivative matches finite differences", "[power]") {
  const Eigen::VectorXd y = 100.0 * skewed_sample(7, 50, -1.2);  // units must not matter
  const PowerTransform t = PowerTransform::fit(y);
  const Eigen::VectorXd out = t.transform(y);
  CHECK(std::abs(out.mean()) < 1e-12);
  CHECK(std::sqrt((out.array() - out.mean()).square().mean()) == Approx(1.0));
  // Scale invariance of the Yeo-Johnson fit (input standardised first).
  CHECK(PowerTransform::fit(y / 100.0).lambda() == Approx(t.lambda()).margin(1e-6));
  double log_jacobian = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double h = 1e-5 * std::max(1.0, std::abs(y(i)));
    const double numeric = (t.transform(y(i) + h) - t.transform(y(i) - h)) / (2 * h);
    CHECK(t.derivative(y(i)) == Approx(numeric).epsilon(1e-6));
    CHECK(t.derivative(y(i)) > 0);
    log_jacobian += std::log(numeric);
  }
  CHECK(t.log_jacobian(y) == Approx(log_jacobian).epsilon(1e-6));
  // Monotone: order is kept, so the incumbent stays the incumbent.
  Eigen::Index a, b;
  y.maxCoeff(&a);
  out.maxCoeff(&b);
  CHECK(a == b);
}

TEST_CASE("power transform: constant data is only centred, bad data is refused", "[power]") {
  const PowerTransform t = PowerTransform::fit(Eigen::VectorXd::Constant(5, 3.0));
  CHECK(t.lambda() == 1.0);
  CHECK(t.transform(3.0) == Approx(0.0).margin(1e-15));
  CHECK(t.inverse(t.transform(4.5)) == Approx(4.5));
  CHECK(PowerTransform::fit(Eigen::VectorXd::Constant(1, -2.0)).transform(-2.0) == Approx(0.0).margin(1e-15));
  CHECK_THROWS_AS(PowerTransform::fit(Eigen::VectorXd()), InvalidArgument);
  CHECK_THROWS_AS(PowerTransform::fit(Eigen::Vector3d(1, NAN, 2)), InvalidArgument);
  CHECK_THROWS_WITH(PowerTransform::fit(Eigen::Vector3d(1, -1, 2), family(PowerFamily::kBoxCox)),
                    Catch::Matchers::Contains("positive"));
  PowerTransform::Options bad;
  bad.lambda_min = 2;
  bad.lambda_max = 1;
  CHECK_THROWS_WITH(PowerTransform::fit(Eigen::Vector3d(1, 2, 3), bad), Catch::Matchers::Contains("lambda_min"));
}
