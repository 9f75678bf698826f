// The multi-fidelity kernels against their closed forms and limits: the linear-truncated kernel is
// the design kernel k0 at the target and k0 + v c k1 elsewhere; the AR1 kernel with rho = 0 makes
// the fidelities independent GPs, and with rho = 1 and a vanishing difference makes the target
// predict what the cheap level says. (Symmetry, PSD and gradients: kernel_test.cpp, which enrols
// every registered kernel.)
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "core/errors.h"
#include "core/linalg.h"
#include "core/sobol.h"
#include "surrogates/ar1_fidelity_kernel.h"
#include "surrogates/linear_truncated_fidelity_kernel.h"
#include "surrogates/multi_fidelity_gp.h"

using namespace boex;
using Catch::Matchers::Contains;

namespace {

// n design points in [0,1]^2 with the fidelity column (the last) set to s.
Eigen::MatrixXd at_fidelity(const Eigen::MatrixXd& design, double s) {
  Eigen::MatrixXd X(design.rows(), 3);
  X << design, Eigen::VectorXd::Constant(design.rows(), s);
  return X;
}

// The GP posterior mean at rows B given noisy observations y at rows A (zero prior mean).
Eigen::VectorXd posterior_mean(const Kernel& k, const Eigen::MatrixXd& A, const Eigen::VectorXd& y,
                               const Eigen::MatrixXd& B, double noise) {
  Eigen::MatrixXd K = k.matrix(A, A);
  K.diagonal().array() += noise;
  return k.matrix(B, A) * K.ldlt().solve(y);
}

Eigen::VectorXd ar1_theta(const Ar1FidelityKernel& k, double log_difference_variance, double rho) {
  Eigen::VectorXd theta = k.hyperparameters();
  theta(theta.size() - 2) = log_difference_variance;
  theta(theta.size() - 1) = rho;
  return theta;
}

// The largest error of a fitted GP's mean at the target fidelity (s = 1) over 40 points, relative
// to the largest |f| there.
template <class F>
double relative_target_error(const Surrogate& gp, const F& f) {
  const Eigen::MatrixXd query = at_fidelity(sobol_points(40, 2, 77), 1.0);
  Eigen::VectorXd mean;
  gp.predict(query, &mean, nullptr);
  double error = 0.0, spread = 0.0;
  for (Eigen::Index i = 0; i < query.rows(); ++i) {
    error = std::max(error, std::abs(mean(i) - f(query.row(i).transpose())));
    spread = std::max(spread, std::abs(f(query.row(i).transpose())));
  }
  return error / spread;
}

}  // namespace

