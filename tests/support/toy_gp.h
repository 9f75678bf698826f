// A fitted GP on a smooth 2-d function, for acquisition tests that need real posterior
// covariances (noisy EI, knowledge gradient, qLogNEI).
#pragma once

#include <cmath>

#include "core/sobol.h"
#include "surrogates/exact_gp.h"

namespace boex::testing {

inline double toy_function(const Eigen::VectorXd& x) { return std::sin(5 * x(0)) * std::cos(3 * x(1)) + x(0); }

// noise: the GP's noise variance (standardised units); fixed hyperparameters keep it exact.
// `f`: the function observed (toy_function unless a test needs a second objective).
inline ExactGP toy_gp(int n, double noise, std::uint64_t seed = 3, double (*f)(const Eigen::VectorXd&) = toy_function) {
  const Eigen::MatrixXd X = sobol_points(n, 2, seed);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) y(i) = f(X.row(i).transpose());
  ExactGP gp;
  ExactGP::Hyperparameters h;
  h.kernel = Eigen::Vector2d(0.25, 0.35).array().log();
  h.noise_variance = noise;
  h.constant_mean = 0.0;
  gp.condition(X, y, h);
  return gp;
}

}  // namespace boex::testing
