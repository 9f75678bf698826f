// The PFN surrogate (the libtorch plugin's pre-trained network behind the Surrogate interface):
// its functionals agree with one another in the data's units, batched and point-wise values
// agree, input gradients match finite differences, a linear output transform makes it
// equivariant to the units of y, and it refuses what its checkpoint cannot handle. Builds
// without libtorch register no "pfn" and have nothing to test here.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/sobol.h"
#include "support/gradient_check.h"
#include "surrogates/surrogate_registry.h"

using namespace boex;
using boex::testing::finite_difference_gradient;
using boex::testing::gradient_error;
using nlohmann::json;

namespace {

bool have_pfn() {
  const auto names = surrogate_names();
  return std::find(names.begin(), names.end(), "pfn") != names.end();
}

// A skewed smooth function of 3 inputs: a Yeo-Johnson warp is fitted, not the identity.
Dataset skewed(int n, std::uint64_t seed, double scale = 1.0, double shift = 0.0) {
  Dataset d;
  d.X = sobol_points(n, 3, seed);
  d.y.resize(n);
  for (int i = 0; i < n; ++i) {
    const Eigen::VectorXd x = d.X.row(i).transpose();
    d.y(i) = shift + scale * std::exp(2.0 * std::sin(3 * x(0)) + x(1) * x(2));
  }
  return d;
}

std::unique_ptr<Surrogate> pfn(const Dataset& d, const json& options = json::object()) {
  const SurrogateEntry& e = surrogate_entry("pfn");
  auto model = e.make(e.resolve(options, "test"), 1);
  model->fit(d);
  return model;
}

}  // namespace

TEST_CASE("pfn quantiles and probabilities agree in the data's units through the output transform", "[pfn]") {
  if (!have_pfn()) return;
  const auto model = pfn(skewed(30, 2));
  for (const Eigen::Vector3d& x : {Eigen::Vector3d(0.2, 0.7, 0.4), Eigen::Vector3d(0.95, 0.1, 0.6)}) {
    double previous = -INFINITY;
    for (double level : {0.1, 0.5, 0.9}) {
      const double q = model->quantile(x, level, nullptr);
      CHECK(q > previous);  // quantiles increase with the level
      previous = q;
      // P(y <= q_level) = level exactly (T is increasing), and P(y > q) is its complement.
      CHECK(std::exp(model->log_probability_below(x, q, nullptr)) == Approx(level).margin(1e-6));
      CHECK(std::exp(model->log_probability_above(x, q, nullptr)) == Approx(1 - level).margin(1e-6));
    }
    Eigen::VectorXd mean, variance;
    model->predict(x.transpose(), &mean, &variance);
    // The mean lies between the 10 % and 90 % quantiles for these unimodal predictions.
    CHECK(mean(0) > model->quantile(x, 0.02, nullptr));
    CHECK(mean(0) < model->quantile(x, 0.98, nullptr));
  }
}

TEST_CASE("pfn scores a batch of candidates in one pass exactly as point by point", "[pfn]") {
  if (!have_pfn()) return;
  const Dataset d = skewed(25, 4);
  const auto model = pfn(d);
  const Eigen::MatrixXd X = sobol_points(7, 3, 17);
  const double best = d.y.maxCoeff();
  const Eigen::VectorXd ei = model->log_expected_improvements(X, best);
  const Eigen::VectorXd below = model->log_probabilities_below(X, d.y.mean());
  const Eigen::VectorXd q = model->quantiles(X, 0.9);
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const Eigen::VectorXd x = X.row(i).transpose();
    // float32 network: a batch and a single row may round differently in the last bits.
    CHECK(ei(i) == Approx(model->log_expected_improvement(x, best, nullptr)).epsilon(1e-4));
    CHECK(below(i) == Approx(model->log_probability_below(x, d.y.mean(), nullptr)).epsilon(1e-4).margin(1e-6));
    CHECK(q(i) == Approx(model->quantile(x, 0.9, nullptr)).epsilon(1e-4));
  }
}

TEST_CASE("pfn acquisition functionals have input gradients equal to finite differences", "[pfn]") {
  if (!have_pfn()) return;
  const Dataset d = skewed(20, 6);
  const auto model = pfn(d);
  const double best = d.y.maxCoeff(), threshold = d.y.mean();
  using Functional = std::function<double(const Eigen::VectorXd&, Eigen::VectorXd*)>;
  const std::vector<std::pair<const char*, Functional>> functionals = {
      {"log EI", [&](const Eigen::VectorXd& x, Eigen::VectorXd* g) { return model->log_expected_improvement(x, best, g); }},
      {"log P(above)", [&](const Eigen::VectorXd& x, Eigen::VectorXd* g) { return model->log_probability_above(x, threshold, g); }},
      {"log P(below)", [&](const Eigen::VectorXd& x, Eigen::VectorXd* g) { return model->log_probability_below(x, threshold, g); }},
      {"quantile 0.9", [&](const Eigen::VectorXd& x, Eigen::VectorXd* g) { return model->quantile(x, 0.9, g); }},
  };
  for (const auto& [name, f] : functionals) {
    INFO(name);
    for (const Eigen::Vector3d& x : {Eigen::Vector3d(0.3, 0.5, 0.8), Eigen::Vector3d(0.7, 0.2, 0.1)}) {
      Eigen::VectorXd g;
      const double value = f(x, &g);
      CHECK(value == Approx(f(x, nullptr)).epsilon(1e-6));
      // A step well above float32 rounding (the network computes in single precision).
      const Eigen::VectorXd numeric = finite_difference_gradient([&](const Eigen::VectorXd& z) { return f(z, nullptr); }, x, 1e-3);
      CHECK(gradient_error(g, numeric) < 5e-3 * std::max(1.0, numeric.cwiseAbs().maxCoeff()));
    }
  }
}