TEST_CASE("the linear-truncated kernel is the design kernel at the target fidelity and adds v c k1 below it", "[fidelity]") {
  KernelOptions options;
  LinearTruncatedFidelityKernel k(options);
  k.resize(3);
  Eigen::VectorXd theta = k.hyperparameters();
  theta.head(2) = Eigen::Vector2d(0.2, 0.5).array().log();
  theta.segment(2, 2) = Eigen::Vector2d(0.4, 0.3).array().log();
  theta.tail(2) = Eigen::Vector2d(0.6, 1.7).array().log();
  k.set_hyperparameters(theta);
  const Eigen::MatrixXd Z = sobol_points(6, 2, 4), W = sobol_points(4, 2, 9);
  const Eigen::MatrixXd K0 = k.part(0).matrix(Z, W), K1 = k.part(1).matrix(Z, W);
  CHECK((k.matrix(at_fidelity(Z, 1.0), at_fidelity(W, 1.0)) - K0).cwiseAbs().maxCoeff() < 1e-14);
  // One side at the target is enough: c(1, s') = 0.
  CHECK((k.matrix(at_fidelity(Z, 1.0), at_fidelity(W, 0.3)) - K0).cwiseAbs().maxCoeff() < 1e-14);
  const double s = 0.2, t = 0.7;
  const double c = (1 - s) * (1 - t) * std::exp(1.7 * s * t);
  CHECK((k.matrix(at_fidelity(Z, s), at_fidelity(W, t)) - (K0 + 0.6 * c * K1)).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("within its bounds the linear-truncated bias variance falls monotonically towards the target", "[fidelity]") {
  // The largest power the fit may take: c(s, s) = (1 - s)^2 exp(p s^2) must not peak below the
  // target, where points would then be cut off from it (the bias would swamp them while c(1, .) = 0).
  KernelOptions options;
  LinearTruncatedFidelityKernel k(options);
  k.resize(3);
  Eigen::VectorXd lower, upper;
  k.bounds(&lower, &upper);
  Eigen::VectorXd theta = k.hyperparameters();
  theta.tail(2) = Eigen::Vector2d(0.0, upper(upper.size() - 1));
  k.set_hyperparameters(theta);
  CHECK(k.power() > 2.0);  // the bound is not so tight that p cannot exceed the prior's bulk
  Eigen::MatrixXd X(1, 3);
  X << 0.3, 0.6, 0.0;
  const double k0 = k.part(0).matrix(X.leftCols(2), X.leftCols(2))(0, 0);
  const double k1 = k.part(1).matrix(X.leftCols(2), X.leftCols(2))(0, 0);
  double previous = std::numeric_limits<double>::infinity();
  for (int i = 0; i <= 100; ++i) {
    X(0, 2) = i / 100.0;
    const double c = (k.diagonal(X.row(0).transpose(), nullptr) - k0) / (k.bias_variance() * k1);
    INFO("s = " << X(0, 2));
    CHECK(c < previous);
    CHECK(c <= 1.0 + 1e-12);
    previous = c;
  }
  CHECK(previous == Approx(0.0).margin(1e-14));
}

TEST_CASE("a target at the low end of the fidelity column mirrors the kernel", "[fidelity]") {
  KernelOptions high, low;
  low.fidelity.target = 0.0;
  LinearTruncatedFidelityKernel a(high), b(low);
  a.resize(3);
  b.resize(3);
  b.set_hyperparameters(a.hyperparameters());
  const Eigen::MatrixXd X = sobol_points(8, 3, 2);
  Eigen::MatrixXd mirrored = X;
  mirrored.col(2) = (1.0 - X.col(2).array()).matrix();
  CHECK((a.matrix(X, X) - b.matrix(mirrored, mirrored)).cwiseAbs().maxCoeff() < 1e-14);
}

TEST_CASE("AR1 with rho = 0 makes the fidelities independent GPs", "[fidelity]") {
  KernelOptions options;
  options.fidelity.levels = 2;
  Ar1FidelityKernel k(options);
  k.resize(3);
  k.set_hyperparameters(ar1_theta(k, std::log(0.8), 0.0));
  const Eigen::MatrixXd Z = sobol_points(7, 2, 1), W = sobol_points(5, 2, 6);
  const Eigen::MatrixXd low = at_fidelity(Z, 0.0), high = at_fidelity(W, 1.0);
  CHECK(k.matrix(low, high).cwiseAbs().maxCoeff() == 0.0);
  CHECK((k.matrix(high, high) - 0.8 * k.part(1).matrix(W, W)).cwiseAbs().maxCoeff() < 1e-14);
  CHECK((k.matrix(low, low) - k.part(0).matrix(Z, Z)).cwiseAbs().maxCoeff() < 1e-14);
  // Cheap data then leave the target's posterior as the target's data alone make it.
  Eigen::MatrixXd both(12, 3);
  both << low, high;
  const Eigen::VectorXd y_low = Z.col(0).array().sin().matrix(), y_high = W.col(1).array().cos().matrix();
  Eigen::VectorXd y(12);
  y << y_low, y_high;
  const Eigen::MatrixXd query = at_fidelity(sobol_points(9, 2, 13), 1.0);
  const Eigen::VectorXd joint = posterior_mean(k, both, y, query, 1e-4);
  const Eigen::VectorXd alone = posterior_mean(k, high, y_high, query, 1e-4);
  CHECK((joint - alone).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("AR1 with rho = 1 and a vanishing difference predicts the target as the cheap level", "[fidelity]") {
  KernelOptions options;
  options.fidelity.levels = 2;
  Ar1FidelityKernel k(options);
  k.resize(3);
  k.set_hyperparameters(ar1_theta(k, std::log(1e-6), 1.0));
  const Eigen::MatrixXd Z = sobol_points(10, 2, 3), Q = sobol_points(6, 2, 17);
  const Eigen::VectorXd y = (3 * Z.col(0)).array().sin().matrix() + Z.col(1);
  const Eigen::VectorXd at_high = posterior_mean(k, at_fidelity(Z, 0.0), y, at_fidelity(Q, 1.0), 1e-4);
  const Eigen::VectorXd at_low = posterior_mean(k, at_fidelity(Z, 0.0), y, at_fidelity(Q, 0.0), 1e-4);
  CHECK((at_high - at_low).cwiseAbs().maxCoeff() < 1e-10);
  // And the AR1 formula for three levels: K_21 = rho_1 (rho_0 k_0 + ...) blocks, checked at one pair.
  KernelOptions three = options;
  three.fidelity.levels = 3;
  Ar1FidelityKernel k3(three);
  k3.resize(3);
  Eigen::VectorXd theta = k3.hyperparameters();
  const Eigen::Index own = theta.size() - 4;
  theta.segment(own, 4) << std::log(0.5), std::log(0.2), 0.7, 1.3;  // v1, v2, rho0, rho1
  k3.set_hyperparameters(theta);
  const Eigen::MatrixXd a = at_fidelity(Z.topRows(1), 1.0), b = at_fidelity(Z.bottomRows(1), 0.5);
  const Eigen::MatrixXd za = Z.topRows(1), zb = Z.bottomRows(1);
  const double expected = 1.3 * 0.7 * 0.7 * k3.part(0).matrix(za, zb)(0, 0) + 1.3 * 0.5 * k3.part(1).matrix(za, zb)(0, 0);
  CHECK(k3.matrix(a, b)(0, 0) == Approx(expected).epsilon(1e-12));
  CHECK(k3.level(0.5) == 1);
}

TEST_CASE("the multi-fidelity GP picks AR1 for a few levels, linear-truncated otherwise, and refuses bad options", "[fidelity]") {
  MultiFidelityGpOptions o;
  FidelityColumn continuous, levels;
  levels.levels = 3;
  CHECK(fidelity_kernel_name(o, continuous) == "linear-truncated-fidelity");
  CHECK(fidelity_kernel_name(o, levels) == "ar1-fidelity");
  levels.levels = 8;
  CHECK(fidelity_kernel_name(o, levels) == "linear-truncated-fidelity");
  o.fidelity_kernel = "ar1";
  CHECK_THROWS_WITH(fidelity_kernel_name(o, continuous), Contains("int parameter"));
  o.fidelity_kernel = "downsampling";
  CHECK_THROWS_WITH(o.validate(), Contains("fidelity_kernel"));
  o.fidelity_kernel = "auto";
  o.gp.kernel = "linear-truncated-fidelity";
  CHECK_THROWS_WITH(o.validate(), Contains("design columns"));
  KernelOptions bad;
  bad.fidelity.target = 0.5;
  CHECK_THROWS_AS(LinearTruncatedFidelityKernel(bad), InvalidArgument);
  LinearTruncatedFidelityKernel one_column{KernelOptions()};
  CHECK_THROWS_WITH(one_column.resize(1), Contains("at least one other input"));
}

TEST_CASE("the multi-fidelity GP fitted on cheap and target data recovers the target function", "[fidelity]") {
  // f_s(x) = sin(6 x0) + x1 - 0.5 (1 - s) x0: the bias shrinks towards the target.
  const auto f = [](const Eigen::VectorXd& x) { return std::sin(6 * x(0)) + x(1) - 0.5 * (1 - x(2)) * x(0); };
  const Eigen::MatrixXd cheap = at_fidelity(sobol_points(30, 2, 5), 0.0), dear = at_fidelity(sobol_points(6, 2, 21), 1.0);
  Eigen::MatrixXd X(36, 3);
  X << cheap, dear;
  Eigen::VectorXd y(36);
  for (Eigen::Index i = 0; i < 36; ++i) y(i) = f(X.row(i).transpose());
  MultiFidelityGpOptions o;
  o.gp.seed = 3;
  const auto gp = make_multi_fidelity_gp(o, FidelityColumn());
  CHECK(gp->capabilities().fidelity);
  gp->fit(X, y);
  // Six target points alone cannot resolve sin(6 x0); the cheap ones carry its shape.
  CHECK(relative_target_error(*gp, f) < 0.15);
}

TEST_CASE("the multi-fidelity GP fitted on data just below the target predicts the target from it", "[fidelity]") {
  // What a cost-aware strategy collects when fidelity is cheap: every point a little below the
  // target (s in [0.85, 0.99]), none at it. The bias there is tiny, so the target must follow the
  // data; a power p free to grow made c(s, s) = (1 - s)^2 exp(p s^2) huge near s = 1 while
  // c(1, .) = 0, and the fit cut the target off from the data (its mean fell back to the prior).
  const auto f = [](const Eigen::VectorXd& x) { return std::sin(6 * x(0)) + x(1) - 0.5 * (1 - x(2)) * x(0); };
  const Eigen::MatrixXd Z = sobol_points(40, 3, 5);
  Eigen::MatrixXd X = Z;
  X.col(2) = (0.85 + 0.14 * Z.col(2).array()).matrix();
  Eigen::VectorXd y(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) y(i) = f(X.row(i).transpose());
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    MultiFidelityGpOptions o;
    o.gp.seed = seed;
    const auto gp = make_multi_fidelity_gp(o, FidelityColumn());
    gp->fit(X, y);
    INFO("seed " << seed);
    CHECK(relative_target_error(*gp, f) < 0.15);
  }
}
