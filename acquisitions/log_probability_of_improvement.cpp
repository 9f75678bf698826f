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

}  // namespace boex
