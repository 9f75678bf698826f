// Matern-5/2 kernel: with r = sqrt(r2), kappa = (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r); twice
// differentiable sample paths, the usual choice for physical experiments (Snoek et al. 2012).
#pragma once

#include "surrogates/kernel.h"

namespace boex {

class Matern52Kernel final : public StationaryKernel {
 public:
  std::string name() const override { return "matern52"; }
  double value(double r2) const override;
  // -(5/6) (1 + sqrt5 r) exp(-sqrt5 r): no singularity at r = 0.
  double derivative(double r2) const override;
  void evaluate(double r2, double* value, double* derivative) const override;
};

}  // namespace boex
