// The kernel conformance suite: every registered kernel is a symmetric PSD covariance whose every
// view (Gram matrix, cross matrix, column, diagonal) agrees, and whose hyperparameter and input
// gradients equal finite differences. Then the closed forms of particular kernels.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/rng.h"
#include "core/sobol.h"
#include "support/gradient_check.h"
#include "surrogates/kernel.h"
#include "surrogates/stationary_kernel.h"

using namespace boex;
using boex::testing::finite_difference_gradient;
using boex::testing::gradient_error;

namespace {

// A kernel sized for d inputs, at hyperparameters away from the prior mode (a random draw).
std::unique_ptr<Kernel> sized(const std::string& name, int d, std::uint64_t seed = 5,
                              std::vector<ColumnGroup> groups = {}) {
  auto k = make_kernel(name);
  k->set_groups(std::move(groups));
  k->resize(d);
  Rng rng(seed);
  Eigen::VectorXd lower, upper;
  k->bounds(&lower, &upper);
  k->set_hyperparameters(k->prior_draw(rng).cwiseMax(lower).cwiseMin(upper));
  return k;
}

}  // namespace

TEST_CASE("every registered kernel's Gram matrix is symmetric positive semi-definite", "[kernel]") {
  for (const std::string& name : kernel_names()) {
    INFO(name);
    const Eigen::MatrixXd X = sobol_points(30, 3, 7);
    const auto k = sized(name, 3);
    const Eigen::MatrixXd K = k->gram(X, k->hyperparameters(), nullptr);
    CHECK((K - K.transpose()).cwiseAbs().maxCoeff() < 1e-12 * K.cwiseAbs().maxCoeff());
    const Eigen::VectorXd eigenvalues = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(K).eigenvalues();
    CHECK(eigenvalues.minCoeff() > -1e-9 * eigenvalues.maxCoeff());
  }
}

TEST_CASE("every registered kernel's Gram, cross, column and diagonal views agree", "[kernel]") {
  for (const std::string& name : kernel_names()) {
    INFO(name);
    const Eigen::MatrixXd X = sobol_points(12, 4, 3), Y = sobol_points(5, 4, 11);
    const auto k = sized(name, 4);
    const Eigen::MatrixXd K = k->gram(X, k->hyperparameters(), nullptr);
    CHECK((k->matrix(X, X) - K).cwiseAbs().maxCoeff() < 1e-10);
    CHECK((k->diagonal(X) - K.diagonal()).cwiseAbs().maxCoeff() < 1e-10);
    const Eigen::MatrixXd KXY = k->matrix(X, Y);
    for (Eigen::Index j = 0; j < Y.rows(); ++j) {
      Eigen::VectorXd column;
      k->column(X, Y.row(j).transpose(), &column, nullptr);
      CHECK((column - KXY.col(j)).cwiseAbs().maxCoeff() < 1e-10);
    }
  }
}

TEST_CASE("every registered kernel's hyperparameter gradient contracts like finite differences", "[kernel]") {
  for (const std::string& name : kernel_names()) {
    INFO(name);
    const Eigen::MatrixXd X = sobol_points(9, 3, 19);
    const auto k = sized(name, 3);
    Rng rng(2);
    Eigen::MatrixXd G(9, 9);
    for (Eigen::Index i = 0; i < G.size(); ++i) G.data()[i] = rng.normal();
    G = (G + G.transpose()).eval();
    std::unique_ptr<GramGradient> dK;
    k->gram(X, k->hyperparameters(), &dK);
    const Eigen::VectorXd analytic = dK->contract(G);
    const auto numeric = finite_difference_gradient(
        [&](const Eigen::VectorXd& theta) { return k->gram(X, theta, nullptr).cwiseProduct(G).sum(); },
        k->hyperparameters());
    CHECK(gradient_error(analytic, numeric) < 1e-6);
    Eigen::VectorXd prior_gradient;
    k->log_prior(k->hyperparameters(), &prior_gradient);
    const auto prior_numeric = finite_difference_gradient(
        [&](const Eigen::VectorXd& theta) { return k->log_prior(theta, nullptr); }, k->hyperparameters());
    CHECK(gradient_error(prior_gradient, prior_numeric) < 1e-6);
  }
}

