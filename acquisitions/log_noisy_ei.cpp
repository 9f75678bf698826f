#include "acquisitions/log_noisy_ei.h"

#include <cmath>
#include <limits>

#include "acquisitions/expected_max.h"
#include "core/errors.h"

namespace boex {

LogNoisyExpectedImprovement::LogNoisyExpectedImprovement(const Surrogate& model, const Eigen::MatrixXd& X_observed)
    : model_(model), cross_(model.cross_covariance(X_observed)), noise_(model.noise_variance()) {
  if (X_observed.rows() == 0) throw InvalidArgument("noisy EI needs at least one evaluated point");
  model.predict(X_observed, &mean_observed_, nullptr);
  best_mean_ = mean_observed_.maxCoeff();
}

double LogNoisyExpectedImprovement::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const Eigen::Index n = mean_observed_.size();
  double mean = 0.0, variance = 0.0;
  Eigen::VectorXd dmean, dvariance, cov;
  Eigen::MatrixXd dcov;
  model_.predict_with_gradient(x, &mean, &variance, gradient ? &dmean : nullptr, gradient ? &dvariance : nullptr);
  cross_->evaluate(x, &cov, gradient ? &dcov : nullptr);
  // mu_{n+1}(x_i) = mu_n(x_i) + b_i Z with b_i = Sigma_n(x_i, x) / sqrt(sigma_n^2(x) + noise).
  const double denom = std::sqrt(variance + noise_);
  Eigen::VectorXd a(n + 1), b(n + 1);
  a << mean_observed_, mean;
  b << cov / denom, variance / denom;
  const ExpectedMax e = expected_max_affine(a, b, gradient != nullptr);
  // NEI = (E[max] - max a) + (max a - best_mean), the second part max(mean - best_mean, 0).
  const double lift = mean - best_mean_;
  double log_nei = e.log_increment;
  if (lift > 0) log_nei = std::max(log_nei, std::log(lift)) + std::log1p(std::exp(-std::abs(log_nei - std::log(lift))));
  if (gradient) {
    // dE[max]/dx through the lines (envelope theorem); the observed intercepts do not move.
    const Eigen::VectorXd ddenom = dvariance / (2.0 * denom);
    Eigen::VectorXd dnei = e.probability(n) * dmean +
                           e.slope(n) * (dvariance / denom - variance * ddenom / (denom * denom));
    for (Eigen::Index i = 0; i < n; ++i)
      if (e.slope(i) != 0.0) dnei += e.slope(i) * (dcov.row(i).transpose() / denom - cov(i) * ddenom / (denom * denom));
    const double nei = std::exp(log_nei);
    *gradient = nei > 0 && std::isfinite(log_nei) ? Eigen::VectorXd(dnei / nei) : Eigen::VectorXd::Zero(x.size());
  }
  return log_nei;
}

}  // namespace boex
