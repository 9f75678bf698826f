// The infinite-width BNN kernel against independent truth: the linear kernel at depth 0, the
// diagonal recursion, and the empirical covariance of wide random ReLU networks. The kernel reads
// points x of the unit cube as network inputs u = 2x - 1.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/rng.h"
#include "core/sobol.h"
#include "surrogates/ibnn_kernel.h"

using namespace boex;

namespace {

InfiniteWidthBnnKernel kernel(int depth, int d, double sw2, double sb2) {
  KernelOptions o;
  o.depth = depth;
  InfiniteWidthBnnKernel k(o);
  k.resize(d);
  Eigen::VectorXd theta(2);
  theta << std::log(sw2), std::log(sb2);
  k.set_hyperparameters(theta);
  return k;
}

}  // namespace

TEST_CASE("the I-BNN kernel of depth 0 is the linear kernel sb2 + sw2 u.u'/d of u = 2x - 1", "[ibnn]") {
  const auto k = kernel(0, 3, 1.7, 0.4);
  const Eigen::MatrixXd X = sobol_points(6, 3, 2);
  const Eigen::MatrixXd U = (2.0 * X).array() - 1.0;
  const Eigen::MatrixXd expected = ((1.7 / 3.0) * (U * U.transpose())).array() + 0.4;
  CHECK((k.matrix(X, X) - expected).cwiseAbs().maxCoeff() < 1e-14);
}

TEST_CASE("the I-BNN diagonal follows K_l(x, x) = sb2 + sw2 K_{l-1}(x, x) / 2", "[ibnn]") {
  const auto k = kernel(3, 2, 2.0, 0.3);
  const Eigen::Vector2d x(0.6, 0.2);
  const Eigen::Vector2d u(0.2, -0.6);  // 2x - 1
  double expected = 0.3 + 2.0 * u.squaredNorm() / 2.0;
  for (int l = 0; l < 3; ++l) expected = 0.3 + 2.0 * expected / 2.0;
  CHECK(k.diagonal(Eigen::VectorXd(x), nullptr) == Approx(expected).epsilon(1e-14));
  // The pair formula at identical points is the same number (angle 0).
  CHECK(k.matrix(x.transpose(), x.transpose())(0, 0) == Approx(expected).epsilon(1e-12));
}

TEST_CASE("the I-BNN kernel equals the empirical covariance of width-4096 random ReLU networks", "[ibnn]") {
  // Preactivations h_1 = W_1 x + b_1 with weights of variance sw2 / fan_in and biases N(0, sb2),
  // then h_{l+1} = W relu(h_l) + b: the covariance of the output over the last layer's units,
  // sb2 + sw2 mean_u relu(h_3u(x)) relu(h_3u(x')), converges to K_3 as the width grows. The
  // 4096 x 4096 hidden weights are random signs of that variance (the limit needs only i.i.d.
  // weights of mean 0; signs cost a bit each where Gaussians would dominate the test's time).
  const int d = 4, width = 4096, depth = 3, nets = 8;
  const double sw2 = 2.0, sb2 = 0.2;
  const auto k = kernel(depth, d, sw2, sb2);
  const Eigen::MatrixXd X = sobol_points(5, d, 9);
  Eigen::MatrixXd empirical = Eigen::MatrixXd::Zero(5, 5);
  Rng rng(2024);
  auto gaussian = [&rng](int rows, int cols, double variance) {
    Eigen::MatrixXd W(rows, cols);
    const double sd = std::sqrt(variance);
    for (Eigen::Index i = 0; i < W.size(); ++i) W.data()[i] = sd * rng.normal();
    return W;
  };
  auto signs = [&rng](int rows, int cols, double variance) {
    Eigen::MatrixXd W(rows, cols);
    const double sd = std::sqrt(variance);
    std::uint64_t bits = 0;
    for (Eigen::Index i = 0; i < W.size(); ++i) {
      if (i % 64 == 0) bits = rng.next_u64();
      W.data()[i] = (bits >> (i % 64)) & 1 ? sd : -sd;
    }
    return W;
  };
  for (int net = 0; net < nets; ++net) {
    Eigen::MatrixXd H = gaussian(width, d, sw2 / d) * ((2.0 * X).array() - 1.0).matrix().transpose();  // width x 5
    H.colwise() += gaussian(width, 1, sb2).col(0);
    for (int l = 1; l < depth; ++l) {
      const Eigen::MatrixXd A = H.cwiseMax(0.0);
      H = signs(width, width, sw2 / width) * A;
      H.colwise() += gaussian(width, 1, sb2).col(0);
    }
    const Eigen::MatrixXd A = H.cwiseMax(0.0);
    empirical += (sw2 / width) * (A.transpose() * A) + Eigen::MatrixXd::Constant(5, 5, sb2);
  }
  empirical /= nets;
  const Eigen::MatrixXd exact = k.matrix(X, X);
  // A network's estimate moves by a few per cent (each layer's average over 4096 units is off by
  // about 1/sqrt(4096)); the mean of eight is within a few per cent of the limit.
  INFO("exact\n" << exact << "\nempirical\n" << empirical);
  CHECK(((empirical - exact).array() / exact.array()).abs().maxCoeff() < 0.04);
}
