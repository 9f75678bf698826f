// The surrogate conformance suite: every registered surrogate, made through the registry, fits a
// smooth function better than a constant, is deterministic given its seed, and whatever it
// declares (Gaussian marginals, joint posterior, function samples) is consistent and has input
// gradients equal to finite differences. A new surrogate is enrolled by registering it.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/sobol.h"
#include "support/fast_settings.h"
#include "support/gradient_check.h"
#include "surrogates/surrogate_registry.h"

using namespace boex;
using boex::testing::finite_difference_gradient;
using boex::testing::gradient_error;
using nlohmann::json;

namespace {

double smooth(const Eigen::VectorXd& x) { return std::sin(4 * x(0)) + 0.5 * x(1) * x(1) - 0.3 * x(0) * x(1); }

Dataset data(int n, std::uint64_t seed) {
  Dataset d;
  d.X = sobol_points(n, 2, seed);
  d.y.resize(n);
  for (int i = 0; i < n; ++i) d.y(i) = 3.0 + 2.0 * smooth(d.X.row(i).transpose());
  return d;
}

json fast(const std::string& name) { return boex::testing::fast_surrogate_options(name); }

std::unique_ptr<Surrogate> fitted(const std::string& name, const Dataset& d, std::uint64_t seed = 1) {
  const SurrogateEntry& e = surrogate_entry(name);
  auto model = e.make(e.resolve(fast(name), "test"), seed);
  model->fit(d);
  return model;
}

}  // namespace

TEST_CASE("every registered surrogate predicts held-out points better than the data's mean", "[conformance]") {
  const Dataset train = data(30, 3), test = data(40, 77);
  for (const std::string& name : surrogate_names()) {
    INFO(name);
    const auto model = fitted(name, train);
    CHECK(model->num_observations() == 30);
    CHECK(model->dimension() == 2);
    Eigen::VectorXd mean, variance;
    model->predict(test.X, &mean, &variance);
    const double rmse = std::sqrt((mean - test.y).squaredNorm() / test.y.size());
    const double spread = std::sqrt((test.y.array() - train.y.mean()).square().mean());
    CHECK(rmse < 0.6 * spread);
    CHECK((variance.array() > 0).all());
    CHECK(model->noise_variance() >= 0);
    CHECK(model->prior_scale() > 0);
  }
}

TEST_CASE("every registered surrogate's marginal has input gradients equal to finite differences", "[conformance]") {
  const Dataset train = data(20, 5);
  for (const std::string& name : surrogate_names()) {
    INFO(name);
    const auto model = fitted(name, train);
    for (const Eigen::Vector2d& x : {Eigen::Vector2d(0.31, 0.62), Eigen::Vector2d(0.9, 0.05)}) {
      double m = 0, v = 0;
      Eigen::VectorXd dm, dv, mean, variance;
      model->predict_with_gradient(x, &m, &v, &dm, &dv);
      model->predict(x.transpose(), &mean, &variance);
      CHECK(m == Approx(mean(0)).epsilon(1e-9));
      CHECK(v == Approx(variance(0)).epsilon(1e-9));
      auto at = [&](const Eigen::VectorXd& z, bool want_mean) {
        double a = 0, b = 0;
        model->predict_with_gradient(z, &a, &b, nullptr, nullptr);
        return want_mean ? a : b;
      };
      // float32 models: a step well above their rounding, and a tolerance to match.
      const bool single = surrogate_entry(name).single_precision;
      const double h = single ? 1e-3 : 1e-6, tolerance = single ? 2e-3 : 1e-5;
      CHECK(gradient_error(dm, finite_difference_gradient([&](const Eigen::VectorXd& z) { return at(z, true); }, x, h)) < tolerance);
      CHECK(gradient_error(dv, finite_difference_gradient([&](const Eigen::VectorXd& z) { return at(z, false); }, x, h)) < tolerance);
    }
  }
}

TEST_CASE("every surrogate that draws function samples agrees with itself and with finite differences", "[conformance]") {
  const Dataset train = data(20, 5);
  for (const std::string& name : surrogate_names()) {
    if (!surrogate_entry(name).capabilities.samples) continue;
    INFO(name);
    const auto model = fitted(name, train);
    const Eigen::MatrixXd X = sobol_points(5, 2, 13);
    const Eigen::MatrixXd F = model->sample(X);
    REQUIRE(F.rows() == model->num_samples());
    REQUIRE(F.cols() == 5);
    Eigen::VectorXd mean;
    model->predict(X, &mean, nullptr);
    // The moment-matched marginal's mean is the draws' mean.
    CHECK((F.colwise().mean().transpose() - mean).cwiseAbs().maxCoeff() < 1e-9 * (1 + mean.cwiseAbs().maxCoeff()));
    const Eigen::VectorXd x = X.row(2).transpose();
    Eigen::VectorXd f;
    Eigen::MatrixXd df;
    model->sample_with_gradient(x, &f, &df);
    CHECK((f - F.col(2)).cwiseAbs().maxCoeff() < 1e-9 * (1 + f.cwiseAbs().maxCoeff()));
    for (Eigen::Index s = 0; s < f.size(); ++s) {
      const auto numeric = finite_difference_gradient([&](const Eigen::VectorXd& z) { return model->sample(z.transpose())(s, 0); }, x);
      CHECK(gradient_error(df.row(s).transpose(), numeric) < 1e-5);
    }
  }
}

