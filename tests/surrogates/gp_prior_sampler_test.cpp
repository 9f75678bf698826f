#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/linalg.h"
#include "surrogates/gp_prior_sampler.h"

using namespace boex;

TEST_CASE("gamma draws have the distribution's mean and variance", "[prior]") {
  Rng rng(1);
  for (const auto& [shape, rate] : {std::pair{0.8452, 0.3994}, std::pair{1.2107, 1.5212}, std::pair{4.0, 2.0}}) {
    INFO("shape " << shape << " rate " << rate);
    const int N = 200000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < N; ++i) {
      const double g = sample_gamma(rng, shape, rate);
      REQUIRE(g > 0);
      sum += g;
      sum2 += g * g;
    }
    const double mean = sum / N, var = sum2 / N - mean * mean;
    CHECK(mean == Approx(shape / rate).epsilon(0.01));
    CHECK(var == Approx(shape / (rate * rate)).epsilon(0.03));
  }
}

TEST_CASE("prior tasks are draws from N(0, K) under their own hyperparameters (whitened residuals are iid N(0,1))",
          "[prior]") {
  const GpPriorSampler sampler;
  Rng rng(2);
  const int tasks = 3000, T = 8;
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(T);
  Eigen::MatrixXd second = Eigen::MatrixXd::Zero(T, T);
  for (int t = 0; t < tasks; ++t) {
    const GpPriorTask task = sampler.sample(rng, T, 3);
    const CholeskyResult chol = robust_cholesky(GpPriorSampler::covariance(task, task.X, task.X, true));
    REQUIRE(chol.ok);
    const Eigen::VectorXd w = solve_lower(chol.L, task.y);
    sum += w;
    second += w * w.transpose();
  }
  const Eigen::VectorXd mean = sum / tasks;
  const Eigen::MatrixXd cov = second / tasks - mean * mean.transpose();
  // Monte-Carlo standard errors: 1/sqrt(3000) = 0.018 for means and covariances, 0.026 for variances.
  CHECK(mean.cwiseAbs().maxCoeff() < 0.08);
  CHECK((cov - Eigen::MatrixXd::Identity(T, T)).cwiseAbs().maxCoeff() < 0.12);
}

TEST_CASE("prior: marginal second moment of y is E[outputscale] + E[noise variance]", "[prior]") {
  const GpPriorSampler sampler;
  const GpPriorOptions& o = sampler.options();
  Rng rng(3);
  const int tasks = 40000;
  double sum2 = 0, log_noise = 0, log_noise2 = 0, lengthscale = 0;
  int lengthscales = 0;
  for (int t = 0; t < tasks; ++t) {
    const GpPriorTask task = sampler.sample(rng, 1, 1);
    sum2 += task.y(0) * task.y(0);
    log_noise += std::log(task.noise_variance);
    log_noise2 += std::log(task.noise_variance) * std::log(task.noise_variance);
    lengthscale += task.lengthscales(0);
    ++lengthscales;
  }
  const double expected = o.outputscale_shape / o.outputscale_rate + std::exp(o.noise_log_mean + 0.5 * o.noise_log_std * o.noise_log_std);
  CHECK(sum2 / tasks == Approx(expected).epsilon(0.05));
  const double m = log_noise / tasks;
  CHECK(m == Approx(o.noise_log_mean).epsilon(0.005));
  CHECK(std::sqrt(log_noise2 / tasks - m * m) == Approx(o.noise_log_std).epsilon(0.02));
  CHECK(lengthscale / lengthscales == Approx(o.lengthscale_shape / o.lengthscale_rate).epsilon(0.02));
}

