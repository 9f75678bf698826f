// Matern-5/2 kernel: with r = sqrt(r2), kappa = (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r); twice
// differentiable sample paths, the usual choice for physical experiments (Snoek et al. 2012).
#pragma once

#include "surrogates/stationary_kernel.h"

namespace boex {

class Matern52Kernel final : public StationaryKernel {
 public:
  using StationaryKernel::StationaryKernel;
  std::string name() const override { return "matern52"; }
  std::unique_ptr<Kernel> clone() const override { return std::make_unique<Matern52Kernel>(*this); }
  // kappa' = -(5/6) (1 + sqrt5 r) exp(-sqrt5 r): no singularity at r = 0.
  void profile(double r2, double* value, double* derivative) const override;
  double profile(double r2) const override;
};

}  // namespace boex
