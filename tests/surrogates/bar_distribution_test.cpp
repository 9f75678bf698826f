#include <catch2/catch.hpp>
#include <cmath>
#include <functional>

#include "core/errors.h"
#include "core/normal.h"
#include "core/rng.h"
#include "support/gradient_check.h"
#include "surrogates/bar_distribution.h"

using namespace boex;

namespace {

// Irregular borders (widths from 0.1 to 0.9) so that every formula sees unequal buckets and two
// tails of different scales.
BarDistribution irregular_bar() {
  Eigen::VectorXd b(9);
  b << -2.0, -1.1, -0.7, -0.2, 0.0, 0.3, 0.4, 1.2, 2.1;
  return BarDistribution(b);
}

Eigen::VectorXd random_logits(int K, std::uint64_t seed) {
  Rng rng(seed);
  Eigen::VectorXd z(K);
  for (int k = 0; k < K; ++k) z(k) = 1.5 * rng.normal();
  return z;
}

double simpson(const std::function<double(double)>& g, double a, double b, int n = 4000) {
  const double h = (b - a) / n;
  double sum = g(a) + g(b);
  for (int i = 1; i < n; ++i) sum += (i % 2 ? 4 : 2) * g(a + i * h);
  return sum * h / 3;
}

// integral of g(y) f(y) over (lo, hi), lo may be -inf and hi +inf, split at every border and at
// the extra kinks so each piece is smooth; the tails are cut 40 scales out (mass < 1e-300).
double integrate(const BarDistribution& bar, const Eigen::VectorXd& z, const std::function<double(double)>& g,
                 double lo = -INFINITY, double hi = INFINITY, std::vector<double> kinks = {}) {
  const Eigen::VectorXd& b = bar.borders();
  const int K = bar.n_buckets();
  std::vector<double> cuts = {b(1) - 40 * bar.left_tail_scale(), b(K - 1) + 40 * bar.right_tail_scale()};
  for (int k = 1; k < K; ++k) cuts.push_back(b(k));
  for (double k : kinks) cuts.push_back(k);
  std::sort(cuts.begin(), cuts.end());
  double total = 0;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const double a = std::max(cuts[i], lo), c = std::min(cuts[i + 1], hi);
    if (!(c > a)) continue;
    // Inside a piece the density is smooth; nudge the ends inwards so a bucket's own density is used.
    const double eps = 1e-12 * (c - a);
    total += simpson([&](double y) { return g(y) * bar.pdf(z, y); }, a + eps, c - eps);
  }
  return total;
}

}  // namespace

TEST_CASE("bar distribution: the density integrates to one, tails included", "[bar]") {
  const BarDistribution bar = irregular_bar();
  for (std::uint64_t seed : {1, 2, 3}) {
    const Eigen::VectorXd z = random_logits(bar.n_buckets(), seed);
    CHECK(integrate(bar, z, [](double) { return 1.0; }) == Approx(1.0).epsilon(1e-9));
  }
}

TEST_CASE("bar distribution: mean and variance equal the integrals of the density (right-tail mean is not its variance)",
          "[bar]") {
  const BarDistribution bar = irregular_bar();
  for (std::uint64_t seed : {4, 5, 6}) {
    Eigen::VectorXd z = random_logits(bar.n_buckets(), seed);
    z(bar.n_buckets() - 1) += 2.0;  // plenty of mass in the right tail, where the reference code erred
    const double mean = integrate(bar, z, [](double y) { return y; });
    const double var = integrate(bar, z, [&](double y) { return (y - mean) * (y - mean); });
    // Simpson's rule on the 40-scale tails is accurate to ~1e-11 absolute.
    CHECK(bar.mean(z) == Approx(mean).epsilon(1e-9).margin(1e-10));
    CHECK(bar.variance(z) == Approx(var).epsilon(1e-8));
  }
}

TEST_CASE("bar distribution: the CDF equals the integral of the density, in both tails and inside", "[bar]") {
  const BarDistribution bar = irregular_bar();
  const Eigen::VectorXd z = random_logits(bar.n_buckets(), 7);
  for (double y : {-3.5, -1.5, -1.1, -0.9, 0.05, 0.35, 1.5, 2.4, 4.0}) {
    INFO("y = " << y);
    CHECK(bar.cdf(z, y) == Approx(integrate(bar, z, [](double) { return 1.0; }, -INFINITY, y)).margin(1e-10));
    CHECK(bar.log_cdf(z, y) == Approx(std::log(bar.cdf(z, y))).epsilon(1e-12));
  }
  // Far into the left tail the CDF underflows, its logarithm follows the half-normal tail.
  const double b1 = bar.borders()(1), s = bar.left_tail_scale();
  for (double u : {40.0, 1e3, 1e6}) {
    const double l = bar.log_cdf(z, b1 - u * s);
    const double log_p0 = std::log(bar.probabilities(z)(0));
    CHECK(l == Approx(log_p0 + std::log(2.0) + normal::log_cdf(-u)).epsilon(1e-12));
  }
}

