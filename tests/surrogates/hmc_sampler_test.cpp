// HMC against a closed form: Bayesian linear regression's Gaussian posterior.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/rng.h"
#include "surrogates/hmc_sampler.h"

using namespace boex;

TEST_CASE("HMC on Bayesian linear regression matches the closed-form posterior mean and covariance", "[hmc]") {
  // y = X w + e, e ~ N(0, s2), prior w ~ N(0, v I): posterior N(m, S) with
  // S = (X^T X / s2 + I / v)^-1 and m = S X^T y / s2.
  const int n = 30, d = 3;
  const double s2 = 0.25, v = 2.0;
  Rng rng(7);
  Eigen::MatrixXd X(n, d);
  Eigen::VectorXd y(n);
  const Eigen::Vector3d w_true(0.8, -1.2, 0.3);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) X(i, j) = rng.normal();
    y(i) = X.row(i).dot(w_true) + std::sqrt(s2) * rng.normal();
  }
  const Eigen::MatrixXd precision = X.transpose() * X / s2 + Eigen::MatrixXd::Identity(d, d) / v;
  const Eigen::MatrixXd S = precision.inverse();
  const Eigen::VectorXd m = S * X.transpose() * y / s2;
  const LogDensity log_density = [&](const Eigen::VectorXd& w, Eigen::VectorXd* gradient) {
    const Eigen::VectorXd r = y - X * w;
    *gradient = X.transpose() * r / s2 - w / v;
    return -0.5 * r.squaredNorm() / s2 - 0.5 * w.squaredNorm() / v;
  };
  HmcOptions options;
  options.burn_in = 500;
  options.samples = 20000;
  options.keep_every = 1;
  options.path_length = 1.0;  // long paths mix in a few steps; the BNN's default is MALA-like
  options.initial_step = 0.05;
  options.seed = 3;
  const HmcResult chain = run_hmc(log_density, Eigen::VectorXd::Zero(d), options);
  REQUIRE(chain.samples.rows() == 20000);
  const Eigen::VectorXd mean = chain.samples.colwise().mean();
  const Eigen::MatrixXd centred = chain.samples.rowwise() - mean.transpose();
  const Eigen::MatrixXd covariance = centred.transpose() * centred / (chain.samples.rows() - 1.0);
  // Monte-Carlo error of the mean: sd / sqrt(effective size); HMC samples here are close to
  // independent, so allow 5 sd / sqrt(N / 4). The covariance to within 10 % of its scale.
  for (int j = 0; j < d; ++j) {
    INFO("coordinate " << j);
    CHECK(std::abs(mean(j) - m(j)) < 5.0 * std::sqrt(S(j, j) / (20000 / 4.0)));
  }
  CHECK((covariance - S).cwiseAbs().maxCoeff() < 0.1 * S.diagonal().maxCoeff());
  CHECK(chain.acceptance > 0.6);
  CHECK(chain.acceptance < 0.99);
}

// ln N(x; 0, I) up to a constant, and its gradient.
static double standard_normal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) {
  *gradient = -x;
  return -0.5 * x.squaredNorm();
}

TEST_CASE("HMC's dual averaging tunes the step size towards the target acceptance", "[hmc]") {
  // A standard normal in 20 dimensions, started with a step far too large.
  HmcOptions options;
  options.initial_step = 3.0;
  options.path_length = 0.01;
  options.seed = 1;
  const HmcResult chain = run_hmc(standard_normal, Eigen::VectorXd::Zero(20), options);
  CHECK(chain.step_size < 3.0);
  CHECK(chain.acceptance == Approx(0.8).margin(0.12));
}

TEST_CASE("HMC is deterministic given its seed and refuses bad options", "[hmc]") {
  HmcOptions options;
  options.burn_in = 20;
  options.samples = 50;
  options.seed = 9;
  const auto a = run_hmc(standard_normal, Eigen::VectorXd::Ones(4), options);
  const auto b = run_hmc(standard_normal, Eigen::VectorXd::Ones(4), options);
  CHECK(a.samples == b.samples);
  options.keep_every = 0;
  CHECK_THROWS_WITH(run_hmc(standard_normal, Eigen::VectorXd::Ones(4), options), Catch::Matchers::Contains("keep_every"));
  options.keep_every = 1;
  const LogDensity broken = [](const Eigen::VectorXd&, Eigen::VectorXd* gradient) {
    gradient->setZero(4);
    return NAN;
  };
  CHECK_THROWS_AS(run_hmc(broken, Eigen::VectorXd::Ones(4), options), NumericalError);
}
