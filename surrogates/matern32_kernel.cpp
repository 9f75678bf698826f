#include "surrogates/matern32_kernel.h"

#include <algorithm>
#include <cmath>

namespace boex {
namespace {
constexpr double kSqrt3 = 1.73205080756887729353;
}

double Matern32Kernel::profile(double r2) const {
  const double r = std::sqrt(std::max(r2, 0.0));
  return (1.0 + kSqrt3 * r) * std::exp(-kSqrt3 * r);
}

void Matern32Kernel::profile(double r2, double* value, double* derivative) const {
  const double r = std::sqrt(std::max(r2, 0.0)), e = std::exp(-kSqrt3 * r);
  *value = (1.0 + kSqrt3 * r) * e;
  *derivative = -1.5 * e;
}

}  // namespace boex