TEST_CASE("bar distribution: EI and PI equal their integrals, including an incumbent below the left tail's anchor",
          "[bar]") {
  const BarDistribution bar = irregular_bar();
  Eigen::VectorXd z = random_logits(bar.n_buckets(), 8);
  z(0) += 2.0;  // mass in the left tail, where the reference code's EI was E[min(Z, u)]
  for (double best : {-4.0, -2.5, -1.5, -1.1, -0.5, 0.1, 0.35, 1.9, 2.5, 3.5}) {
    INFO("best = " << best);
    const double ei = integrate(bar, z, [&](double y) { return std::max(y - best, 0.0); }, -INFINITY, INFINITY, {best});
    const double pi = integrate(bar, z, [](double) { return 1.0; }, best, INFINITY, {best});
    CHECK(bar.ei(z, best) == Approx(ei).epsilon(1e-8).margin(1e-10));
    CHECK(bar.pi(z, best) == Approx(pi).epsilon(1e-8).margin(1e-10));
    CHECK(bar.log_ei(z, best) == Approx(std::log(bar.ei(z, best))).epsilon(1e-12));
    CHECK(bar.log_pi(z, best) == Approx(std::log(bar.pi(z, best))).epsilon(1e-12));
  }
}

TEST_CASE("bar distribution: the quantile inverts the CDF in the tails and inside", "[bar]") {
  const BarDistribution bar = irregular_bar();
  const Eigen::VectorXd z = random_logits(bar.n_buckets(), 9);
  for (double alpha : {1e-12, 1e-4, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-6, 1 - 1e-12}) {
    INFO("alpha = " << alpha);
    const double q = bar.quantile(z, alpha);
    CHECK(bar.cdf(z, q) == Approx(alpha).epsilon(1e-9));
  }
  CHECK_THROWS_AS(bar.quantile(z, 1.0), InvalidArgument);
}

TEST_CASE("bar distribution: log EI stays finite, accurate and smooth far below the incumbent", "[bar]") {
  const BarDistribution bar = irregular_bar();
  const Eigen::VectorXd z = random_logits(bar.n_buckets(), 10);
  const int K = bar.n_buckets();
  const double b = bar.borders()(K - 1), s = bar.right_tail_scale();
  const double log_p_tail = bar.log_pdf(z, b + 1e-9) - std::log(2.0 / s / std::sqrt(2 * M_PI));
  double previous = bar.log_ei(z, b);
  for (double u : {1.0, 5.0, 20.0, 50.0, 200.0, 1e3, 1e5}) {
    const double best = b + u * s;
    const double l = bar.log_ei(z, best);
    INFO("u = " << u << " log EI = " << l);
    REQUIRE(std::isfinite(l));
    CHECK(l < previous);
    previous = l;
    if (u >= 50) CHECK(bar.ei(z, best) == 0.0);  // plain EI underflows there; log EI does not
    // Far out only the tail matters: E[(Z - u s)+] = 2 s h(-u) ~ 2 s phi(u) / u^2.
    if (u >= 200) CHECK(l == Approx(log_p_tail + std::log(2 * s) - 0.5 * u * u - 0.5 * std::log(2 * M_PI) - 2 * std::log(u)).epsilon(1e-4));
    // Smooth: its derivative in the incumbent matches the right tail's -(Phi(-u) / h(-u)) / s.
    const double h = 1e-5 * s;
    const double slope = (bar.log_ei(z, best + h) - bar.log_ei(z, best - h)) / (2 * h);
    CHECK(std::isfinite(slope));
    if (u >= 5) CHECK(slope == Approx(-normal::dlog_h(-u) / s).epsilon(1e-4));
  }
}

