// torch first: c10's logging defines a CHECK macro, which Catch's must replace.
#include "surrogates/pfn_network.h"
#undef CHECK

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "support/temp_path.h"

using namespace boex;

namespace {

PfnConfig tiny_config() {
  PfnConfig c;
  c.max_features = 3;
  c.max_train_points = 12;
  c.d_model = 16;
  c.n_layers = 2;
  c.n_heads = 2;
  c.d_ff = 24;
  c.decoder_hidden = 20;
  c.n_buckets = 10;
  return c;
}

Eigen::VectorXd tiny_borders(int K) { return Eigen::VectorXd::LinSpaced(K + 1, -3.0, 3.0); }

// A model whose residual branches are not zero (fresh models start as identity maps), so that
// attention and feed-forward paths are all exercised.
PfnModel random_model(std::uint64_t seed) {
  const PfnConfig c = tiny_config();
  PfnModel model(c, tiny_borders(c.n_buckets), seed);
  torch::manual_seed(seed + 1);
  torch::NoGradGuard no_grad;
  for (auto& p : model.impl().network->parameters()) p.add_(0.3 * torch::randn_like(p));
  return model;
}

Eigen::MatrixXd uniform(int rows, int cols, std::uint64_t seed) {
  Rng rng(seed);
  Eigen::MatrixXd m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = rng.uniform();
  return m;
}

}  // namespace

TEST_CASE("PFN: predictions ignore the order of the training points and the other test points", "[pfn]") {
  const PfnModel model = random_model(1);
  const Eigen::MatrixXd X = uniform(7, 3, 2), Xt = uniform(5, 3, 3);
  const Eigen::VectorXd y = uniform(7, 1, 4).col(0) * 2.0 - Eigen::VectorXd::Ones(7);
  const Eigen::MatrixXd base = model.condition(X, y).logits(Xt).front();
  Eigen::PermutationMatrix<Eigen::Dynamic> perm(7);
  perm.indices() << 3, 0, 6, 1, 5, 2, 4;
  const Eigen::MatrixXd permuted = model.condition(perm * X, perm * y).logits(Xt).front();
  CHECK((base - permuted).cwiseAbs().maxCoeff() < 1e-4);
  // One test point alone gets the same logits as within a batch: test points never see each other.
  for (int i = 0; i < 5; ++i) {
    const Eigen::MatrixXd single = model.condition(X, y).logits(Xt.row(i)).front();
    CHECK((single.row(0) - base.row(i)).cwiseAbs().maxCoeff() < 1e-4);
  }
  // But the training data do matter.
  const Eigen::MatrixXd other = model.condition(X, y.reverse()).logits(Xt).front();
  CHECK((base - other).cwiseAbs().maxCoeff() > 1e-2);
}

TEST_CASE("PFN: several output columns in one pass equal one pass per column", "[pfn]") {
  const PfnModel model = random_model(5);
  const Eigen::MatrixXd X = uniform(6, 2, 6), Xt = uniform(4, 2, 7);
  Eigen::MatrixXd Y(6, 3);
  Y.col(0) = uniform(6, 1, 8).col(0);
  Y.col(1) = -3.0 * uniform(6, 1, 9).col(0);
  Y.col(2) = Eigen::VectorXd::LinSpaced(6, -1, 1);
  const PfnConditioned joint = model.condition(X, Y);
  const std::vector<Eigen::MatrixXd> logits = joint.logits(Xt);
  REQUIRE(logits.size() == 3);
  for (int c = 0; c < 3; ++c) {
    const PfnConditioned alone = model.condition(X, Y.col(c));
    CHECK((alone.logits(Xt).front() - logits[c]).cwiseAbs().maxCoeff() < 1e-4);
    CHECK(alone.scale(0) == Approx(joint.scale(c)));
    CHECK(joint.scale(c) == Approx(std::sqrt(Y.col(c).squaredNorm() / 6 + 1.0)));
  }
}

