// Maximum-a-posteriori training of an MlpStack's members, each on its own data, by full-batch
// Adam: the deep ensemble's members and HMC's starting point are both fitted with it.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "surrogates/mlp_stack.h"

namespace boex {

struct MapFitOptions {
  int steps = 1000;             // full-batch Adam steps (the BNN-surrogates study's)
  double learning_rate = 1e-3;  // Adam's default, with its default betas (0.9, 0.999), eps 1e-8
  double prior_variance = 1.0;  // N(0, prior_variance) on every bias, and weight unless fan_in_prior
  bool fan_in_prior = false;    // weights N(0, prior_variance / fan_in) (MlpStack::prior_precision)

  void validate() const;  // throws InvalidArgument naming the field
};

// The negative log posterior of member m (the sum over members is minimised; they share nothing):
//   |y_m - f_m(X_m)|^2 / (2 s2_m) + (k_m / 2) ln s2_m + sum_j prior_precision_j theta_mj^2 / 2
//   + ln s2_m + (ln s2_m - mu)^2 / (2 sigma^2),
// the last two BoTorch's LogNormal(mu = -4, sigma = 1) prior on the noise variance s2_m = exp(log_noise_m)
// (standardised units). X[m], y[m]: member m's data; log_noise (M) is trained along.
// Returns the summed loss at the last step (not finite when training diverged).
double fit_map(MlpStack* stack, const std::vector<Eigen::MatrixXd>& X, const std::vector<Eigen::VectorXd>& y,
               Eigen::VectorXd* log_noise, const MapFitOptions& options);

// The summed loss above and its gradient (P x M for the weights, M for log_noise): what fit_map
// descends, exposed so tests can check it against finite differences.
double map_loss(const MlpStack& stack, const std::vector<Eigen::MatrixXd>& X, const std::vector<Eigen::VectorXd>& y,
                const Eigen::VectorXd& log_noise, const Eigen::VectorXd& prior_precision, Eigen::MatrixXd* dparameters,
                Eigen::VectorXd* dlog_noise, MlpStack::Workspace* ws = nullptr);

}  // namespace boex
