#include "surrogates/gp_prior_sampler.h"

#include <cmath>
#include <limits>
#include <string>

#include "core/errors.h"
#include "core/linalg.h"
#include "core/normal.h"
#include "surrogates/matern32_kernel.h"

namespace boex {

namespace {

void require_positive(double value, const char* field) {
  if (!(value > 0) || !std::isfinite(value))
    throw InvalidArgument(std::string("GpPriorOptions::") + field + " = " + std::to_string(value) +
                          "; must be positive and finite");
}

}  // namespace

void GpPriorOptions::validate() const {
  require_positive(lengthscale_shape, "lengthscale_shape");
  require_positive(lengthscale_rate, "lengthscale_rate");
  require_positive(outputscale_shape, "outputscale_shape");
  require_positive(outputscale_rate, "outputscale_rate");
  require_positive(noise_log_std, "noise_log_std");
  if (!std::isfinite(noise_log_mean))
    throw InvalidArgument("GpPriorOptions::noise_log_mean = " + std::to_string(noise_log_mean) + "; must be finite");
  if (!(unused_feature_probability >= 0 && unused_feature_probability < 1))
    throw InvalidArgument("GpPriorOptions::unused_feature_probability = " +
                          std::to_string(unused_feature_probability) + "; must be in [0, 1)");
}

double sample_gamma(Rng& rng, double shape, double rate) {
  if (shape < 1.0) {
    // Gamma(a) = Gamma(a + 1) U^(1/a): the rejection sampler below needs a >= 1.
    const double boost = std::pow(rng.uniform(), 1.0 / shape);
    return sample_gamma(rng, shape + 1.0, rate) * boost;
  }
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double z, v;
    do {
      z = rng.normal();
      v = 1.0 + c * z;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniform();
    if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v)) return d * v / rate;
  }
}

GpPriorSampler::GpPriorSampler(GpPriorOptions options) : options_(options) { options_.validate(); }

Eigen::MatrixXd GpPriorSampler::covariance(const GpPriorTask& task, const Eigen::MatrixXd& A,
                                           const Eigen::MatrixXd& B, bool same_points) {
  static const Matern32Kernel kernel{KernelOptions()};
  // An unused feature has an infinite lengthscale: scaling by 1/l = 0 removes it exactly.
  const Eigen::RowVectorXd inv_l = task.lengthscales.cwiseInverse().transpose();
  const Eigen::MatrixXd As = A.array().rowwise() * inv_l.array();
  const Eigen::MatrixXd Bs = B.array().rowwise() * inv_l.array();
  Eigen::MatrixXd K(A.rows(), B.rows());
  for (Eigen::Index j = 0; j < B.rows(); ++j)
    for (Eigen::Index i = 0; i < A.rows(); ++i)
      K(i, j) = task.outputscale * kernel.profile((As.row(i) - Bs.row(j)).squaredNorm());
  if (same_points) K.diagonal().array() += task.noise_variance;
  return K;
}

GpPriorTask GpPriorSampler::sample(Rng& rng, int n_points, int d) const {
  if (n_points < 1) throw InvalidArgument("GpPriorSampler::sample: n_points = " + std::to_string(n_points) + "; must be >= 1");
  if (d < 1) throw InvalidArgument("GpPriorSampler::sample: d = " + std::to_string(d) + "; must be >= 1");
  GpPriorTask task;
  task.X.resize(n_points, d);
  for (int i = 0; i < n_points; ++i)
    for (int j = 0; j < d; ++j) task.X(i, j) = rng.uniform();

  task.used.assign(d, true);
  std::vector<double> draws(d);
  for (int j = 0; j < d; ++j) {
    draws[j] = rng.uniform();
    task.used[j] = draws[j] >= options_.unused_feature_probability;
  }
  bool any_used = false;
  for (bool u : task.used) any_used = any_used || u;
  if (!any_used) {
    // As PFNs4BO does: the feature with the smallest draw is kept, so which one is random.
    int keep = 0;
    for (int j = 1; j < d; ++j)
      if (draws[j] < draws[keep]) keep = j;
    task.used[keep] = true;
  }
  task.lengthscales.resize(d);
  for (int j = 0; j < d; ++j)
    task.lengthscales(j) = task.used[j] ? sample_gamma(rng, options_.lengthscale_shape, options_.lengthscale_rate)
                                        : std::numeric_limits<double>::infinity();
  task.outputscale = sample_gamma(rng, options_.outputscale_shape, options_.outputscale_rate);
  task.noise_variance = std::exp(options_.noise_log_mean + options_.noise_log_std * rng.normal());

  const Eigen::MatrixXd K = covariance(task, task.X, task.X, /*same_points=*/false);
  const CholeskyResult chol = robust_cholesky(K);
  if (!chol.ok) throw NumericalError("GpPriorSampler: the prior covariance could not be factorised");
  Eigen::VectorXd z(n_points), e(n_points);
  for (int i = 0; i < n_points; ++i) z(i) = rng.normal();
  for (int i = 0; i < n_points; ++i) e(i) = rng.normal();
  task.f = chol.L * z;
  task.y = task.f + std::sqrt(task.noise_variance) * e;
  return task;
}

