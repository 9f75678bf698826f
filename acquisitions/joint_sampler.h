// Joint posterior samples of one model at a fixed baseline and at a moving candidate x, from fixed
// base normals (sample-average approximation, BoTorch's cached-root trick): the baseline's
// Cholesky factor is computed once, and each candidate costs O(N m d) for N samples and m
// baseline points, with exact gradients of every sample in x.
#pragma once

#include <memory>

#include "surrogates/surrogate.h"

namespace boex {

class JointSampler {
 public:
  // Z: N x (m + 1) standard normals; columns 0..m-1 drive the baseline, column m the candidate.
  JointSampler(const Surrogate& model, const Eigen::MatrixXd& X_baseline, const Eigen::MatrixXd& Z);

  // N x m samples at the baseline (fixed).
  const Eigen::MatrixXd& baseline_samples() const { return F_baseline_; }
  // N samples at x, jointly with the baseline ones; dsamples: N x d (optional).
  void candidate(const Eigen::VectorXd& x, Eigen::VectorXd* samples, Eigen::MatrixXd* dsamples) const;

 private:
  const Surrogate& model_;
  std::unique_ptr<CrossCovariance> cross_;
  Eigen::MatrixXd L_;           // chol of the baseline covariance
  Eigen::MatrixXd Z_baseline_;  // N x m
  Eigen::VectorXd z_candidate_; // N
  Eigen::MatrixXd F_baseline_;  // N x m
  double min_variance_ = 0.0;
};

}  // namespace boex
