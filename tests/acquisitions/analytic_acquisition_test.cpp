#include <catch2/catch.hpp>
#include <cmath>

#include "acquisitions/expected_improvement.h"
#include "acquisitions/log_ei.h"
#include "acquisitions/log_probability_of_improvement.h"
#include "acquisitions/registry.h"
#include "acquisitions/upper_confidence_bound.h"
#include "core/errors.h"
#include "core/normal.h"
#include "core/rng.h"
#include "core/sobol.h"
#include "support/fixed_surrogate.h"
#include "support/gradient_check.h"

using namespace boex;
using boex::testing::FixedSurrogate;
using boex::testing::finite_difference_gradient;
using boex::testing::gradient_error;

namespace {

// A smooth posterior over [0,1]^2: mean a quadratic bowl, variance a positive bump.
FixedSurrogate smooth_model(double mean_scale = 1.0) {
  return FixedSurrogate(
      2,
      [mean_scale](const Eigen::VectorXd& x, Eigen::VectorXd* g) {
        const Eigen::VectorXd c = Eigen::Vector2d(0.3, 0.7);
        if (g) *g = -2.0 * mean_scale * (x - c);
        return -mean_scale * (x - c).squaredNorm();
      },
      [](const Eigen::VectorXd& x, Eigen::VectorXd* g) {
        const double v = 0.05 + 0.5 * std::exp(-4 * x.squaredNorm());
        if (g) *g = -8.0 * x * (v - 0.05);
        return v;
      });
}

}  // namespace

TEST_CASE("EI at u = 0 is sd / sqrt(2 pi), BoTorch's closed-form check gives 0.19780", "[ei]") {
  const auto model = FixedSurrogate::constant(1, 1.0, 4.0);
  CHECK(ExpectedImprovement(model, 1.0).value(Eigen::VectorXd::Zero(1), nullptr) ==
        Approx(2.0 / std::sqrt(2 * M_PI)).epsilon(1e-14));
  const auto mock = FixedSurrogate::constant(1, -0.5, 1.0);
  CHECK(ExpectedImprovement(mock, 0.0).value(Eigen::VectorXd::Zero(1), nullptr) == Approx(0.19780).epsilon(1e-4));
}

TEST_CASE("EI agrees with a Monte-Carlo estimate of E[max(f - best, 0)]", "[ei]") {
  const double mean = 0.3, sd = 0.8, best = 0.9;
  const auto model = FixedSurrogate::constant(1, mean, sd * sd);
  const Eigen::MatrixXd z = sobol_normal(1 << 16, 1, 4);
  const double mc = (mean + sd * z.array() - best).max(0.0).mean();
  CHECK(ExpectedImprovement(model, best).value(Eigen::VectorXd::Zero(1), nullptr) == Approx(mc).epsilon(2e-3));
}

TEST_CASE("LogEI is the log of EI wherever EI is representable", "[logei]") {
  for (double mean : {-30.0, -5.0, -1.0, 0.0, 0.4, 3.0}) {
    const auto model = FixedSurrogate::constant(1, mean, 0.49);
    const double ei = ExpectedImprovement(model, 0.5).value(Eigen::VectorXd::Zero(1), nullptr);
    const double log_ei = LogExpectedImprovement(model, 0.5).value(Eigen::VectorXd::Zero(1), nullptr);
    if (ei > 1e-300) CHECK(log_ei == Approx(std::log(ei)).epsilon(1e-9));
  }
}

TEST_CASE("LogEI stays finite with a useful gradient where EI underflows to zero", "[logei]") {
  const auto model = FixedSurrogate::constant(1, -1e4, 1.0);  // u = -1e4
  CHECK(ExpectedImprovement(model, 0.0).value(Eigen::VectorXd::Zero(1), nullptr) == 0.0);
  double dm = 0, ds = 0;
  const LogExpectedImprovement acq(model, 0.0);
  const double v = acq.utility(-1e4, 1.0, &dm, &ds);
  CHECK(std::isfinite(v));
  CHECK(dm > 0);  // a higher mean is always better
  CHECK(std::isfinite(ds));
  CHECK(ds > 0);  // so is more uncertainty, below the incumbent
}

