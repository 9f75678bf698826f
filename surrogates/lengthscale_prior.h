// The log-lengthscale hyperparameters shared by kernels with one lengthscale per input (or per
// site): BoTorch's dimension-scaled LogNormal prior, box bounds, mode and draws in theta = ln l.
#pragma once

#include <Eigen/Dense>

#include "core/rng.h"
#include "surrogates/kernel.h"
#include "surrogates/priors.h"

namespace boex {

class LengthscalePrior {
 public:
  LengthscalePrior() = default;
  // `count` lengthscales with the prior of a `count`-dimensional input (Hvarfner et al. 2024).
  LengthscalePrior(int count, const KernelOptions& options);

  void bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const;
  // The prior's mode, clamped into the bounds.
  Eigen::VectorXd mode() const;
  Eigen::VectorXd draw(Rng& rng) const;
  double log_density(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const;

 private:
  int count_ = 0;
  LogNormalPrior prior_;
  double min_lengthscale_ = 0.0, max_lengthscale_ = 0.0;
};

}  // namespace boex
