#include "surrogates/rbf_kernel.h"

#include <cmath>

namespace boex {

double RbfKernel::value(double r2) const { return std::exp(-0.5 * r2); }
double RbfKernel::derivative(double r2) const { return -0.5 * std::exp(-0.5 * r2); }

}  // namespace boex
