#include "acquisitions/log_probability_of_improvement.h"

#include "core/normal.h"

namespace boex {

double LogProbabilityOfImprovement::utility(double mean, double sd, double* dmean, double* dsd) const {
  const double u = (mean - best_) / sd;
  const double ratio = normal::dlog_cdf(u);
  *dmean = ratio / sd;
  *dsd = -ratio * u / sd;
  return normal::log_cdf(u);
}

double LogProbabilityOfImprovement::distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  return model_.log_probability_above(x, best_, gradient);
}

}  // namespace boex
