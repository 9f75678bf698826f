#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/rng.h"
#include "core/sobol.h"
#include "support/gradient_check.h"
#include "surrogates/exact_gp.h"

using namespace boex;
using boex::testing::finite_difference_gradient;
using boex::testing::gradient_error;

namespace {

double toy(const Eigen::VectorXd& x) { return std::sin(6 * x(0)) + x(1) * x(1) - 0.5 * x(0) * x(1); }

void toy_data(int n, Eigen::MatrixXd* X, Eigen::VectorXd* y, std::uint64_t seed = 3) {
  *X = sobol_points(n, 2, seed);
  y->resize(n);
  for (int i = 0; i < n; ++i) (*y)(i) = toy(X->row(i).transpose());
}

ExactGP::Options with_kernel(const std::string& kernel) {
  ExactGP::Options o;
  o.kernel = kernel;
  return o;
}

}  // namespace

TEST_CASE("the MAP objective's gradient matches finite differences", "[exact_gp]") {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  toy_data(12, &X, &y);
  for (const std::string& kernel : kernel_names()) {
    for (bool known_noise : {false, true}) {
      INFO(kernel << (known_noise ? " known noise" : " learned noise"));
      ExactGP gp(with_kernel(kernel));
      ExactGP::Hyperparameters h;
      // The kernel's own coordinates for d = 2: two log lengthscales first (ibnn: its two
      // variances), then any further ones (warped kernels' log concentrations) away from 0.
      const auto sized = make_kernel(kernel);
      sized->resize(2);
      h.kernel = Eigen::VectorXd::LinSpaced(sized->num_hyperparameters(), -0.4, 0.5);
      h.kernel.head(2) = Eigen::Vector2d(0.3, 0.8).array().log();
      // Fidelity kernels (design parts' hyperparameters, then their own): off their prior mode.
      if (sized->models_fidelity()) h.kernel = sized->prior_mode().array() + 0.1;
      h.noise_variance = 0.01;
      h.constant_mean = 0.2;
      gp.condition(X, y, h, known_noise ? Eigen::VectorXd::Constant(12, 0.02) : Eigen::VectorXd());
      const Eigen::VectorXd u = gp.pack(h);
      Eigen::VectorXd analytic;
      gp.objective(u, &analytic);
      const auto numeric = finite_difference_gradient([&](const Eigen::VectorXd& v) { return gp.objective(v, nullptr); }, u);
      CHECK(gradient_error(analytic, numeric) < 1e-6);
    }
  }
}

TEST_CASE("with one observation the likelihood is N(y; c, 1 + noise) plus the priors", "[exact_gp]") {
  ExactGP gp(with_kernel("rbf"));
  ExactGP::Hyperparameters h;
  h.kernel = Eigen::VectorXd::Constant(1, std::log(0.4));
  h.noise_variance = 0.3;
  h.constant_mean = 0.7;
  gp.condition(Eigen::MatrixXd::Constant(1, 1, 0.5), Eigen::VectorXd::Constant(1, 2.0), h);
  // One point: standardisation centres y to 0 and keeps unit scale.
  const double lml = -0.5 * 0.7 * 0.7 / 1.3 - 0.5 * std::log(1.3) - 0.5 * std::log(2 * M_PI);
  CHECK(gp.log_marginal_likelihood() == Approx(lml).epsilon(1e-12));
  const double prior = dimension_scaled_lengthscale_prior(1).log_density(std::log(0.4)) +
                       default_noise_prior().log_density(std::log(0.3));
  CHECK(gp.objective(gp.pack(h), nullptr) == Approx(lml + prior).epsilon(1e-12));
}

TEST_CASE("the dimension-scaled lengthscale prior has its mode at 0.20479 sqrt(d)", "[exact_gp][priors]") {
  CHECK(dimension_scaled_lengthscale_prior(1).mode() == Approx(0.20479).epsilon(1e-4));
  CHECK(dimension_scaled_lengthscale_prior(9).mode() == Approx(0.20479 * 3).epsilon(1e-4));
}

