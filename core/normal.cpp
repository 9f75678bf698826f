#include "core/normal.h"

#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <limits>

namespace boex::normal {

double pdf(double u) { return std::exp(-0.5 * u * u - kLogSqrt2Pi); }

double cdf(double u) { return 0.5 * boost::math::erfc(-u / kSqrt2); }

double log_pdf(double u) { return -0.5 * u * u - kLogSqrt2Pi; }

double erfcx(double x) {
  if (x < 25.0) return std::exp(x * x) * boost::math::erfc(x);
  // Asymptotic series 1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6) + ...; six terms leave a relative
  // truncation error below 1e-16 at x >= 25.
  const double t = 1.0 / (2.0 * x * x);
  double series = 1.0, term = 1.0;
  for (int k = 1; k <= 6; ++k) {
    term *= -(2.0 * k - 1.0) * t;
    series += term;
  }
  return series / (x * kSqrtPi);
}

// ln erfc(z), using erfcx where erfc itself underflows.
static double log_erfc(double z) {
  if (z > 0.0) return std::log(erfcx(z)) - z * z;
  return std::log(boost::math::erfc(z));
}

double log_cdf(double u) {
  // Above 0, Phi(u) = 1 - Phi(-u) is close to 1: log1p keeps the small tail's relative precision.
  if (u > 0.0) return std::log1p(-0.5 * boost::math::erfc(u / kSqrt2));
  return log_erfc(-u / kSqrt2) - std::log(2.0);
}

double dlog_cdf(double u) { return std::exp(log_pdf(u) - log_cdf(u)); }

double quantile(double p) {
  // erfc_inv is accurate in both tails, unlike 2 p - 1 fed to erf_inv.
  return -kSqrt2 * boost::math::erfc_inv(2.0 * p);
}

double log1mexp(double x) {
  if (x > -std::log(2.0)) return std::log(-std::expm1(x));
  return std::log1p(-std::exp(x));
}

double h(double u) { return pdf(u) + u * cdf(u); }

double log_h(double u) {
  if (u > -1.0) return std::log(h(u));
  if (u > -1e6) {
    // h(u) = phi(u) (1 - |u| Phi(u)/phi(u)), and |u| Phi(u)/phi(u) = |u| erfcx(-u/sqrt2) sqrt(pi/2).
    const double w = std::log(-u * erfcx(-u / kSqrt2)) + kLogSqrtPiOver2;
    return log_pdf(u) + log1mexp(w);
  }
  return log_pdf(u) - 2.0 * std::log(-u);
}

double dlog_h(double u) { return std::exp(log_cdf(u) - log_h(u)); }

double log_prob_between(double a, double b) {
  // Reflect so that the computation happens in the lower tail, where log_cdf is accurate.
  if (std::abs(b) > std::abs(a)) {
    const double t = a;
    a = -b;
    b = -t;
  }
  const double lb = log_cdf(b);
  const double la = log_cdf(a);
  if (la == -std::numeric_limits<double>::infinity()) return lb;
  return lb + log1mexp(la - lb);
}

}  // namespace boex::normal
