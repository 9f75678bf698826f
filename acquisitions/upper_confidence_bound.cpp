#include "acquisitions/upper_confidence_bound.h"

#include <cmath>

#include "core/errors.h"
#include "core/normal.h"

namespace boex {

UpperConfidenceBound::UpperConfidenceBound(const Surrogate& model, double beta)
    : AnalyticAcquisition(model), sqrt_beta_(std::sqrt(beta)) {
  if (!(beta >= 0.0) || !std::isfinite(beta)) throw InvalidArgument("UCB: beta must be a finite value >= 0");
}

double UpperConfidenceBound::utility(double mean, double sd, double* dmean, double* dsd) const {
  *dmean = 1.0;
  *dsd = sqrt_beta_;
  return mean + sqrt_beta_ * sd;
}

double UpperConfidenceBound::distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  return model_.quantile(x, normal::cdf(sqrt_beta_), gradient);
}

Eigen::VectorXd UpperConfidenceBound::values(const Eigen::MatrixXd& X) const {
  if (uses_distribution(model_)) return model_.quantiles(X, normal::cdf(sqrt_beta_));
  return AnalyticAcquisition::values(X);
}

Eigen::VectorXd UpperConfidenceBound::values_with_gradients(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients) const {
  if (uses_distribution(model_)) return model_.quantiles(X, normal::cdf(sqrt_beta_), gradients);
  return AnalyticAcquisition::values_with_gradients(X, gradients);
}

}  // namespace boex