TEST_CASE("prior: unused features have no effect and at least one feature is used", "[prior]") {
  const GpPriorSampler sampler;
  Rng rng(4);
  int unused = 0, total = 0;
  for (int t = 0; t < 2000; ++t) {
    const GpPriorTask task = sampler.sample(rng, 6, 6);
    int used = 0;
    for (int j = 0; j < 6; ++j) {
      used += task.used[j];
      CHECK(std::isinf(task.lengthscales(j)) == !task.used[j]);
    }
    CHECK(used >= 1);
    unused += 6 - used;
    total += 6;
    if (used < 6) {
      // Moving every point along the unused features leaves the covariance unchanged.
      Eigen::MatrixXd moved = task.X;
      for (int j = 0; j < 6; ++j)
        if (!task.used[j]) moved.col(j) = Eigen::VectorXd::Random(6).cwiseAbs();
      const Eigen::MatrixXd K = GpPriorSampler::covariance(task, task.X, task.X, true);
      CHECK((GpPriorSampler::covariance(task, moved, moved, true) - K).cwiseAbs().maxCoeff() < 1e-14);
      CHECK((GpPriorSampler::covariance(task, moved, task.X, false) - GpPriorSampler::covariance(task, task.X, task.X, false))
                .cwiseAbs()
                .maxCoeff() < 1e-14);
    }
  }
  // 0.3 per feature, slightly less because an all-unused draw keeps one feature (0.3^6 = 0.07 %).
  CHECK(static_cast<double>(unused) / total == Approx(0.3).margin(0.02));
  // With one feature it is always used.
  for (int t = 0; t < 100; ++t) CHECK(sampler.sample(rng, 2, 1).used[0]);
}

TEST_CASE("prior: the oracle GP's predictions are calibrated on prior tasks", "[prior]") {
  const GpPriorSampler sampler;
  Rng rng(5);
  double sum = 0, sum2 = 0;
  int count = 0;
  for (int t = 0; t < 1500; ++t) {
    const GpPriorTask task = sampler.sample(rng, 12, 1 + static_cast<int>(rng.index(4)));
    const OraclePrediction p = oracle_gp_predict(task, 7);
    REQUIRE(p.mean.size() == 5);
    for (int i = 0; i < 5; ++i) {
      const double r = (task.y(7 + i) - p.mean(i)) / std::sqrt(p.variance(i));
      sum += r;
      sum2 += r * r;
      ++count;
    }
  }
  CHECK(std::abs(sum / count) < 0.04);
  CHECK(sum2 / count == Approx(1.0).epsilon(0.05));
}

TEST_CASE("prior: the oracle NLL is the mean Gaussian negative log density of the test points", "[prior]") {
  const GpPriorSampler sampler;
  Rng rng(6);
  const GpPriorTask task = sampler.sample(rng, 10, 2);
  const OraclePrediction p = oracle_gp_predict(task, 4);
  double nll = 0;
  for (int i = 0; i < 6; ++i)
    nll += 0.5 * std::log(2 * M_PI * p.variance(i)) + 0.5 * std::pow(task.y(4 + i) - p.mean(i), 2) / p.variance(i);
  CHECK(oracle_gp_nll(task, 4) == Approx(nll / 6));
}

TEST_CASE("prior batches: dimensions and training sizes in range, seeded, bad shapes refused", "[prior]") {
  const GpPriorSampler sampler;
  Rng a(7), b(7);
  const GpPriorBatch batch = sampler.sample_batch(a, 32, 20, 2, 5);
  const GpPriorBatch again = sampler.sample_batch(b, 32, 20, 2, 5);
  CHECK(batch.n_train >= 1);
  CHECK(batch.n_train <= 19);
  CHECK(batch.n_train == again.n_train);
  for (std::size_t t = 0; t < batch.tasks.size(); ++t) {
    CHECK(batch.tasks[t].X.rows() == 20);
    CHECK(batch.tasks[t].X.cols() >= 2);
    CHECK(batch.tasks[t].X.cols() <= 5);
    CHECK(batch.tasks[t].y == again.tasks[t].y);
  }
  CHECK(sampler.sample_batch(a, 4, 20, 1, 1, 7).n_train == 7);
  CHECK_THROWS_AS(sampler.sample_batch(a, 4, 1, 1, 3), InvalidArgument);
  CHECK_THROWS_AS(sampler.sample_batch(a, 4, 10, 1, 3, 10), InvalidArgument);
  CHECK_THROWS_AS(sampler.sample_batch(a, 4, 10, 0, 3), InvalidArgument);
  GpPriorOptions bad;
  bad.unused_feature_probability = 1.0;
  CHECK_THROWS_WITH(GpPriorSampler(bad), Catch::Matchers::Contains("unused_feature_probability"));
}
