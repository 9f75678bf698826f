// qLogNEI, constrained and composite acquisitions: reductions to analytic cases.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "acquisitions/expected_improvement.h"
#include "acquisitions/log_composite_ei.h"
#include "acquisitions/log_constrained.h"
#include "acquisitions/log_ei.h"
#include "acquisitions/qlog_nei.h"
#include "core/errors.h"
#include "core/normal.h"
#include "core/sobol.h"
#include "support/fixed_surrogate.h"
#include "support/gradient_check.h"
#include "support/toy_gp.h"

using namespace boex;
using namespace boex::testing;

namespace {

// A constraint model that is far inside its feasible region everywhere (c ~ -50 +- 1).
FixedSurrogate slack_constraint() { return FixedSurrogate::constant(2, -50.0, 1.0); }

}  // namespace

TEST_CASE("qLogNEI with q = 1 and a noiseless one-point baseline agrees with LogEI within MC error",
          "[qlognei]") {
  const ExactGP gp = toy_gp(10, 1e-10);
  Eigen::VectorXd mean;
  gp.predict(gp.inputs(), &mean, nullptr);
  Eigen::Index best = 0;
  mean.maxCoeff(&best);
  QLogNeiOptions options;
  options.num_samples = 4096;
  const QLogNoisyExpectedImprovement q(gp, {}, gp.inputs().row(best), options);
  const LogExpectedImprovement ei(gp, mean(best));
  // Where EI is not a rare event (the best and a middling point of a space-filling set), a
  // 4096-sample QMC mean is within 2 % of the exact value.
  const Eigen::MatrixXd grid = sobol_points(128, 2, 8);
  const Eigen::VectorXd values = ei.values(grid);
  std::vector<Eigen::Index> order(grid.rows());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](Eigen::Index i, Eigen::Index j) { return values(i) > values(j); });
  for (Eigen::Index i : {order[0], order[10]}) {
    const Eigen::VectorXd x = grid.row(i).transpose();
    CHECK(std::abs(q.value(x, nullptr) - ei.value(x, nullptr)) < 0.02);
  }
}

TEST_CASE("qLogNEI gives identical values on repeated calls and gradients that match finite differences",
          "[qlognei]") {
  const ExactGP gp = toy_gp(12, 0.01);
  const QLogNoisyExpectedImprovement q(gp, {}, gp.inputs());
  const Eigen::Vector2d x(0.33, 0.66);
  CHECK(q.value(x, nullptr) == q.value(x, nullptr));
  CHECK(q.baseline_size() <= 12);
  Eigen::VectorXd g;
  q.value(x, &g);
  CHECK(gradient_error(g, finite_difference_gradient([&](const Eigen::VectorXd& z) { return q.value(z, nullptr); }, x)) < 1e-4);
}

TEST_CASE("constraints far from binding change neither constrained LogEI nor qLogNEI", "[constrained]") {
  const ExactGP gp = toy_gp(10, 0.01);
  const FixedSurrogate slack = slack_constraint();
  Eigen::VectorXd mean;
  gp.predict(gp.inputs(), &mean, nullptr);
  const Eigen::Vector2d x(0.4, 0.2);
  const LogConstrainedAcquisition constrained(std::make_unique<LogExpectedImprovement>(gp, mean.maxCoeff()), {&slack});
  CHECK(constrained.value(x, nullptr) == Approx(LogExpectedImprovement(gp, mean.maxCoeff()).value(x, nullptr)).epsilon(1e-12));
  QLogNeiOptions same_baseline;
  same_baseline.prune_baseline = false;
  const QLogNoisyExpectedImprovement plain(gp, {}, gp.inputs(), same_baseline);
  const QLogNoisyExpectedImprovement with(gp, {&slack}, gp.inputs(), same_baseline);
  CHECK(with.value(x, nullptr) == Approx(plain.value(x, nullptr)).margin(1e-3));
}

