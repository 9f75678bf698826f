// Squared-exponential (RBF) kernel: kappa(r2) = exp(-r2 / 2). BoTorch's current SingleTaskGP default.
#pragma once

#include "surrogates/stationary_kernel.h"

namespace boex {

class RbfKernel final : public StationaryKernel {
 public:
  using StationaryKernel::StationaryKernel;
  std::string name() const override { return "rbf"; }
  std::unique_ptr<Kernel> clone() const override { return std::make_unique<RbfKernel>(*this); }
  void profile(double r2, double* value, double* derivative) const override;
  double profile(double r2) const override;
};

}  // namespace boex
