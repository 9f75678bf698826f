#include "acquisitions/log_ei.h"

#include <cmath>

#include "core/normal.h"

namespace boex {

double LogExpectedImprovement::utility(double mean, double sd, double* dmean, double* dsd) const {
  const double u = (mean - best_) / sd;
  const double g = normal::dlog_h(u);  // d ln h / du
  *dmean = g / sd;
  *dsd = (1.0 - g * u) / sd;
  return std::log(sd) + normal::log_h(u);
}

double LogExpectedImprovement::distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  return model_.log_expected_improvement(x, best_, gradient);
}

Eigen::VectorXd LogExpectedImprovement::values(const Eigen::MatrixXd& X) const {
  if (uses_distribution(model_)) return model_.log_expected_improvements(X, best_);  // one batched pass
  return AnalyticAcquisition::values(X);
}

Eigen::VectorXd LogExpectedImprovement::values_with_gradients(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients) const {
  if (uses_distribution(model_)) return model_.log_expected_improvements(X, best_, gradients);
  return AnalyticAcquisition::values_with_gradients(X, gradients);
}

}  // namespace boex
