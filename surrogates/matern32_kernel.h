// Matern-3/2 kernel: with r = sqrt(r2), kappa = (1 + sqrt3 r) exp(-sqrt3 r); once differentiable
// sample paths. The kernel of the HEBO prior the PFN is pre-trained on (PFNs4BO hebo_prior.py).
#pragma once

#include "surrogates/stationary_kernel.h"

namespace boex {

class Matern32Kernel final : public StationaryKernel {
 public:
  using StationaryKernel::StationaryKernel;
  std::string name() const override { return "matern32"; }
  std::unique_ptr<Kernel> clone() const override { return std::make_unique<Matern32Kernel>(*this); }
  // kappa' = -(3/2) exp(-sqrt3 r): finite at r = 0.
  void profile(double r2, double* value, double* derivative) const override;
  double profile(double r2) const override;
};

}  // namespace boex
