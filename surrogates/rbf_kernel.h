// Squared-exponential (RBF) kernel: kappa(r2) = exp(-r2 / 2). BoTorch's current SingleTaskGP default.
#pragma once

#include "surrogates/kernel.h"

namespace boex {

class RbfKernel final : public StationaryKernel {
 public:
  std::string name() const override { return "rbf"; }
  double value(double r2) const override;
  double derivative(double r2) const override;
  void evaluate(double r2, double* value, double* derivative) const override;
};

}  // namespace boex