TEST_CASE("pfn's batched gradients (one backward pass) equal the point-by-point gradients", "[pfn]") {
  if (!have_pfn()) return;
  const Dataset d = skewed(22, 7);
  const auto model = pfn(d);
  const Eigen::MatrixXd X = sobol_points(5, 3, 29);
  Eigen::MatrixXd G_ei, G_below, G_q;
  const Eigen::VectorXd ei = model->log_expected_improvements(X, d.y.maxCoeff(), &G_ei);
  const Eigen::VectorXd below = model->log_probabilities_below(X, d.y.mean(), &G_below);
  const Eigen::VectorXd q = model->quantiles(X, 0.9, &G_q);
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const Eigen::VectorXd x = X.row(i).transpose();
    Eigen::VectorXd g;
    CHECK(ei(i) == Approx(model->log_expected_improvement(x, d.y.maxCoeff(), &g)).epsilon(1e-4));
    CHECK(gradient_error(G_ei.row(i).transpose(), g) < 1e-3);
    CHECK(below(i) == Approx(model->log_probability_below(x, d.y.mean(), &g)).epsilon(1e-4).margin(1e-6));
    CHECK(gradient_error(G_below.row(i).transpose(), g) < 1e-3);
    CHECK(q(i) == Approx(model->quantile(x, 0.9, &g)).epsilon(1e-4));
    CHECK(gradient_error(G_q.row(i).transpose(), g) < 1e-3 * std::max(1.0, g.cwiseAbs().maxCoeff()));
  }
}

TEST_CASE("pfn with a linear output transform predicts in whatever units y is given", "[pfn]") {
  if (!have_pfn()) return;
  const json linear = {{"output_transform", "standardize"}};
  const auto a = pfn(skewed(24, 8), linear), b = pfn(skewed(24, 8, 1000.0, -50.0), linear);
  const Eigen::MatrixXd X = sobol_points(5, 3, 23);
  Eigen::VectorXd ma, va, mb, vb;
  a->predict(X, &ma, &va);
  b->predict(X, &mb, &vb);
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    // The network sees the same standardised values: only the units differ.
    CHECK(mb(i) == Approx(-50.0 + 1000.0 * ma(i)).epsilon(1e-5));
    CHECK(vb(i) == Approx(1e6 * va(i)).epsilon(1e-4));
    const Eigen::VectorXd x = X.row(i).transpose();
    CHECK(b->quantile(x, 0.8, nullptr) == Approx(-50.0 + 1000.0 * a->quantile(x, 0.8, nullptr)).epsilon(1e-5));
  }
}

TEST_CASE("pfn believes pending points under the transform it was fitted with", "[pfn]") {
  if (!have_pfn()) return;
  const auto model = pfn(skewed(18, 3));
  const Eigen::MatrixXd p = Eigen::MatrixXd::Constant(2, 3, 0.45);
  const auto believed = model->condition_on(p, Eigen::Vector2d(1.0, 2.0));
  CHECK(believed->num_observations() == 20);
  // The believed values' quantiles: the transform did not move, so what was below stays below.
  const Eigen::VectorXd x = p.row(0).transpose();
  const double q = believed->quantile(x, 0.5, nullptr);
  CHECK(q > 0.5);  // pulled toward the believed values 1 and 2 at that point
  CHECK(q < 2.5);
}

TEST_CASE("pfn refuses more inputs or observations than its checkpoint, naming the limit", "[pfn]") {
  if (!have_pfn()) return;
  const SurrogateEntry& e = surrogate_entry("pfn");
  auto model = e.make(e.resolve(json::object(), "test"), 1);
  Dataset wide;
  wide.X = sobol_points(10, 7, 1);
  wide.y = Eigen::VectorXd::LinSpaced(10, 0, 1);
  CHECK_THROWS_WITH(model->fit(wide), Catch::Matchers::Contains("7 columns") && Catch::Matchers::Contains("at most 6"));
  Dataset tall;
  tall.X = sobol_points(101, 2, 1);
  tall.y = Eigen::VectorXd::LinSpaced(101, 0, 1);
  CHECK_THROWS_WITH(model->fit(tall), Catch::Matchers::Contains("101 observations") && Catch::Matchers::Contains("at most 100"));
  // A checkpoint that is not there is refused when the options are resolved (at study creation).
  CHECK_THROWS_AS(e.resolve({{"checkpoint", "no-such-network"}}, "test"), NotFound);
  CHECK_THROWS_WITH(e.resolve({{"output_transform", "log"}}, "test"), Catch::Matchers::Contains("output_transform"));
}