TEST_CASE("every registered kernel's input gradients equal finite differences", "[kernel]") {
  for (const std::string& name : kernel_names()) {
    INFO(name);
    const Eigen::MatrixXd A = sobol_points(7, 3, 23);
    const auto k = sized(name, 3);
    const Eigen::Vector3d x(0.31, 0.77, 0.52);
    Eigen::VectorXd column, diagonal_gradient;
    Eigen::MatrixXd J;
    k->column(A, x, &column, &J);
    for (Eigen::Index i = 0; i < A.rows(); ++i) {
      const auto numeric = finite_difference_gradient(
          [&](const Eigen::VectorXd& z) {
            Eigen::VectorXd c;
            k->column(A, z, &c, nullptr);
            return c(i);
          },
          x);
      CHECK(gradient_error(J.row(i).transpose(), numeric) < 1e-6);
    }
    k->diagonal(Eigen::VectorXd(x), &diagonal_gradient);
    const auto numeric = finite_difference_gradient([&](const Eigen::VectorXd& z) { return k->diagonal(z, nullptr); }, x);
    CHECK(gradient_error(diagonal_gradient, numeric) < 1e-6);
  }
}

TEST_CASE("stationary profiles are 1 at r = 0, decreasing, with kappa' equal to finite differences", "[kernel]") {
  for (const std::string name : {"matern52", "rbf"}) {
    INFO(name);
    const auto k = make_kernel(name);
    const auto& p = dynamic_cast<const StationaryKernel&>(*k);
    CHECK(p.profile(0.0) == Approx(1.0));
    double previous = 1.0;
    for (double r2 = 0.05; r2 < 20; r2 *= 1.7) {
      const double h = 1e-6 * r2;
      double value = 0, derivative = 0;
      p.profile(r2, &value, &derivative);
      CHECK(value == Approx(p.profile(r2)));
      CHECK(derivative == Approx((p.profile(r2 + h) - p.profile(r2 - h)) / (2 * h)).epsilon(1e-6));
      CHECK(value < previous);
      previous = value;
    }
  }
}

TEST_CASE("Matern-5/2 takes its closed form value", "[kernel]") {
  const auto k = make_kernel("matern52");
  const auto& p = dynamic_cast<const StationaryKernel&>(*k);
  const double r = 0.7;
  CHECK(p.profile(r * r) == Approx((1 + std::sqrt(5.0) * r + 5 * r * r / 3) * std::exp(-std::sqrt(5.0) * r)));
  double value = 0, derivative = 0;
  p.profile(0.0, &value, &derivative);
  CHECK(derivative == Approx(-5.0 / 6.0));
}

TEST_CASE("the overlap kernel is exp(-sum of the weights of mismatched sites) between one-hot points", "[kernel]") {
  // Two one-hot sites of 3 letters and a float column: groups {0,3}, {3,3}, {6,1}.
  const std::vector<ColumnGroup> groups = {{0, 3}, {3, 3}, {6, 1}};
  const auto k = sized("overlap", 7, 8, groups);
  REQUIRE(k->num_hyperparameters() == 3);
  const Eigen::VectorXd w = (-2.0 * k->hyperparameters()).array().exp();  // 1 / l_g^2
  Rng rng(4);
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(25, 7);
  std::vector<std::pair<int, int>> letters;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const int a = static_cast<int>(rng.index(3)), b = static_cast<int>(rng.index(3));
    X(i, a) = 1.0;
    X(i, 3 + b) = 1.0;
    X(i, 6) = rng.uniform();
    letters.push_back({a, b});
  }
  const Eigen::MatrixXd K = k->matrix(X, X);
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    for (Eigen::Index j = 0; j < X.rows(); ++j) {
      const double hamming = w(0) * (letters[i].first != letters[j].first) + w(1) * (letters[i].second != letters[j].second);
      const double d = X(i, 6) - X(j, 6);
      CHECK(K(i, j) == Approx(std::exp(-hamming - 0.5 * w(2) * d * d)).epsilon(1e-12));
    }
  const Eigen::VectorXd eigenvalues = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(K).eigenvalues();
  CHECK(eigenvalues.minCoeff() > -1e-9 * eigenvalues.maxCoeff());
  // Its hyperparameter gradient per site contracts like finite differences.
  Eigen::MatrixXd G = Eigen::MatrixXd::NullaryExpr(25, 25, [&]() { return rng.normal(); });
  G = (G + G.transpose()).eval();
  std::unique_ptr<GramGradient> dK;
  k->gram(X, k->hyperparameters(), &dK);
  const auto numeric = finite_difference_gradient(
      [&](const Eigen::VectorXd& theta) { return k->gram(X, theta, nullptr).cwiseProduct(G).sum(); }, k->hyperparameters());
  CHECK(gradient_error(dK->contract(G), numeric) < 1e-6);
  // Groups that do not tile the columns are refused.
  auto bad = make_kernel("overlap");
  bad->set_groups({{0, 3}, {4, 3}});
  CHECK_THROWS_AS(bad->resize(7), InvalidArgument);
}

TEST_CASE("an unknown kernel name lists the known ones", "[kernel]") {
  CHECK_THROWS_WITH(make_kernel("periodic"), Catch::Matchers::Contains("matern52") && Catch::Matchers::Contains("rbf") &&
                                                 Catch::Matchers::Contains("ibnn"));
}
