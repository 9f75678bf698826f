// A stationary ARD kernel, written as a function of the scaled squared distance
// r2 = sum_j ((x_j - x'_j) / l_j)^2. Every gradient the GP needs (lengthscales, inputs) follows from
// kappa(r2) and kappa'(r2), so a new kernel of this family is one small class and one registry line.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace boex {

class StationaryKernel {
 public:
  virtual ~StationaryKernel() = default;
  virtual std::string name() const = 0;
  virtual double value(double r2) const = 0;       // kappa(r2), kappa(0) = 1
  virtual double derivative(double r2) const = 0;  // d kappa / d r2 (finite at r2 = 0)
  // Both at once: the GP fit needs both for every pair, and they share the expensive exp.
  virtual void evaluate(double r2, double* value, double* derivative) const {
    *value = this->value(r2);
    *derivative = this->derivative(r2);
  }
};

// "matern52" or "rbf"; throws NotFound listing the known names.
std::unique_ptr<StationaryKernel> make_kernel(const std::string& name);
std::vector<std::string> kernel_names();

}  // namespace boex
