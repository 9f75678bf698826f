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

}  // namespace boex
