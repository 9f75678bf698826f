#include "acquisitions/expected_improvement.h"

#include <cmath>

#include "core/normal.h"

namespace boex {

double ExpectedImprovement::utility(double mean, double sd, double* dmean, double* dsd) const {
  const double u = (mean - best_) / sd;
  *dmean = normal::cdf(u);
  *dsd = normal::pdf(u);
  return sd * normal::h(u);
}

double ExpectedImprovement::distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const double ei = std::exp(model_.log_expected_improvement(x, best_, gradient));
  if (gradient) *gradient *= ei;
  return ei;
}

}  // namespace boex