TEST_CASE("every surrogate with a joint posterior agrees with its marginals", "[conformance]") {
  const Dataset train = data(15, 9);
  for (const std::string& name : surrogate_names()) {
    if (!surrogate_entry(name).capabilities.joint) continue;
    INFO(name);
    const auto model = fitted(name, train);
    const Eigen::MatrixXd X = sobol_points(4, 2, 21);
    const Posterior post = model->posterior(X);
    Eigen::VectorXd mean, variance;
    model->predict(X, &mean, &variance);
    CHECK(post.mean.isApprox(mean, 1e-9));
    CHECK(post.variance().isApprox(variance, 1e-8));
    const auto cross = model->cross_covariance(X.topRows(3));
    Eigen::VectorXd cov;
    cross->evaluate(X.row(3).transpose(), &cov, nullptr);
    CHECK((cov - post.covariance.col(3).head(3)).cwiseAbs().maxCoeff() < 1e-8 * (1 + post.covariance.cwiseAbs().maxCoeff()));
  }
}

TEST_CASE("every registered surrogate is deterministic given its seed, and its clone is independent", "[conformance]") {
  const Dataset train = data(18, 4);
  const Eigen::MatrixXd X = sobol_points(6, 2, 31);
  for (const std::string& name : surrogate_names()) {
    INFO(name);
    const auto a = fitted(name, train, 5), b = fitted(name, train, 5);
    Eigen::VectorXd ma, va, mb, vb;
    a->predict(X, &ma, &va);
    b->predict(X, &mb, &vb);
    CHECK(ma == mb);
    CHECK(va == vb);
    auto copy = a->clone();
    copy->fit(data(12, 8));
    Eigen::VectorXd again;
    a->predict(X, &again, nullptr);
    CHECK(again == ma);
  }
}

TEST_CASE("every registered surrogate conditioned on a believed point has seen one more observation", "[conformance]") {
  const Dataset train = data(16, 6);
  const Eigen::MatrixXd p = Eigen::MatrixXd::Constant(1, 2, 0.47);
  for (const std::string& name : surrogate_names()) {
    INFO(name);
    const auto model = fitted(name, train);
    Eigen::VectorXd mean, variance;
    model->predict(p, &mean, &variance);
    const auto believed = model->condition_on(p, mean);
    CHECK(believed->num_observations() == 17);
    Eigen::VectorXd mean2, variance2;
    believed->predict(p, &mean2, &variance2);
    // Believing the mean leaves the mean where it was (exactly for a joint posterior; up to the
    // Monte-Carlo error of a refit otherwise) and the point no less certain.
    const double tolerance = surrogate_entry(name).capabilities.joint ? 1e-6 : 0.5 * std::sqrt(variance(0));
    CHECK(std::abs(mean2(0) - mean(0)) < tolerance * (1 + std::abs(mean(0))));
    CHECK(variance2(0) <= variance(0) * 1.05 + 1e-12);
  }
}

TEST_CASE("every registered surrogate refuses data it cannot fit with a clear error", "[conformance]") {
  for (const std::string& name : surrogate_names()) {
    INFO(name);
    const SurrogateEntry& e = surrogate_entry(name);
    auto model = e.make(e.resolve(fast(name), "test"), 1);
    Dataset bad = data(5, 1);
    bad.y(2) = NAN;
    CHECK_THROWS_AS(model->fit(bad), InvalidArgument);
    Dataset short_y = data(5, 1);
    short_y.y.conservativeResize(4);
    CHECK_THROWS_AS(model->fit(short_y), InvalidArgument);
    CHECK_THROWS_AS(model->fit(Dataset{}), InvalidArgument);
  }
}

TEST_CASE("a surrogate's options are resolved field by field and refused by name", "[conformance]") {
  for (const std::string& name : surrogate_names()) {
    INFO(name);
    const SurrogateEntry& e = surrogate_entry(name);
    CHECK(e.resolve(json::object(), "test") == e.defaults);
    CHECK_THROWS_WITH(e.resolve({{"no_such_field", 1}}, "strategy options: surrogate"),
                      Catch::Matchers::Contains("strategy options: surrogate has no field 'no_such_field'"));
  }
  CHECK_THROWS_WITH(surrogate_entry("gp").resolve({{"num_restarts", "three"}}, "s"),
                    Catch::Matchers::Contains("s.num_restarts must be an integer"));
  CHECK_THROWS_WITH(surrogate_entry("gp").resolve({{"num_restarts", 0}}, "s"),
                    Catch::Matchers::Contains("num_restarts = 0; must be >= 1"));
  CHECK_THROWS_WITH(surrogate_entry("gp-x"), Catch::Matchers::Contains("known: ") && Catch::Matchers::Contains("gp"));
}
