// The BNN surrogates' hand-written MLP passes and MAP training against independent truth: a
// scalar loop with std::tanh, central finite differences, and Adam's closed-form first step.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/rng.h"
#include "surrogates/mlp_map_fit.h"
#include "surrogates/mlp_stack.h"

using namespace boex;

namespace {

Eigen::MatrixXd uniform_points(int n, int d, Rng& rng) {
  Eigen::MatrixXd X(n, d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) X(i, j) = rng.uniform();
  return X;
}

// Random non-zero biases too, so that their gradients are exercised.
MlpStack random_stack(int members, int d, const std::vector<int>& hidden, Rng& rng) {
  MlpStack stack(members, d, hidden);
  stack.initialize(rng);
  for (Eigen::Index i = 0; i < stack.parameters().size(); ++i) stack.parameters().data()[i] += 0.3 * rng.normal();
  return stack;
}

}  // namespace

TEST_CASE("MLP forward pass equals a scalar evaluation of the documented parameter layout", "[mlp]") {
  Rng rng(3);
  const int d = 3, h1 = 4, h2 = 5;
  const MlpStack stack = random_stack(2, d, {h1, h2}, rng);
  const Eigen::MatrixXd X = uniform_points(6, d, rng);
  const Eigen::MatrixXd F = stack.values(X);
  REQUIRE(F.rows() == 2);
  REQUIRE(F.cols() == 6);
  for (int m = 0; m < 2; ++m) {
    const Eigen::VectorXd p = stack.parameters().col(m);
    for (int i = 0; i < X.rows(); ++i) {
      // Layer by layer: weights [in x out] column-major (W(a, b) at a + in * b), then biases.
      std::vector<double> in(d);
      for (int j = 0; j < d; ++j) in[j] = 2.0 * X(i, j) - 1.0;
      int at = 0;
      for (int out_width : {h1, h2, 1}) {
        const int in_width = static_cast<int>(in.size());
        std::vector<double> out(out_width);
        for (int b = 0; b < out_width; ++b) {
          double z = p(at + in_width * out_width + b);
          for (int a = 0; a < in_width; ++a) z += in[a] * p(at + a + in_width * b);
          out[b] = out_width == 1 ? z : std::tanh(z);
        }
        at += in_width * out_width + out_width;
        in = out;
      }
      REQUIRE(at == stack.parameters_per_member());
      CHECK(F(m, i) == Approx(in[0]).margin(1e-13));
    }
  }
}

TEST_CASE("MLP backward pass gives parameter and input gradients equal to finite differences", "[mlp]") {
  Rng rng(11);
  const int d = 4, n = 7;
  const MlpStack stack = random_stack(1, d, {6, 5}, rng);
  const Eigen::MatrixXd X = uniform_points(n, d, rng);
  Eigen::VectorXd dout(n);
  for (int i = 0; i < n; ++i) dout(i) = rng.normal();
  const Eigen::VectorXd theta = stack.parameters().col(0);
  MlpStack::Workspace ws;
  Eigen::VectorXd f, dtheta(theta.size());
  Eigen::MatrixXd dX;
  stack.forward(theta, X, &ws, &f);
  stack.backward(theta, dout, &ws, dtheta, &dX);
  auto objective = [&](const Eigen::VectorXd& t, const Eigen::MatrixXd& x) {
    MlpStack::Workspace w;
    Eigen::VectorXd value;
    stack.forward(t, x, &w, &value);
    return dout.dot(value);
  };
  const double h = 1e-6;
  for (Eigen::Index k = 0; k < theta.size(); ++k) {
    Eigen::VectorXd up = theta, down = theta;
    up(k) += h;
    down(k) -= h;
    CHECK(dtheta(k) == Approx((objective(up, X) - objective(down, X)) / (2 * h)).margin(1e-7));
  }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) {
      Eigen::MatrixXd up = X, down = X;
      up(i, j) += h;
      down(i, j) -= h;
      CHECK(dX(i, j) == Approx((objective(theta, up) - objective(theta, down)) / (2 * h)).margin(1e-7));
    }
}

TEST_CASE("MAP loss gradient in weights and log noise equals finite differences", "[mlp]") {
  Rng rng(5);
  const int d = 2;
  MlpStack stack = random_stack(2, d, {4}, rng);
  std::vector<Eigen::MatrixXd> X = {uniform_points(5, d, rng), uniform_points(3, d, rng)};
  std::vector<Eigen::VectorXd> y = {Eigen::VectorXd::Random(5), Eigen::VectorXd::Random(3)};
  Eigen::VectorXd log_noise(2);
  log_noise << -1.3, 0.4;
  Eigen::MatrixXd dparameters;
  Eigen::VectorXd dlog_noise;
  // Per-parameter precisions (the fan-in prior's), so the prior term's gradient is checked too.
  const Eigen::VectorXd P = stack.prior_precision(0.7, true);
  map_loss(stack, X, y, log_noise, P, &dparameters, &dlog_noise);
  Eigen::MatrixXd unused_p;
  Eigen::VectorXd unused_s;
  const double h = 1e-6;
  for (Eigen::Index k = 0; k < stack.parameters().size(); ++k) {
    MlpStack up = stack, down = stack;
    up.parameters().data()[k] += h;
    down.parameters().data()[k] -= h;
    const double fd = (map_loss(up, X, y, log_noise, P, &unused_p, &unused_s) -
                       map_loss(down, X, y, log_noise, P, &unused_p, &unused_s)) / (2 * h);
    CHECK(dparameters.data()[k] == Approx(fd).margin(1e-6));
  }
  for (int m = 0; m < 2; ++m) {
    Eigen::VectorXd up = log_noise, down = log_noise;
    up(m) += h;
    down(m) -= h;
    const double fd = (map_loss(stack, X, y, up, P, &unused_p, &unused_s) -
                       map_loss(stack, X, y, down, P, &unused_p, &unused_s)) / (2 * h);
    CHECK(dlog_noise(m) == Approx(fd).margin(1e-6));
  }
}

