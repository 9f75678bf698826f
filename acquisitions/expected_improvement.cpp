#include "acquisitions/expected_improvement.h"

#include "core/normal.h"

namespace boex {

double ExpectedImprovement::utility(double mean, double sd, double* dmean, double* dsd) const {
  const double u = (mean - best_) / sd;
  *dmean = normal::cdf(u);
  *dsd = normal::pdf(u);
  return sd * normal::h(u);
}

}  // namespace boex
