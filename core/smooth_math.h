// Smooth, log-space stand-ins for max, ReLU and step functions (BoTorch's safe_math), used by the
// Monte-Carlo acquisitions so that sample-average objectives keep useful gradients everywhere.
#pragma once

#include <Eigen/Dense>

namespace boex::smooth {

// ln sum exp(v), stable.
double logsumexp(const Eigen::VectorXd& v);
// ln mean exp(v) = logsumexp(v) - ln n.
double logmeanexp(const Eigen::VectorXd& v);
// ln fatplus(x; tau), fatplus = tau (softplus(x / tau) + 0.1 / (1 + (x / tau)^2)): a ReLU with
// heavy left tail, so ln of it has a slope far below zero. Writes d/dx into derivative.
double log_fatplus(double x, double tau, double* derivative);
// The same with ln tau given: hypervolume acquisitions call it for every box side of every sample
// at one temperature, and that logarithm was half of their time.
double log_fatplus(double x, double tau, double log_tau, double* derivative);
// ln fatmoid(x / tau): a step 1{x > 0} with polynomial (not exponential) tails.
double log_fatmoid(double x, double tau, double* derivative);

}  // namespace boex::smooth