TEST_CASE("MAP fit's first Adam step moves every parameter by the learning rate against its gradient's sign", "[mlp]") {
  // Adam's bias-corrected first step is lr * g / (|g| + eps'), i.e. lr * sign(g).
  Rng rng(9);
  const MlpStack start = random_stack(3, 2, {5}, rng);
  std::vector<Eigen::MatrixXd> X(3, uniform_points(6, 2, rng));
  std::vector<Eigen::VectorXd> y(3, Eigen::VectorXd::LinSpaced(6, -1, 1));
  Eigen::VectorXd log_noise = Eigen::VectorXd::Constant(3, -2.0);
  Eigen::MatrixXd g;
  Eigen::VectorXd gs;
  map_loss(start, X, y, log_noise, start.prior_precision(1.0, true), &g, &gs);
  MlpStack stack = start;
  MapFitOptions options;
  options.steps = 1;
  options.learning_rate = 0.01;
  options.fan_in_prior = true;  // the precisions the gradient above was taken with
  fit_map(&stack, X, y, &log_noise, options);
  const Eigen::MatrixXd moved = stack.parameters() - start.parameters();
  for (Eigen::Index k = 0; k < g.size(); ++k)
    if (std::abs(g.data()[k]) > 1e-6) CHECK(moved.data()[k] == Approx(g.data()[k] > 0 ? -0.01 : 0.01).epsilon(1e-4));
  for (int m = 0; m < 3; ++m) CHECK(log_noise(m) == Approx(-2.0 - (gs(m) > 0 ? 0.01 : -0.01)).epsilon(1e-6));
}

TEST_CASE("MAP fit recovers a smooth function and learns a small noise", "[mlp]") {
  Rng rng(21);
  const int n = 40;
  const Eigen::MatrixXd X = uniform_points(n, 2, rng);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) y(i) = std::sin(3.0 * X(i, 0)) + X(i, 1) * X(i, 1);
  y = (y.array() - y.mean()) / std::sqrt((y.array() - y.mean()).square().sum() / (n - 1));
  MlpStack stack(1, 2, {32, 32});
  stack.initialize(rng);
  Eigen::VectorXd log_noise = Eigen::VectorXd::Constant(1, -4.0);
  MapFitOptions options;
  options.steps = 2000;
  options.learning_rate = 1e-2;
  const double loss = fit_map(&stack, {X}, {y}, &log_noise, options);
  REQUIRE(std::isfinite(loss));
  const Eigen::VectorXd residual = y - stack.values(X).row(0).transpose();
  CHECK(std::sqrt(residual.squaredNorm() / n) < 0.1);  // of a unit-variance signal
  CHECK(std::exp(log_noise(0)) < 0.05);
}

TEST_CASE("MLP stack and MAP fit refuse bad shapes and options", "[mlp]") {
  CHECK_THROWS_AS(MlpStack(0, 2, {4}), InvalidArgument);
  CHECK_THROWS_AS(MlpStack(1, 2, {0}), InvalidArgument);
  const MlpStack stack(1, 2, {4});
  CHECK_THROWS_AS(stack.values(Eigen::MatrixXd::Zero(3, 5)), InvalidArgument);
  MapFitOptions options;
  options.learning_rate = -1;
  CHECK_THROWS_WITH(options.validate(), Catch::Contains("learning_rate"));
  Eigen::MatrixXd g;
  Eigen::VectorXd gs;
  CHECK_THROWS_AS(map_loss(stack, {}, {}, Eigen::VectorXd::Zero(1), stack.prior_precision(1.0, true), &g, &gs),
                  InvalidArgument);
  CHECK_THROWS_AS(map_loss(stack, {Eigen::MatrixXd::Zero(1, 2)}, {Eigen::VectorXd::Zero(1)}, Eigen::VectorXd::Zero(1),
                           Eigen::VectorXd::Ones(2), &g, &gs),
                  InvalidArgument);
}

TEST_CASE("Fan-in prior precision scales each layer's weights by its fan-in and leaves biases alone", "[mlp]") {
  const MlpStack stack(1, 3, {4});
  const Eigen::VectorXd flat = stack.prior_precision(2.0, false), scaled = stack.prior_precision(2.0, true);
  REQUIRE(flat.size() == 3 * 4 + 4 + 4 + 1);
  CHECK((flat.array() == 0.5).all());
  CHECK((scaled.head(12).array() == 1.5).all());        // 3 / 2
  CHECK((scaled.segment(12, 4).array() == 0.5).all());  // biases
  CHECK((scaled.segment(16, 4).array() == 2.0).all());  // 4 / 2
  CHECK(scaled(20) == 0.5);
}
