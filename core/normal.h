// Standard-normal helpers in stable, log-space forms. This is the only copy of this math in boex:
// LogEI, PI, constrained and KG acquisitions all build on these functions.
#pragma once

namespace boex::normal {

constexpr double kSqrt2 = 1.4142135623730950488;
constexpr double kSqrtPi = 1.7724538509055160273;
constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // ln sqrt(2 pi)
constexpr double kLog2Pi = 2 * kLogSqrt2Pi;  // ln(2 pi), for Gaussian log likelihoods
constexpr double kLogSqrtPiOver2 = 0.22579135264472743236;  // ln sqrt(pi / 2)

double pdf(double u);       // phi(u)
double cdf(double u);       // Phi(u)
double log_pdf(double u);   // ln phi(u)
double log_cdf(double u);   // ln Phi(u), accurate for u -> -inf
double quantile(double p);  // Phi^-1(p), p in (0, 1)

// Scaled complementary error function exp(x^2) erfc(x) (C++ has none), accurate for large x.
double erfcx(double x);
// ln(1 - exp(x)) for x < 0 without cancellation.
double log1mexp(double x);

// d ln Phi / du = phi(u) / Phi(u) (the inverse Mills ratio): accurate and finite for every finite
// u (about |u| in the lower tail).
double dlog_cdf(double u);

// h(u) = phi(u) + u Phi(u): EI = sigma h((mu - best) / sigma).
double h(double u);
// ln h(u) (the branches of Ament et al., LogEI, with an asymptotic series far in the tail):
// accurate wherever it is finite; -inf below u = -1.3e154, where ln h < -DBL_MAX.
double log_h(double u);
// d ln h / du = Phi(u) / h(u), from the Mills ratio in the lower tail: accurate and finite for
// every finite u (about |u| there).
double dlog_h(double u);
// ln P(a <= Z <= b) for a < b, stable far in either tail.
double log_prob_between(double a, double b);

}  // namespace boex::normal
