#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/normal.h"
#include "surrogates/gp_classifier.h"

using namespace boex;

namespace {

// 1-D: 21 points on [0, 1]; those above 0.6 failed.
GpClassifier step_classifier() {
  Eigen::MatrixXd X(21, 1);
  Eigen::Array<bool, Eigen::Dynamic, 1> ok(21);
  for (int i = 0; i < 21; ++i) {
    X(i, 0) = i / 20.0;
    ok(i) = X(i, 0) <= 0.6;
  }
  return GpClassifier(X, ok);
}

}  // namespace

TEST_CASE("the classifier learns a failing region and keeps succeeding ones", "[gp_classifier]") {
  const GpClassifier c = step_classifier();
  CHECK(c.success(Eigen::VectorXd::Constant(1, 0.9)) < 0.2);
  CHECK(c.success(Eigen::VectorXd::Constant(1, 0.2)) > 0.8);
  CHECK(c.success(Eigen::VectorXd::Constant(1, 0.3)) > c.success(Eigen::VectorXd::Constant(1, 0.8)));
}

TEST_CASE("far from every trial the classifier predicts its prior: Phi(m / sqrt(1 + s2))", "[gp_classifier]") {
  Eigen::MatrixXd X(4, 2);
  X << 0, 0, 0.02, 0, 0, 0.02, 0.02, 0.02;
  Eigen::Array<bool, Eigen::Dynamic, 1> ok(4);
  ok << true, false, true, true;
  GpClassifier::Options o;
  o.lengthscales = {0.05};
  const GpClassifier c(X, ok, o);
  CHECK(c.prior_mean() == Approx(normal::quantile(4.0 / 6.0)));  // (3 + 1) / (4 + 2)
  const double far = c.success(Eigen::Vector2d(1.0, 1.0));
  CHECK(far == Approx(normal::cdf(c.prior_mean() / std::sqrt(1.0 + c.variance()))).epsilon(1e-6));
}

TEST_CASE("the gradient of ln p(success) matches finite differences", "[gp_classifier]") {
  Eigen::MatrixXd X(6, 2);
  X << 0.1, 0.2, 0.5, 0.5, 0.9, 0.1, 0.3, 0.8, 0.7, 0.7, 0.2, 0.5;
  Eigen::Array<bool, Eigen::Dynamic, 1> ok(6);
  ok << true, false, true, false, false, true;
  const GpClassifier c(X, ok);
  const Eigen::Vector2d x(0.4, 0.6);
  Eigen::VectorXd g;
  c.log_success(x, &g);
  for (int j = 0; j < 2; ++j) {
    const double h = 1e-6;
    Eigen::VectorXd a = x, b = x;
    a(j) += h;
    b(j) -= h;
    CHECK(g(j) == Approx((c.log_success(a) - c.log_success(b)) / (2 * h)).epsilon(1e-4).margin(1e-7));
  }
}

TEST_CASE("the classifier refuses empty or mismatched data", "[gp_classifier]") {
  CHECK_THROWS_AS(GpClassifier(Eigen::MatrixXd(0, 2), Eigen::Array<bool, Eigen::Dynamic, 1>(0)), InvalidArgument);
  CHECK_THROWS_AS(GpClassifier(Eigen::MatrixXd::Zero(3, 2), Eigen::Array<bool, Eigen::Dynamic, 1>(2)), InvalidArgument);
}