TEST_CASE("at low noise the posterior interpolates the data", "[exact_gp]") {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  toy_data(10, &X, &y);
  ExactGP gp;
  ExactGP::Hyperparameters h;
  h.kernel = Eigen::VectorXd::Constant(2, std::log(0.3));
  h.noise_variance = 1e-8;
  gp.condition(X, y, h);
  Eigen::VectorXd mean, variance;
  gp.predict(X, &mean, &variance);
  CHECK((mean - y).cwiseAbs().maxCoeff() < 1e-4);
  CHECK(variance.maxCoeff() < 1e-5 * gp.output_scale() * gp.output_scale());
  // Far from the data the posterior returns to the prior: mean c, variance 1, in data units.
  Eigen::MatrixXd far = Eigen::MatrixXd::Constant(1, 2, 50.0);
  gp.predict(far, &mean, &variance);
  CHECK(variance(0) == Approx(gp.output_scale() * gp.output_scale()).epsilon(1e-9));
  CHECK(mean(0) == Approx(gp.output_mean()).epsilon(1e-9));
}

TEST_CASE("fitting raises the MAP objective above the prior-mode start and predicts a held-out point",
          "[exact_gp]") {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  toy_data(30, &X, &y);
  ExactGP gp;
  const auto summary = gp.fit(X, y);
  CHECK_FALSE(summary.fell_back);
  ExactGP::Hyperparameters mode;
  mode.kernel = Eigen::VectorXd::Constant(2, std::log(dimension_scaled_lengthscale_prior(2).mode()));
  mode.noise_variance = std::exp(-5.0);
  CHECK(summary.objective > gp.objective(gp.pack(mode), nullptr));
  Eigen::VectorXd mean, variance;
  const Eigen::MatrixXd test = sobol_points(20, 2, 777);
  gp.predict(test, &mean, &variance);
  for (int i = 0; i < 20; ++i) CHECK(std::abs(mean(i) - toy(test.row(i).transpose())) < 4 * std::sqrt(variance(i)) + 0.05);
}

TEST_CASE("predict_with_gradient agrees with predict and with finite differences", "[exact_gp]") {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  toy_data(15, &X, &y);
  for (const std::string& kernel : kernel_names()) {
    ExactGP gp(with_kernel(kernel));
    gp.fit(X, y);
    const Eigen::Vector2d x(0.31, 0.62);
    double m = 0, v = 0;
    Eigen::VectorXd dm, dv;
    gp.predict_with_gradient(x, &m, &v, &dm, &dv);
    Eigen::VectorXd mean, variance;
    gp.predict(x.transpose(), &mean, &variance);
    CHECK(m == Approx(mean(0)));
    CHECK(v == Approx(variance(0)));
    auto mean_at = [&](const Eigen::VectorXd& z) { double a, b; gp.predict_with_gradient(z, &a, &b, nullptr, nullptr); return a; };
    auto var_at = [&](const Eigen::VectorXd& z) { double a, b; gp.predict_with_gradient(z, &a, &b, nullptr, nullptr); return b; };
    CHECK(gradient_error(dm, finite_difference_gradient(mean_at, x)) < 1e-6);
    CHECK(gradient_error(dv, finite_difference_gradient(var_at, x)) < 1e-6);
  }
}

TEST_CASE("joint posterior samples from fixed base samples reproduce mean and covariance", "[exact_gp]") {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  toy_data(8, &X, &y);
  ExactGP gp;
  gp.fit(X, y);
  const Eigen::MatrixXd points = sobol_points(3, 2, 11);
  const Posterior post = gp.posterior(points);
  Eigen::VectorXd variance;
  gp.predict(points, nullptr, &variance);
  CHECK(post.variance().isApprox(variance, 1e-9));
  const Eigen::MatrixXd S = post.samples(sobol_normal(8192, 3, 1));
  const Eigen::VectorXd mean = S.colwise().mean();
  const Eigen::MatrixXd centred = S.rowwise() - mean.transpose();
  const Eigen::MatrixXd cov = centred.transpose() * centred / 8192.0;
  const double scale = post.covariance.diagonal().maxCoeff();
  CHECK((mean - post.mean).cwiseAbs().maxCoeff() < 0.02 * std::sqrt(scale));
  CHECK((cov - post.covariance).cwiseAbs().maxCoeff() < 0.03 * scale);
  CHECK(post.samples(sobol_normal(16, 3, 1)) == post.samples(sobol_normal(16, 3, 1)));
}

