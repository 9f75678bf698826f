// Central finite differences, to check every analytic gradient in boex against independent truth.
#pragma once

#include <Eigen/Dense>
#include <functional>

namespace boex::testing {

// d f / dx by central differences with step h (relative to max(1, |x_i|)).
inline Eigen::VectorXd finite_difference_gradient(const std::function<double(const Eigen::VectorXd&)>& f,
                                                  const Eigen::VectorXd& x, double h = 1e-6) {
  Eigen::VectorXd g(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double step = h * std::max(1.0, std::abs(x(i)));
    Eigen::VectorXd xp = x, xm = x;
    xp(i) += step;
    xm(i) -= step;
    g(i) = (f(xp) - f(xm)) / (2 * step);
  }
  return g;
}

// Largest |analytic - numeric| relative to max(1, |numeric|) over the components.
inline double gradient_error(const Eigen::VectorXd& analytic, const Eigen::VectorXd& numeric) {
  double worst = 0.0;
  for (Eigen::Index i = 0; i < analytic.size(); ++i)
    worst = std::max(worst, std::abs(analytic(i) - numeric(i)) / std::max(1.0, std::abs(numeric(i))));
  return worst;
}

}  // namespace boex::testing
