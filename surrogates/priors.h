// Priors on positive GP hyperparameters, with the log density and its derivative with respect to
// u = ln(value) (the coordinates the fit optimises; the prior is on the value, so no Jacobian).
#pragma once

#include <cmath>

namespace boex {

struct LogNormalPrior {
  double mu = 0.0;
  double sigma = 1.0;

  double log_density(double u) const {  // u = ln t
    const double z = (u - mu) / sigma;
    return -u - std::log(sigma) - 0.91893853320467274178 - 0.5 * z * z;
  }
  double dlog_density(double u) const { return -1.0 - (u - mu) / (sigma * sigma); }
  double mode() const { return std::exp(mu - sigma * sigma); }
};

// Gamma(a, b) (shape, rate) on t = e^u, as BoTorch's legacy and multi-fidelity priors are.
struct GammaPrior {
  double a = 1.0;
  double b = 1.0;

  double log_density(double u) const { return a * std::log(b) - std::lgamma(a) + (a - 1.0) * u - b * std::exp(u); }
  double dlog_density(double u) const { return (a - 1.0) - b * std::exp(u); }
  double mode() const { return a > 1.0 ? (a - 1.0) / b : 0.0; }
};

// BoTorch's dimension-scaled lengthscale prior (Hvarfner et al. 2024): LogNormal(sqrt2 + ln(d)/2, sqrt3).
inline LogNormalPrior dimension_scaled_lengthscale_prior(int d) {
  return {1.41421356237309504880 + 0.5 * std::log(static_cast<double>(d)), 1.73205080756887729353};
}

// The variance of what a cheaper fidelity adds to the target's function, relative to that
// function's unit prior variance (boex's multi-fidelity kernels): LogNormal(-1, 1), median 0.37.
inline LogNormalPrior fidelity_difference_prior() { return {-1.0, 1.0}; }

// BoTorch's default noise-variance prior: LogNormal(-4, 1).
inline LogNormalPrior default_noise_prior() { return {-4.0, 1.0}; }

}  // namespace boex