TEST_CASE("analytic acquisition gradients match finite differences", "[logei][ei][ucb][pi]") {
  const FixedSurrogate model = smooth_model();
  const LogExpectedImprovement log_ei(model, 0.05);
  const ExpectedImprovement ei(model, 0.05);
  const UpperConfidenceBound ucb(model, 2.0);
  const LogProbabilityOfImprovement log_pi(model, 0.05);
  for (const Acquisition* acq : std::vector<const Acquisition*>{&log_ei, &ei, &ucb, &log_pi}) {
    for (const Eigen::Vector2d& x : {Eigen::Vector2d(0.1, 0.2), Eigen::Vector2d(0.8, 0.9), Eigen::Vector2d(0.3, 0.65)}) {
      INFO(acq->name() << " at " << x.transpose());
      Eigen::VectorXd g;
      acq->value(x, &g);
      const auto numeric = finite_difference_gradient([&](const Eigen::VectorXd& z) { return acq->value(z, nullptr); }, x);
      CHECK(gradient_error(g, numeric) < 1e-6);
    }
  }
  // Far below the incumbent LogEI's gradient still points uphill.
  const FixedSurrogate steep = smooth_model(200.0);
  const LogExpectedImprovement far(steep, 0.0);
  Eigen::VectorXd g;
  const Eigen::Vector2d x(0.95, 0.05);
  far.value(x, &g);
  CHECK(g.allFinite());
  CHECK(g.dot(Eigen::Vector2d(0.3, 0.7) - x) > 0);
}

TEST_CASE("UCB and LogPI take their closed forms", "[ucb][pi]") {
  const auto model = FixedSurrogate::constant(1, 1.5, 0.25);
  CHECK(UpperConfidenceBound(model, 4.0).value(Eigen::VectorXd::Zero(1), nullptr) == Approx(1.5 + 2 * 0.5));
  CHECK(LogProbabilityOfImprovement(model, 1.0).value(Eigen::VectorXd::Zero(1), nullptr) ==
        Approx(std::log(normal::cdf(1.0))));
}

TEST_CASE("batched values equal pointwise values", "[logei]") {
  const FixedSurrogate model = smooth_model();
  const LogExpectedImprovement acq(model, 0.0);
  const Eigen::MatrixXd X = sobol_points(16, 2, 1);
  const Eigen::VectorXd batch = acq.values(X);
  for (int i = 0; i < 16; ++i) CHECK(batch(i) == Approx(acq.value(X.row(i).transpose(), nullptr)));
}

TEST_CASE("the acquisition registry builds by name and lists names on a typo", "[registry]") {
  const auto model = FixedSurrogate::constant(1, 0.0, 1.0);
  AcquisitionInputs inputs;
  inputs.objective = &model;
  inputs.X_observed = Eigen::MatrixXd::Constant(1, 1, 0.5);
  inputs.discretization = inputs.X_observed;
  for (const std::string& name : acquisition_names()) {
    // Those that choose a fidelity need a model of one (multi_fidelity_acquisition_test.cpp).
    if (acquisition_traits(name).fidelity == FidelityUse::kRequired) {
      CHECK_THROWS_WITH(make_acquisition(name, inputs), Catch::Matchers::Contains("fidelity"));
      continue;
    }
    CHECK(make_acquisition(name, inputs)->name() == name);
  }
  CHECK_THROWS_WITH(make_acquisition("qei", inputs), Catch::Matchers::Contains("logei"));
  inputs.constraints = {&model};
  CHECK_THROWS_WITH(make_acquisition("ucb", inputs), Catch::Matchers::Contains("cannot handle constraints"));
}