TEST_CASE("bar distribution: gradients w.r.t. logits match finite differences", "[bar]") {
  const BarDistribution bar = irregular_bar();
  const Eigen::VectorXd z = random_logits(bar.n_buckets(), 11);
  using Fn = std::function<double(const BarDistribution&, const Eigen::VectorXd&, Eigen::VectorXd*)>;
  const std::vector<std::pair<std::string, Fn>> functions = {
      {"log_pdf inner", [](auto& b, auto& z, auto* g) { return b.log_pdf(z, 0.35, g); }},
      {"log_pdf left", [](auto& b, auto& z, auto* g) { return b.log_pdf(z, -1.7, g); }},
      {"log_pdf right", [](auto& b, auto& z, auto* g) { return b.log_pdf(z, 2.6, g); }},
      {"cdf", [](auto& b, auto& z, auto* g) { return b.cdf(z, 0.1, g); }},
      {"log_cdf inner", [](auto& b, auto& z, auto* g) { return b.log_cdf(z, 0.1, g); }},
      {"log_cdf far left", [](auto& b, auto& z, auto* g) { return b.log_cdf(z, -30.0, g); }},
      {"log_cdf right tail", [](auto& b, auto& z, auto* g) { return b.log_cdf(z, 2.5, g); }},
      {"mean", [](auto& b, auto& z, auto* g) { return b.mean(z, g); }},
      {"variance", [](auto& b, auto& z, auto* g) { return b.variance(z, g); }},
      {"quantile inner", [](auto& b, auto& z, auto* g) { return b.quantile(z, 0.6, g); }},
      {"quantile right tail", [](auto& b, auto& z, auto* g) { return b.quantile(z, 0.999, g); }},
      {"quantile left tail", [](auto& b, auto& z, auto* g) { return b.quantile(z, 0.001, g); }},
      {"ei", [](auto& b, auto& z, auto* g) { return b.ei(z, 0.2, g); }},
      {"log_ei inner", [](auto& b, auto& z, auto* g) { return b.log_ei(z, 0.2, g); }},
      {"log_ei far", [](auto& b, auto& z, auto* g) { return b.log_ei(z, 30.0, g); }},
      {"log_ei below", [](auto& b, auto& z, auto* g) { return b.log_ei(z, -3.0, g); }},
      {"pi", [](auto& b, auto& z, auto* g) { return b.pi(z, 0.2, g); }},
      {"log_pi inner", [](auto& b, auto& z, auto* g) { return b.log_pi(z, 0.2, g); }},
      {"log_pi far", [](auto& b, auto& z, auto* g) { return b.log_pi(z, 30.0, g); }},
  };
  for (const auto& [name, f] : functions) {
    INFO(name);
    Eigen::VectorXd grad;
    f(bar, z, &grad);
    const Eigen::VectorXd numeric = testing::finite_difference_gradient(
        [&, &f = f](const Eigen::VectorXd& x) { return f(bar, x, nullptr); }, z, 1e-6);
    CHECK(testing::gradient_error(grad, numeric) < 1e-6);
  }
}

TEST_CASE("bar distribution: scaling the borders scales the variable", "[bar]") {
  const BarDistribution bar = irregular_bar();
  const BarDistribution scaled = bar.scaled(2.5);
  const Eigen::VectorXd z = random_logits(bar.n_buckets(), 12);
  for (double y : {-3.0, -0.5, 0.35, 3.0}) CHECK(scaled.pdf(z, 2.5 * y) == Approx(bar.pdf(z, y) / 2.5));
  CHECK(scaled.mean(z) == Approx(2.5 * bar.mean(z)));
  CHECK(scaled.variance(z) == Approx(6.25 * bar.variance(z)));
  CHECK(scaled.log_ei(z, 2.5 * 0.3) == Approx(std::log(2.5) + bar.log_ei(z, 0.3)));
  CHECK_THROWS_AS(bar.scaled(0.0), InvalidArgument);
}

TEST_CASE("bar distribution: borders from samples put equal counts in every bucket", "[bar]") {
  Rng rng(3);
  std::vector<double> samples(4000);
  for (double& s : samples) s = rng.normal();
  const Eigen::VectorXd b = BarDistribution::borders_from_samples(samples, 20);
  REQUIRE(b.size() == 21);
  CHECK(b(0) == *std::min_element(samples.begin(), samples.end()));
  CHECK(b(20) == *std::max_element(samples.begin(), samples.end()));
  for (int k = 0; k < 20; ++k) {
    const auto count = std::count_if(samples.begin(), samples.end(), [&](double s) { return s >= b(k) && s <= b(k + 1); });
    CHECK(count == 200);
  }
}

TEST_CASE("bar distribution: bad borders and logits are refused", "[bar]") {
  CHECK_THROWS_AS(BarDistribution(Eigen::Vector2d(0, 1)), InvalidArgument);
  CHECK_THROWS_AS(BarDistribution(Eigen::Vector3d(0, 1, 1)), InvalidArgument);
  CHECK_THROWS_AS(BarDistribution(Eigen::Vector3d(0, NAN, 1)), InvalidArgument);
  const BarDistribution bar = irregular_bar();
  CHECK_THROWS_AS(bar.mean(Eigen::VectorXd::Zero(3)), InvalidArgument);
  Eigen::VectorXd z = Eigen::VectorXd::Zero(bar.n_buckets());
  z(2) = NAN;
  CHECK_THROWS_AS(bar.log_ei(z, 0.0), InvalidArgument);
}
