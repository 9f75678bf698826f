#include "surrogates/rbf_kernel.h"

#include <cmath>

namespace boex {

double RbfKernel::profile(double r2) const { return std::exp(-0.5 * r2); }

void RbfKernel::profile(double r2, double* value, double* derivative) const {
  *value = std::exp(-0.5 * r2);
  *derivative = -0.5 * *value;
}

}  // namespace boex
