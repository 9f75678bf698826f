#include <catch2/catch.hpp>
#include <cmath>

#include "core/rng.h"
#include "core/sobol.h"
#include "support/gradient_check.h"
#include "surrogates/exact_gp.h"
#include "surrogates/input_warped_kernel.h"
#include "surrogates/matern52_kernel.h"

using namespace boex;
using boex::testing::finite_difference_gradient;
using boex::testing::gradient_error;

namespace {

// Sized for d inputs, at concentrations far from the identity (a in 0.3..3, b likewise).
std::unique_ptr<InputWarpedKernel> warped_kernel(int d) {
  auto k = std::make_unique<InputWarpedKernel>(std::make_unique<Matern52Kernel>(KernelOptions()));
  k->resize(d);
  Eigen::VectorXd theta = k->hyperparameters();
  Rng rng(11);
  for (Eigen::Index i = 0; i < theta.size(); ++i) theta(i) = i < d ? std::log(0.3 + 0.4 * rng.uniform()) : rng.uniform(-1.2, 1.1);
  k->set_hyperparameters(theta);
  return k;
}

}  // namespace

TEST_CASE("the Kumaraswamy warp maps [0, 1] onto itself increasingly, with exact derivatives", "[kernel][input_warping]") {
  for (const double a : {0.2, 1.0, 3.5})
    for (const double b : {0.3, 1.0, 6.0}) {
      INFO("a " << a << " b " << b);
      const double eps = 1e-7;
      CHECK(InputWarpedKernel::warp(0.0, a, b, nullptr, nullptr, nullptr) < InputWarpedKernel::warp(0.01, a, b, nullptr, nullptr, nullptr));
      CHECK(InputWarpedKernel::warp(1.0, a, b, nullptr, nullptr, nullptr) > InputWarpedKernel::warp(0.93, a, b, nullptr, nullptr, nullptr));
      CHECK(InputWarpedKernel::warp(0.0, a, b, nullptr, nullptr, nullptr) > 0);
      CHECK(InputWarpedKernel::warp(1.0, a, b, nullptr, nullptr, nullptr) <= 1);
      for (const double x : {0.0, 0.01, 0.2, 0.5, 0.93, 1.0}) {
        double dx, da, db;
        const double w = InputWarpedKernel::warp(x, a, b, &dx, &da, &db);
        // The closed form CDF of Kumaraswamy(a, b) at the point mapped into [eps, 1 - eps].
        const double u = eps + (1 - 2 * eps) * x;
        CHECK(w == Approx(1 - std::pow(1 - std::pow(u, a), b)).epsilon(1e-9).margin(1e-15));
        if (x == 0.0 || x == 1.0) continue;
        CHECK(dx > 0);
        const double h = 1e-6;
        CHECK(dx == Approx((InputWarpedKernel::warp(x + h, a, b, nullptr, nullptr, nullptr) -
                            InputWarpedKernel::warp(x - h, a, b, nullptr, nullptr, nullptr)) / (2 * h)).epsilon(1e-5).margin(1e-9));
        CHECK(da == Approx((InputWarpedKernel::warp(x, a * std::exp(h), b, nullptr, nullptr, nullptr) -
                            InputWarpedKernel::warp(x, a * std::exp(-h), b, nullptr, nullptr, nullptr)) / (2 * h))
                        .epsilon(1e-5).margin(1e-9));
        CHECK(db == Approx((InputWarpedKernel::warp(x, a, b * std::exp(h), nullptr, nullptr, nullptr) -
                            InputWarpedKernel::warp(x, a, b * std::exp(-h), nullptr, nullptr, nullptr)) / (2 * h))
                        .epsilon(1e-5).margin(1e-9));
      }
    }
  // a = b = 1 is the identity (up to the affine map into [eps, 1 - eps]).
  CHECK(InputWarpedKernel::warp(0.37, 1.0, 1.0, nullptr, nullptr, nullptr) == Approx(0.37).epsilon(1e-6));
}

TEST_CASE("the warped kernel's gradient in its concentrations equals finite differences away from the identity",
          "[kernel][input_warping]") {
  const auto k = warped_kernel(3);
  const Eigen::MatrixXd X = sobol_points(9, 3, 19);
  Rng rng(2);
  Eigen::MatrixXd G(9, 9);
  for (Eigen::Index i = 0; i < G.size(); ++i) G.data()[i] = rng.normal();
  G = (G + G.transpose()).eval();  // as the marginal likelihood's gradient makes it
  std::unique_ptr<GramGradient> dK;
  const Eigen::MatrixXd K = k->gram(X, k->hyperparameters(), &dK);
  CHECK((K - k->matrix(X, X)).cwiseAbs().maxCoeff() < 1e-12);
  const auto numeric = finite_difference_gradient(
      [&](const Eigen::VectorXd& theta) { return k->gram(X, theta, nullptr).cwiseProduct(G).sum(); }, k->hyperparameters());
  CHECK(gradient_error(dK->contract(G), numeric) < 1e-6);
  Eigen::VectorXd prior_gradient;
  k->log_prior(k->hyperparameters(), &prior_gradient);
  CHECK(gradient_error(prior_gradient, finite_difference_gradient([&](const Eigen::VectorXd& t) { return k->log_prior(t, nullptr); },
                                                                  k->hyperparameters())) < 1e-6);
  // (Input gradients: kernel_test.cpp checks every registered kernel, this one included.)
}

TEST_CASE("input warping lets a GP model a function that changes fast near a boundary", "[exact_gp][input_warping]") {
  // sin(8 x1^(1/4)) + x2: most of x1's variation lies in its first few per cent (a log-like scale
  // the parameterisation does not declare).
  const auto f = [](const Eigen::RowVectorXd& x) { return std::sin(8 * std::pow(x(0), 0.25)) + x(1); };
  const Eigen::MatrixXd X = sobol_points(30, 2, 3), T = sobol_points(300, 2, 4);
  Eigen::VectorXd y(30), truth(300);
  for (int i = 0; i < 30; ++i) y(i) = f(X.row(i));
  for (int i = 0; i < 300; ++i) truth(i) = f(T.row(i));
  ExactGP::Options warped_options;
  warped_options.kernel = "warped-matern52";
  ExactGP plain, warped(warped_options);
  plain.fit(X, y);
  warped.fit(X, y);
  Eigen::VectorXd m_plain, m_warped;
  plain.predict(T, &m_plain, nullptr);
  warped.predict(T, &m_warped, nullptr);
  const double rmse_plain = std::sqrt((m_plain - truth).squaredNorm() / 300);
  const double rmse_warped = std::sqrt((m_warped - truth).squaredNorm() / 300);
  const Eigen::VectorXd theta = warped.hyperparameters().kernel;
  INFO("held-out RMSE plain " << rmse_plain << ", warped " << rmse_warped << "; a1 " << std::exp(theta(2)) << " b1 "
                              << std::exp(theta(4)));
  CHECK(rmse_warped < 0.7 * rmse_plain);
  // The warp stretches the start of x1: a_1 < 1 (a concave CDF near 0).
  CHECK(std::exp(theta(2)) < 0.8);
}
