// Expected improvement of a composite objective g(h(x)) (EI-CF, Astudillo and Frazier 2019), in
// log space: h are expensive measured outputs, each with its own model; g is cheap and known
// (e.g. -(h - target)^2 to hit a target value). Estimated with fixed quasi-random samples
// h_s = mean + sd o Z_s and the IPA gradient.
#pragma once

#include <vector>

#include "acquisitions/acquisition.h"
#include "acquisitions/composite_function.h"
#include "surrogates/surrogate.h"

namespace boex {

class LogCompositeExpectedImprovement final : public Acquisition {
 public:
  // outputs: one model per component of h (independent); best: max_i g(y_i) over evaluated points.
  LogCompositeExpectedImprovement(std::vector<const Surrogate*> outputs, CompositeFunction g, double best,
                                  int num_samples = 256, std::uint64_t seed = 0, double tau = 1e-6);
  std::string name() const override { return "logeicf"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 private:
  std::vector<const Surrogate*> outputs_;
  CompositeFunction g_;
  double best_, tau_;
  Eigen::MatrixXd Z_;  // num_samples x m
};

}  // namespace boex