TEST_CASE("the log probability of feasibility matches direct evaluation and its gradient", "[constrained]") {
  double dm = 0, ds = 0;
  CHECK(LogConstrainedAcquisition::log_probability_feasible(0.5, 2.0, &dm, &ds) == Approx(std::log(normal::cdf(-0.25))));
  CHECK(std::isfinite(LogConstrainedAcquisition::log_probability_feasible(1e3, 1.0, &dm, &ds)));
  const ExactGP gp = toy_gp(9, 0.01);
  const LogConstrainedAcquisition feasibility(nullptr, {&gp});  // the toy GP as a constraint
  const Eigen::Vector2d x(0.7, 0.3);
  double m = 0, v = 0;
  gp.predict_with_gradient(x, &m, &v, nullptr, nullptr);
  CHECK(feasibility.value(x, nullptr) == Approx(std::log(normal::cdf(-m / std::sqrt(v)))));
  Eigen::VectorXd g;
  feasibility.value(x, &g);
  CHECK(gradient_error(g, finite_difference_gradient([&](const Eigen::VectorXd& z) { return feasibility.value(z, nullptr); }, x)) < 1e-6);
}

TEST_CASE("composite EI with g = identity is EI, with g = w.h it is EI of mean w.mu and variance w.K.w",
          "[composite]") {
  const FixedSurrogate h1 = FixedSurrogate::constant(1, 0.3, 0.64), h2 = FixedSurrogate::constant(1, -0.2, 0.25);
  const Eigen::VectorXd x = Eigen::VectorXd::Constant(1, 0.5);
  const CompositeFunction identity = [](const Eigen::VectorXd& h, Eigen::VectorXd* g) {
    if (g) *g = Eigen::VectorXd::Ones(1);
    return h(0);
  };
  const LogCompositeExpectedImprovement one({&h1}, identity, 0.5, 8192);
  CHECK(std::exp(one.value(x, nullptr)) == Approx(ExpectedImprovement(h1, 0.5).value(x, nullptr)).epsilon(0.01));
  const Eigen::Vector2d w(2.0, -1.0);
  const CompositeFunction linear = [w](const Eigen::VectorXd& h, Eigen::VectorXd* g) {
    if (g) *g = w;
    return w.dot(h);
  };
  const LogCompositeExpectedImprovement two({&h1, &h2}, linear, 1.0, 8192);
  const FixedSurrogate combined = FixedSurrogate::constant(1, 2 * 0.3 + 0.2, 4 * 0.64 + 0.25);
  CHECK(std::exp(two.value(x, nullptr)) == Approx(ExpectedImprovement(combined, 1.0).value(x, nullptr)).epsilon(0.01));
}

TEST_CASE("target-value composite EI has gradients that match finite differences", "[composite]") {
  const ExactGP gp = toy_gp(10, 0.01);
  const LogCompositeExpectedImprovement acq({&gp}, target_value({0.4}), -0.01, 256, 3);
  const Eigen::Vector2d x(0.21, 0.58);
  Eigen::VectorXd g;
  acq.value(x, &g);
  CHECK(gradient_error(g, finite_difference_gradient([&](const Eigen::VectorXd& z) { return acq.value(z, nullptr); }, x)) < 1e-5);
  Eigen::VectorXd dg;
  CHECK(target_value({0.4})(Eigen::VectorXd::Constant(1, 0.1), &dg) == Approx(-0.09));
  CHECK(dg(0) == Approx(0.6));
}

TEST_CASE("a composite g given by value alone gets the analytic gradient by central differences", "[composite]") {
  const CompositeFunction g =
      with_numerical_gradient([](const Eigen::VectorXd& h) { return std::sin(h(0)) * h(1) * h(1) + 3 * h(2); });
  const Eigen::Vector3d h(0.7, -2.5, 40.0);
  Eigen::VectorXd dg;
  CHECK(g(h, &dg) == Approx(std::sin(0.7) * 6.25 + 120.0));
  CHECK(dg(0) == Approx(std::cos(0.7) * 6.25).epsilon(1e-7));
  CHECK(dg(1) == Approx(std::sin(0.7) * 2 * -2.5).epsilon(1e-7));
  CHECK(dg(2) == Approx(3.0).epsilon(1e-7));
}

TEST_CASE("target_value of several outputs is minus the squared distance to the target vector", "[composite]") {
  const CompositeFunction g = target_value({1.0, -2.0});
  Eigen::VectorXd dg;
  CHECK(g(Eigen::Vector2d(4.0, 2.0), &dg) == Approx(-25.0));
  CHECK(dg(0) == Approx(-6.0));
  CHECK(dg(1) == Approx(-8.0));
  CHECK_THROWS_AS(g(Eigen::Vector3d(1, 2, 3), nullptr), InvalidArgument);
}