TEST_CASE("PFN: the torch training loss is the bar distribution's negative log density", "[pfn]") {
  Eigen::VectorXd b(7);
  b << -2.0, -1.0, -0.5, 0.0, 0.2, 1.0, 2.5;
  const BarDistribution bar(b);
  torch::manual_seed(3);
  const torch::Tensor logits = torch::randn({2, 6, 6});
  const torch::Tensor y = torch::tensor({-4.0f, -1.5f, -0.7f, 0.1f, 0.7f, 1.0f, 1.2f, 3.0f, -0.5f, 0.0f, 2.5f, 8.0f}).view({2, 6});
  const torch::Tensor nll = bar_negative_log_likelihood(logits, y, bar);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 6; ++j) {
      Eigen::VectorXd z(6);
      for (int k = 0; k < 6; ++k) z(k) = logits[i][j][k].item<double>();
      INFO("y = " << y[i][j].item<double>());
      CHECK(nll[i][j].item<double>() == Approx(-bar.log_pdf(z, y[i][j].item<double>())).epsilon(1e-5));
    }
}

TEST_CASE("PFN: gradients of a function of the logits w.r.t. test inputs match finite differences", "[pfn]") {
  const PfnModel model = random_model(11);
  const Eigen::MatrixXd X = uniform(8, 3, 12), Xt = uniform(3, 3, 13);
  Eigen::MatrixXd Y(8, 2);
  Y.col(0) = uniform(8, 1, 14).col(0);
  Y.col(1) = uniform(8, 1, 15).col(0) - Eigen::VectorXd::Constant(8, 0.5);
  const PfnConditioned pfn = model.condition(X, Y);
  // F = sum_i log EI_0(x_i) + log PI_1(x_i): an acquisition over both outputs.
  const auto F = [&](const std::vector<Eigen::MatrixXd>& logits, std::vector<Eigen::MatrixXd>* dlogits) {
    double total = 0;
    if (dlogits) dlogits->assign(2, Eigen::MatrixXd::Zero(logits[0].rows(), logits[0].cols()));
    for (Eigen::Index i = 0; i < logits[0].rows(); ++i) {
      Eigen::VectorXd g0, g1;
      total += pfn.distribution(0).log_ei(logits[0].row(i).transpose(), 0.8, &g0);
      total += pfn.distribution(1).log_pi(logits[1].row(i).transpose(), 0.0, &g1);
      if (dlogits) {
        (*dlogits)[0].row(i) = g0.transpose();
        (*dlogits)[1].row(i) = g1.transpose();
      }
    }
    return total;
  };
  const PfnPrediction prediction = pfn.predict(Xt);
  std::vector<Eigen::MatrixXd> dlogits;
  F(prediction.logits(), &dlogits);
  const Eigen::MatrixXd grad = prediction.input_gradient(dlogits);
  REQUIRE(grad.rows() == 3);
  REQUIRE(grad.cols() == 3);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      // float32 network: a step of 1e-3 balances truncation and rounding.
      const double h = 1e-3;
      Eigen::MatrixXd plus = Xt, minus = Xt;
      plus(i, j) += h;
      minus(i, j) -= h;
      const double numeric = (F(pfn.logits(plus), nullptr) - F(pfn.logits(minus), nullptr)) / (2 * h);
      INFO("point " << i << " feature " << j);
      CHECK(grad(i, j) == Approx(numeric).epsilon(2e-3).margin(1e-3));
    }
  // The gradient is available again from the same pass (the graph is kept).
  CHECK((prediction.input_gradient(dlogits) - grad).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("PFN: a saved model loads with identical predictions and its recipe", "[pfn]") {
  testing::TempPath file(".boexpfn");
  const PfnModel model = random_model(21);
  model.save(file.path(), {{"steps", 7}});
  nlohmann::json recipe;
  const PfnModel loaded = PfnModel::load(file.path(), &recipe);
  CHECK(recipe["steps"] == 7);
  CHECK(loaded.config() == model.config());
  CHECK(loaded.bar().borders() == model.bar().borders());
  const Eigen::MatrixXd X = uniform(5, 2, 22), Xt = uniform(4, 2, 23);
  const Eigen::VectorXd y = uniform(5, 1, 24).col(0);
  CHECK(loaded.condition(X, y).logits(Xt).front() == model.condition(X, y).logits(Xt).front());
}

TEST_CASE("PFN: weights of another configuration are refused, naming the tensor", "[pfn]") {
  testing::TempPath file(".boexpfn");
  const PfnModel model = random_model(31);
  PfnCheckpoint checkpoint;
  checkpoint.config = model.config().to_json();
  checkpoint.borders.assign(model.bar().borders().data(), model.bar().borders().data() + model.bar().borders().size());
  checkpoint.tensors = model.parameters();
  checkpoint.tensors[2].shape.back() += 1;
  checkpoint.tensors[2].data.resize(checkpoint.tensors[2].data.size() / (checkpoint.tensors[2].shape.back() - 1) *
                                    checkpoint.tensors[2].shape.back());
  write_pfn_checkpoint(file.path(), checkpoint);
  CHECK_THROWS_AS(PfnModel::load(file.path()), SchemaError);
  CHECK_THROWS_WITH(PfnModel::load(file.path()), Catch::Matchers::Contains(checkpoint.tensors[2].name));

  checkpoint.tensors = model.parameters();
  checkpoint.tensors.pop_back();
  write_pfn_checkpoint(file.path(), checkpoint);
  CHECK_THROWS_WITH(PfnModel::load(file.path()), Catch::Matchers::Contains("missing"));

  checkpoint.tensors = model.parameters();
  checkpoint.config["d_model"] = 15;  // not divisible by the heads
  write_pfn_checkpoint(file.path(), checkpoint);
  CHECK_THROWS_AS(PfnModel::load(file.path()), SchemaError);

  checkpoint.config = model.config().to_json();
  checkpoint.borders.pop_back();
  write_pfn_checkpoint(file.path(), checkpoint);
  CHECK_THROWS_WITH(PfnModel::load(file.path()), Catch::Matchers::Contains("borders"));
}

TEST_CASE("PFN: too many dimensions or training points, and bad data, are clear errors", "[pfn]") {
  const PfnModel model = random_model(41);
  CHECK_THROWS_WITH(model.condition(uniform(5, 4, 1), Eigen::VectorXd::Zero(5)), Catch::Matchers::Contains("at most 3"));
  CHECK_THROWS_WITH(model.condition(uniform(13, 2, 1), Eigen::VectorXd::Zero(13)), Catch::Matchers::Contains("at most 12"));
  CHECK_THROWS_AS(model.condition(uniform(5, 2, 1), Eigen::VectorXd::Zero(4)), InvalidArgument);
  Eigen::VectorXd bad = Eigen::VectorXd::Zero(5);
  bad(1) = NAN;
  CHECK_THROWS_AS(model.condition(uniform(5, 2, 1), bad), InvalidArgument);
  const PfnConditioned pfn = model.condition(uniform(5, 2, 1), Eigen::VectorXd::Zero(5));
  CHECK_THROWS_AS(pfn.logits(uniform(3, 3, 2)), InvalidArgument);
  PfnConfig c = tiny_config();
  c.n_heads = 3;
  CHECK_THROWS_WITH(PfnModel(c, tiny_borders(c.n_buckets), 1), Catch::Matchers::Contains("n_heads"));
}

TEST_CASE("PFN: the same seed gives the same initial weights", "[pfn]") {
  const PfnConfig c = tiny_config();
  const auto a = PfnModel(c, tiny_borders(c.n_buckets), 9).parameters();
  const auto b = PfnModel(c, tiny_borders(c.n_buckets), 9).parameters();
  const auto other = PfnModel(c, tiny_borders(c.n_buckets), 10).parameters();
  REQUIRE(a.size() == b.size());
  bool differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].data == b[i].data);
    differs = differs || a[i].data != other[i].data;
  }
  CHECK(differs);
}
