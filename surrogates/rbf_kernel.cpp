#include "surrogates/rbf_kernel.h"

#include <cmath>

namespace boex {

double RbfKernel::value(double r2) const { return std::exp(-0.5 * r2); }
double RbfKernel::derivative(double r2) const { return -0.5 * std::exp(-0.5 * r2); }

void RbfKernel::evaluate(double r2, double* value, double* derivative) const {
  *value = std::exp(-0.5 * r2);
  *derivative = -0.5 * *value;
}

}  // namespace boex
