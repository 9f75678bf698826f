// Draws regression tasks from the HEBO-like Gaussian-process prior the PFN is pre-trained on
// (PFNs4BO's HEBO+ prior): x uniform in [0,1]^d, a zero-mean Matern-3/2 ARD GP, noisy targets.
//
// Each task also carries its true hyperparameters, so an exact GP given them (the oracle bound on
// any model's predictive log-likelihood under this prior) can score it: see oracle_gp_predict.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "core/rng.h"

namespace boex {

struct GpPriorOptions {
  // Lengthscale of each used feature ~ Gamma(shape, rate), in the unit cube (mean 0.80).
  double lengthscale_shape = 1.2107;
  double lengthscale_rate = 1.5212;
  // Outputscale (the kernel's variance) ~ Gamma(shape, rate): mean 2.1, heavy right tail.
  double outputscale_shape = 0.8452;
  double outputscale_rate = 0.3994;
  // Noise variance ~ LogNormal(mean, std) of its logarithm: median 0.0098 (sd 0.099).
  double noise_log_mean = -4.63;
  double noise_log_std = 0.5;
  // Each feature is left out of the GP with this probability (it is still an input of the model,
  // which must learn to ignore it); at least one feature is always used.
  double unused_feature_probability = 0.3;

  void validate() const;  // throws InvalidArgument naming the field
};

struct GpPriorTask {
  Eigen::MatrixXd X;  // T x d, uniform in [0,1]^d
  Eigen::VectorXd f;  // T latent values (no noise)
  Eigen::VectorXd y;  // T observations f + noise
  // The truth that generated the task.
  std::vector<bool> used;       // d flags; at least one is true
  Eigen::VectorXd lengthscales;  // d; +infinity for an unused feature (it has no effect)
  double outputscale = 1.0;
  double noise_variance = 0.0;
};

// Tasks that share a number of points and a train/test split (one transformer forward pass);
// each task draws its own dimension in [min_features, max_features] and its own hyperparameters.
struct GpPriorBatch {
  std::vector<GpPriorTask> tasks;
  int n_train = 0;  // the first n_train points of every task are its training set
};

class GpPriorSampler {
 public:
  explicit GpPriorSampler(GpPriorOptions options = {});
  const GpPriorOptions& options() const { return options_; }

  // One task with n_points points in d dimensions (n_points >= 1, d >= 1).
  GpPriorTask sample(Rng& rng, int n_points, int d) const;

  // batch_size tasks of n_points points each, d ~ U{min_features..max_features} per task, and
  // n_train ~ U{1..n_points-1} unless given (then 1 <= n_train < n_points).
  GpPriorBatch sample_batch(Rng& rng, int batch_size, int n_points, int min_features, int max_features,
                            int n_train = 0) const;

  // Prior covariance of the observations at the rows of A and B under a task's hyperparameters
  // (the noise variance is added on the diagonal when A and B are the same points: same_points).
  static Eigen::MatrixXd covariance(const GpPriorTask& task, const Eigen::MatrixXd& A, const Eigen::MatrixXd& B,
                                    bool same_points);

 private:
  GpPriorOptions options_;
};

// Gamma(shape, rate) draw (Marsaglia and Tsang 2000; shape < 1 by boosting with U^(1/shape)).
double sample_gamma(Rng& rng, double shape, double rate);

// Exact GP posterior predictive of the noisy observations at points n_train..T-1 of a task,
// conditioned on its first n_train points, with the task's true hyperparameters.
struct OraclePrediction {
  Eigen::VectorXd mean;
  Eigen::VectorXd variance;  // includes the noise variance
};
OraclePrediction oracle_gp_predict(const GpPriorTask& task, int n_train);

// Mean negative log predictive density (nats per test point) of the task's test observations under
// the oracle's marginal predictive distributions: the bound a PFN's per-point NLL approaches.
double oracle_gp_nll(const GpPriorTask& task, int n_train);

}  // namespace boex
