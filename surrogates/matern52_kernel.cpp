#include "surrogates/matern52_kernel.h"

#include <algorithm>
#include <cmath>

namespace boex {
namespace {
constexpr double kSqrt5 = 2.23606797749978969641;
}

double Matern52Kernel::profile(double r2) const {
  r2 = std::max(r2, 0.0);
  const double r = std::sqrt(r2);
  return (1.0 + kSqrt5 * r + (5.0 / 3.0) * r2) * std::exp(-kSqrt5 * r);
}

void Matern52Kernel::profile(double r2, double* value, double* derivative) const {
  r2 = std::max(r2, 0.0);
  const double r = std::sqrt(r2), e = std::exp(-kSqrt5 * r);
  *value = (1.0 + kSqrt5 * r + (5.0 / 3.0) * r2) * e;
  *derivative = -(5.0 / 6.0) * (1.0 + kSqrt5 * r) * e;
}

}  // namespace boex
