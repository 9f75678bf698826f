#include "acquisitions/analytic_acquisition.h"

#include <cmath>

namespace boex {

bool AnalyticAcquisition::uses_distribution(const Surrogate& model) {
  const Capabilities c = model.capabilities();
  return !c.gaussian_marginals && c.distribution;
}

double AnalyticAcquisition::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  if (uses_distribution(model_)) return distribution_value(x, gradient);
  return moment_value(x, gradient);
}

double AnalyticAcquisition::distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  return moment_value(x, gradient);
}

double AnalyticAcquisition::moment_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  double mean = 0.0, variance = 0.0;
  Eigen::VectorXd dmean, dvariance;
  model_.predict_with_gradient(x, &mean, &variance, gradient ? &dmean : nullptr,
                               gradient ? &dvariance : nullptr);
  const double sd = std::sqrt(variance);
  double du_mean = 0.0, du_sd = 0.0;
  const double u = utility(mean, sd, &du_mean, &du_sd);
  if (gradient) *gradient = du_mean * dmean + (du_sd * 0.5 / sd) * dvariance;
  return u;
}

Eigen::VectorXd AnalyticAcquisition::values(const Eigen::MatrixXd& X) const {
  if (uses_distribution(model_)) return Acquisition::values(X);
  Eigen::VectorXd mean, variance;
  model_.predict(X, &mean, &variance);
  Eigen::VectorXd out(X.rows());
  double dm = 0.0, ds = 0.0;
  for (Eigen::Index i = 0; i < X.rows(); ++i) out(i) = utility(mean(i), std::sqrt(variance(i)), &dm, &ds);
  return out;
}

}  // namespace boex
