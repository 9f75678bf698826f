#include "core/normal.h"

#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <limits>

namespace boex::normal {

double pdf(double u) { return std::exp(-0.5 * u * u - kLogSqrt2Pi); }

double cdf(double u) { return 0.5 * boost::math::erfc(-u / kSqrt2); }

double log_pdf(double u) { return -0.5 * u * u - kLogSqrt2Pi; }

double erfcx(double x) {
  if (x < 25.0) {
    // x^2 = hi + lo exactly (FMA): exp(hi) (1 + lo) keeps the rounding of x^2, which exp would
    // amplify to a relative error of x^2 * 1e-16 (6e-14 at x = 25), out of the result.
    const double hi = x * x, lo = std::fma(x, x, -hi);
    return std::exp(hi) * (1.0 + lo) * boost::math::erfc(x);
  }
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

namespace {

// Below this, the lower tail is computed from the asymptotic (Mills-ratio) series; above it from
// erfcx. The series' smallest term is about exp(-u^2 / 2), 2e-22 at |u| = 10, reached after about
// u^2 / 2 terms; from erfcx, 1 - |u| R loses a relative 1e-16 u^2 to cancellation (1e-14 at u = -10).
constexpr double kSeriesBelow = -10.0;
constexpr int kMaxSeriesTerms = 60;

// For u <= kSeriesBelow, with v = 1/u^2 and R = Phi(u)/phi(u) (the Mills ratio):
//   |u| R     = S = 1 - v + 3 v^2 - 15 v^3 + ...      (sum of (-1)^k (2k-1)!! v^k)
//   1 - |u| R = v T,  T = 1 - 3 v + 15 v^2 - ...       (sum of (-1)^k (2k+1)!! v^k)
// T is 1 - |u| R divided by its size, so it carries full relative precision where 1 - |u| R,
// formed by subtraction, would keep only about 1e-16 u^2 of it.
struct TailSeries {
  double S = 1.0, T = 1.0;
};

TailSeries tail_series(double u) {
  const double v = 1.0 / (u * u);  // 0 beyond |u| = 1e154: S = T = 1, the exact limit
  TailSeries out;
  double term_s = 1.0, term_t = 1.0;
  for (int k = 1; k <= kMaxSeriesTerms; ++k) {
    term_s *= -(2.0 * k - 1.0) * v;
    term_t *= -(2.0 * k + 1.0) * v;
    out.S += term_s;
    out.T += term_t;
    if (std::abs(term_t) < 1e-18) break;
  }
  return out;
}

// w = ln(|u| R) < 0 for u <= -1, from erfcx.
double log_u_mills(double u) { return std::log(-u * erfcx(-u / kSqrt2)) + kLogSqrtPiOver2; }

}  // namespace

double dlog_cdf(double u) {
  // phi/Phi = 1/R: no difference of logs, so no overflow or cancellation far in the tail.
  if (u <= kSeriesBelow) return -u / tail_series(u).S;
  if (u < -1.0) return 1.0 / (erfcx(-u / kSqrt2) / kSqrt2 * kSqrtPi);
  return std::exp(log_pdf(u) - log_cdf(u));
}

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
  // h(u) = phi(u) (1 - |u| R(u)).
  if (u > kSeriesBelow) return log_pdf(u) + log1mexp(log_u_mills(u));
  // 1 - |u| R = T / u^2; -u^2/2 overflows to -inf below u = -1.3e154, the true value's sign.
  return log_pdf(u) - 2.0 * std::log(-u) + std::log(tail_series(u).T);
}

double dlog_h(double u) {
  // Phi / h = R / (1 - |u| R): ratios of the tail quantities themselves, never exp of a difference
  // of two large logs (which keeps only about 1e-16 |ln h| of absolute precision).
  if (u <= kSeriesBelow) {
    const TailSeries t = tail_series(u);
    return -u * t.S / t.T;
  }
  if (u < -1.0) {
    const double w = log_u_mills(u);
    return std::exp(w) / (-u) / -std::expm1(w);
  }
  return std::exp(log_cdf(u) - log_h(u));
}

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
