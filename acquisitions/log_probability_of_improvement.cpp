#include "acquisitions/log_probability_of_improvement.h"

#include <cmath>

#include "core/normal.h"

namespace boex {

double LogProbabilityOfImprovement::utility(double mean, double sd, double* dmean, double* dsd) const {
  const double u = (mean - best_) / sd;
  const double log_cdf = normal::log_cdf(u);
  const double ratio = std::exp(normal::log_pdf(u) - log_cdf);  // phi / Phi, the inverse Mills ratio
  *dmean = ratio / sd;
  *dsd = -ratio * u / sd;
  return log_cdf;
}

}  // namespace boex