TEST_CASE("degenerate data are fitted without a crash", "[exact_gp]") {
  ExactGP gp;
  SECTION("one point") {
    gp.fit(Eigen::MatrixXd::Constant(1, 3, 0.5), Eigen::VectorXd::Constant(1, 4.2));
    Eigen::VectorXd mean, variance;
    gp.predict(Eigen::MatrixXd::Constant(1, 3, 0.5), &mean, &variance);
    CHECK(mean(0) == Approx(4.2).epsilon(1e-3));
    CHECK(variance.allFinite());
  }
  SECTION("constant outputs") {
    Eigen::MatrixXd X = sobol_points(6, 2, 1);
    gp.fit(X, Eigen::VectorXd::Constant(6, -1.0));
    Eigen::VectorXd mean, variance;
    gp.predict(sobol_points(4, 2, 2), &mean, &variance);
    CHECK((mean.array() + 1.0).abs().maxCoeff() < 1e-6);
    CHECK(variance.allFinite());
  }
  SECTION("duplicate inputs with different outputs") {
    Eigen::MatrixXd X(4, 2);
    X << 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.8, 0.1;
    Eigen::VectorXd y(4);
    y << 1.0, 1.5, 0.5, -2.0;
    gp.fit(X, y);
    Eigen::VectorXd mean, variance;
    gp.predict(X.topRows(1), &mean, &variance);
    CHECK(mean(0) == Approx(1.0).margin(0.2));  // the average of the duplicates
    CHECK(variance.allFinite());
  }
  SECTION("exact duplicates at the noise floor") {
    Eigen::MatrixXd X = Eigen::MatrixXd::Constant(5, 2, 0.3);
    gp.fit(X, Eigen::VectorXd::LinSpaced(5, 0, 1));
    CHECK(std::isfinite(gp.log_marginal_likelihood()));
  }
}

TEST_CASE("the model is equivariant to the output's units: 1e-9 x f is fitted as f, scaled", "[exact_gp]") {
  // Constancy used to be an absolute sd < 1e-8, so tiny units gave a flat model.
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  toy_data(25, &X, &y);
  const Eigen::MatrixXd test = sobol_points(10, 2, 99);
  Eigen::VectorXd mean, variance, mean_tiny, variance_tiny;
  ExactGP gp, tiny;
  gp.fit(X, y);
  tiny.fit(X, 1e-9 * y);
  gp.predict(test, &mean, &variance);
  tiny.predict(test, &mean_tiny, &variance_tiny);
  CHECK((mean_tiny / 1e-9 - mean).cwiseAbs().maxCoeff() < 1e-6 * y.cwiseAbs().maxCoeff());
  CHECK((variance_tiny / 1e-18 - variance).cwiseAbs().maxCoeff() < 1e-6 * variance.maxCoeff() + 1e-12);
  CHECK(tiny.output_scale() == Approx(1e-9 * gp.output_scale()));
  // Values constant up to rounding still count as constant.
  ExactGP flat;
  flat.fit(X, Eigen::VectorXd::Constant(25, 0.3) + Eigen::VectorXd::LinSpaced(25, 0, 1) * 1e-17);
  CHECK(flat.output_scale() == 1.0);
}

TEST_CASE("bad data and options are rejected with clear errors", "[exact_gp]") {
  ExactGP gp;
  CHECK_THROWS_AS(gp.fit(Eigen::MatrixXd(0, 2), Eigen::VectorXd(0)), InvalidArgument);
  CHECK_THROWS_AS(gp.fit(Eigen::MatrixXd::Zero(2, 2), Eigen::VectorXd::Zero(3)), InvalidArgument);
  CHECK_THROWS_AS(gp.fit(Eigen::MatrixXd::Zero(2, 2), Eigen::Vector2d(1, NAN)), InvalidArgument);
  ExactGP::Options o;
  o.num_restarts = 0;
  CHECK_THROWS_WITH(ExactGP(o), Catch::Matchers::Contains("ExactGP::Options::num_restarts = 0; must be >= 1"));
}

TEST_CASE("conditioning on a fantasy at the posterior mean keeps the mean and shrinks the variance as one noisy observation does",
          "[exact_gp]") {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  toy_data(10, &X, &y);
  ExactGP gp;
  gp.fit(X, y);
  const Eigen::MatrixXd p = Eigen::MatrixXd::Constant(1, 2, 0.77);
  Eigen::VectorXd mean, variance, mean2, variance2;
  gp.predict(p, &mean, &variance);
  const ExactGP fantasy = gp.conditioned(p, mean);
  fantasy.predict(p, &mean2, &variance2);
  CHECK(mean2(0) == Approx(mean(0)).epsilon(1e-6));
  // One observation with noise s2 at a point of variance v leaves v s2 / (v + s2).
  const double s2 = gp.noise_variance();
  CHECK(variance2(0) == Approx(variance(0) * s2 / (variance(0) + s2)).epsilon(1e-6));
  CHECK(fantasy.num_observations() == 11);
}
