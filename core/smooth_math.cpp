#include "core/smooth_math.h"

#include <cmath>
#include <limits>

namespace boex::smooth {

double logsumexp(const Eigen::VectorXd& v) {
  const double m = v.maxCoeff();
  if (!std::isfinite(m)) return m;
  return m + std::log((v.array() - m).exp().sum());
}

double logmeanexp(const Eigen::VectorXd& v) { return logsumexp(v) - std::log(static_cast<double>(v.size())); }

double log_fatplus(double x, double tau, double* derivative) { return log_fatplus(x, tau, std::log(tau), derivative); }

double log_fatplus(double x, double tau, double log_tau, double* derivative) {
  const double z = x / tau;
  // softplus(z) = ln(1 + e^z), and its derivative the logistic function. With the small
  // temperatures of the acquisitions nearly every call lands far out on a tail, where e^-|z| no
  // longer changes the doubles below (beyond 40: 1 + e^-z rounds to 1; below -60: e^z is under
  // 1e-20 of the Cauchy term 0.1 / q), so skipping it, and exp's slow underflow path, changes no
  // result and saves most of the time hypervolume acquisitions spend here.
  double softplus, logistic;
  if (z > 40) {
    softplus = z;
    logistic = 1.0;
  } else if (z < -60) {
    softplus = 0.0;
    logistic = 0.0;
  } else {
    softplus = z > 35 ? z : std::log1p(std::exp(z));
    logistic = 1.0 / (1.0 + std::exp(-z));
  }
  const double q = 1.0 + z * z;
  const double f = softplus + 0.1 / q;
  const double df_dz = logistic - 0.2 * z / (q * q);
  *derivative = df_dz / (f * tau);
  return log_tau + std::log(f);
}

double log_fatmoid(double x, double tau, double* derivative) {
  const double t = x / tau, a = 1.0 / std::sqrt(3.0);
  double f, df;
  if (t < 0) {
    const double u = t - a, q = 1.0 + u * u;
    f = (2.0 / 3.0) / q;
    df = -(4.0 / 3.0) * u / (q * q);
  } else {
    const double u = t + a, q = 1.0 + u * u;
    f = 1.0 - (2.0 / 3.0) / q;
    df = (4.0 / 3.0) * u / (q * q);
  }
  *derivative = df / (f * tau);
  return std::log(f);
}

}  // namespace boex::smooth
