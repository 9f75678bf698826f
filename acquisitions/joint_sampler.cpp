#include "acquisitions/joint_sampler.h"

#include <cmath>

#include "core/errors.h"
#include "core/linalg.h"
#include "core/rng.h"
#include "core/sobol.h"

namespace boex {

JointSampler::JointSampler(const Surrogate& model, const Eigen::MatrixXd& X_baseline, const Eigen::MatrixXd& Z)
    : model_(model), X_baseline_(X_baseline), cross_(model.cross_covariance(X_baseline)) {
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

std::unique_ptr<SampleSource> JointSampler::restricted(const std::vector<Eigen::Index>& keep) const {
  for (Eigen::Index i : keep)
    if (i < 0 || i >= X_baseline_.rows()) throw InvalidArgument("JointSampler::restricted: baseline column out of range");
  std::unique_ptr<JointSampler> out(new JointSampler(model_, X_baseline_(keep, Eigen::all)));
  out->cross_ = model_.cross_covariance(out->X_baseline_);
  // The kept columns are F_keep = mean + Z R^T with R = rows `keep` of L. Factorising R R^T = L_k
  // L_k^T (exactly the covariance the draws have, not a re-jittered posterior), the whitened
  // W = Z R^T L_k^-T are standard normal and reproduce F_keep: the candidate, conditioned on the
  // kept columns only, is then mean + beta . w + r z_x as in candidate().
  const Eigen::MatrixXd R = L_(keep, Eigen::all);
  const CholeskyResult chol = robust_cholesky(R * R.transpose());
  out->L_ = chol.ok ? chol.L : Eigen::MatrixXd(R.rowwise().norm().asDiagonal());
  out->Z_baseline_ = Z_baseline_ * solve_lower(out->L_, R).transpose();
  out->z_candidate_ = z_candidate_;
  out->F_baseline_ = F_baseline_(Eigen::all, keep);
  out->min_variance_ = min_variance_;
  return out;
}

FunctionSampler::FunctionSampler(const Surrogate& model, const Eigen::MatrixXd& X_baseline)
    : model_(model), F_baseline_(model.sample(X_baseline)) {}

void FunctionSampler::candidate(const Eigen::VectorXd& x, Eigen::VectorXd* samples, Eigen::MatrixXd* dsamples) const {
  model_.sample_with_gradient(x, samples, dsamples);
}

std::unique_ptr<SampleSource> make_sample_source(const Surrogate& model, const Eigen::MatrixXd& X_baseline,
                                                 int num_samples, std::uint64_t seed) {
  const Capabilities c = model.capabilities();
  if (c.joint) {
    const Eigen::MatrixXd Z = sobol_normal(num_samples, static_cast<int>(X_baseline.rows()) + 1, seed);
    return std::make_unique<JointSampler>(model, X_baseline, Z);
  }
  if (c.samples) return std::make_unique<FunctionSampler>(model, X_baseline);
  throw InvalidArgument("surrogate '" + model.name() + "' offers neither a joint posterior nor function samples");
}

std::vector<std::unique_ptr<SampleSource>> make_independent_sample_sources(const std::vector<const Surrogate*>& models,
                                                                           const Eigen::MatrixXd& X_baseline,
                                                                           int num_samples, std::uint64_t seed) {
  if (num_samples < 1) throw InvalidArgument("make_independent_sample_sources: num_samples must be >= 1");
  const int columns = static_cast<int>(X_baseline.rows()) + 1;
  const int total = columns * static_cast<int>(models.size());
  Eigen::MatrixXd Z;
  if (total <= sobol_max_dimension()) {
    Z = sobol_normal(num_samples, total, seed);
  } else {
    Rng rng(seed);
    Z.resize(num_samples, total);
    for (Eigen::Index i = 0; i < Z.size(); ++i) Z.data()[i] = rng.normal();
  }
  std::vector<std::unique_ptr<SampleSource>> sources;
  for (std::size_t i = 0; i < models.size(); ++i) {
    if (models[i]->capabilities().joint)
      sources.push_back(std::make_unique<JointSampler>(*models[i], X_baseline, Z.middleCols(static_cast<Eigen::Index>(i) * columns, columns)));
    else
      sources.push_back(make_sample_source(*models[i], X_baseline, num_samples, mix_seed(seed, i + 1)));
  }
  return sources;
}

}  // namespace boex
