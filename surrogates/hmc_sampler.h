// Hamiltonian Monte Carlo on any differentiable log density (Neal 2011), with the step size tuned
// during burn-in by dual averaging (Hoffman and Gelman 2014) as the BNN-surrogates study does:
// identity mass, leapfrog paths of a fixed length, a Metropolis correction. The BNN surrogate
// samples network weights with it; tests check it on Bayesian linear regression's closed form.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>

namespace boex {

struct HmcOptions {
  int burn_in = 500;          // steps that tune the step size and are discarded
  int samples = 500;          // steps after burn-in
  int keep_every = 5;         // keep one sample in this many after burn-in (thinning)
  double initial_step = 0.02; // eps0 (the study's Hartmann configuration)
  double path_length = 0.01;  // leapfrog steps per proposal: min(max_leapfrog, ceil(path_length / eps))
  int max_leapfrog = 200;     // above it the path length is halved
  double target_accept = 0.8; // dual averaging's target acceptance rate
  std::uint64_t seed = 0;     // momenta and acceptance draws

  void validate() const;  // throws InvalidArgument naming the field
};

struct HmcResult {
  Eigen::MatrixXd samples;  // kept samples as rows
  double acceptance = 0.0;  // mean acceptance probability after burn-in
  double step_size = 0.0;   // the tuned step size used after burn-in
  int gradient_evaluations = 0;
};

// log pi(theta), writing its gradient into `gradient` (same size as theta).
using LogDensity = std::function<double(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient)>;

// Runs one chain from `start`. A proposal whose energy is not finite is rejected.
HmcResult run_hmc(const LogDensity& log_density, const Eigen::VectorXd& start, const HmcOptions& options);

}  // namespace boex
