#include "acquisitions/joint_sampler.h"

#include <cmath>

#include "core/linalg.h"

namespace boex {

JointSampler::JointSampler(const Surrogate& model, const Eigen::MatrixXd& X_baseline, const Eigen::MatrixXd& Z)
    : model_(model), cross_(model.cross_covariance(X_baseline)) {
  const Eigen::Index m = X_baseline.rows();
  const Posterior post = model.posterior(X_baseline);
  CholeskyResult chol = robust_cholesky(post.covariance);
  L_ = chol.ok ? chol.L : Eigen::MatrixXd(post.covariance.diagonal().cwiseSqrt().asDiagonal());
  Z_baseline_ = Z.leftCols(m);
  z_candidate_ = Z.col(m);
  F_baseline_ = Z_baseline_ * L_.transpose();
  F_baseline_.rowwise() += post.mean.transpose();
  min_variance_ = 1e-12 * std::max(post.covariance.diagonal().maxCoeff(), 1e-300);
}

void JointSampler::candidate(const Eigen::VectorXd& x, Eigen::VectorXd* samples, Eigen::MatrixXd* dsamples) const {
  double mean = 0.0, variance = 0.0;
  Eigen::VectorXd dmean, dvariance, cov;
  Eigen::MatrixXd dcov;
  model_.predict_with_gradient(x, &mean, &variance, dsamples ? &dmean : nullptr, dsamples ? &dvariance : nullptr);
  cross_->evaluate(x, &cov, dsamples ? &dcov : nullptr);
  // f(x) = mean + beta . z_b + r z_x with beta = L^-1 Sigma_b(x), r^2 = var - |beta|^2.
  const Eigen::VectorXd beta = solve_lower(L_, cov);
  const double r2 = variance - beta.squaredNorm();
  const double r = std::sqrt(std::max(r2, min_variance_));
  *samples = (Z_baseline_ * beta).array() + mean;
  *samples += r * z_candidate_;
  if (dsamples) {
    const Eigen::MatrixXd dbeta = solve_lower(L_, dcov);  // m x d
    const Eigen::VectorXd dr = r2 > min_variance_ ? Eigen::VectorXd((dvariance - 2.0 * dbeta.transpose() * beta) / (2.0 * r))
                                                  : Eigen::VectorXd::Zero(x.size());
    *dsamples = Z_baseline_ * dbeta + z_candidate_ * dr.transpose();
    dsamples->rowwise() += dmean.transpose();
  }
}

}  // namespace boex