GpPriorBatch GpPriorSampler::sample_batch(Rng& rng, int batch_size, int n_points, int min_features,
                                          int max_features, int n_train) const {
  if (batch_size < 1) throw InvalidArgument("GpPriorSampler::sample_batch: batch_size must be >= 1");
  if (n_points < 2) throw InvalidArgument("GpPriorSampler::sample_batch: n_points = " + std::to_string(n_points) +
                                          "; must be >= 2 (one train and one test point)");
  if (min_features < 1 || max_features < min_features)
    throw InvalidArgument("GpPriorSampler::sample_batch: features range [" + std::to_string(min_features) + ", " +
                          std::to_string(max_features) + "] is empty or below 1");
  if (n_train < 0 || n_train >= n_points)
    throw InvalidArgument("GpPriorSampler::sample_batch: n_train = " + std::to_string(n_train) + "; must be in [1, " +
                          std::to_string(n_points - 1) + "] or 0 to draw it");
  GpPriorBatch batch;
  batch.n_train = n_train > 0 ? n_train : 1 + static_cast<int>(rng.index(n_points - 1));
  batch.tasks.reserve(batch_size);
  for (int b = 0; b < batch_size; ++b) {
    const int d = min_features + static_cast<int>(rng.index(max_features - min_features + 1));
    batch.tasks.push_back(sample(rng, n_points, d));
  }
  return batch;
}

OraclePrediction oracle_gp_predict(const GpPriorTask& task, int n_train) {
  const Eigen::Index T = task.X.rows();
  if (n_train < 1 || n_train >= T)
    throw InvalidArgument("oracle_gp_predict: n_train = " + std::to_string(n_train) + "; must be in [1, " +
                          std::to_string(T - 1) + "]");
  const Eigen::MatrixXd Xtr = task.X.topRows(n_train), Xte = task.X.bottomRows(T - n_train);
  const CholeskyResult chol = robust_cholesky(GpPriorSampler::covariance(task, Xtr, Xtr, true));
  if (!chol.ok) throw NumericalError("oracle_gp_predict: the train covariance could not be factorised");
  const Eigen::MatrixXd Ks = GpPriorSampler::covariance(task, Xtr, Xte, false);  // n x m
  const Eigen::MatrixXd V = solve_lower(chol.L, Ks);
  const Eigen::VectorXd alpha = solve_lower(chol.L, task.y.head(n_train));
  OraclePrediction out;
  out.mean = V.transpose() * alpha;
  out.variance = (task.outputscale + task.noise_variance - V.colwise().squaredNorm().transpose().array()).matrix();
  out.variance = out.variance.cwiseMax(task.noise_variance);
  return out;
}

double oracle_gp_nll(const GpPriorTask& task, int n_train) {
  const OraclePrediction p = oracle_gp_predict(task, n_train);
  const Eigen::VectorXd y = task.y.tail(p.mean.size());
  double total = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double r = y(i) - p.mean(i);
    total += normal::kLogSqrt2Pi + 0.5 * std::log(p.variance(i)) + 0.5 * r * r / p.variance(i);
  }
  return total / y.size();
}

}  // namespace boex
