// Expected improvement of a composite objective g(h(x)) (EI-CF, Astudillo and Frazier 2019), in
// log space: h are expensive measured outputs, each with its own model; g is cheap and known
// (e.g. -(h - target)^2 to hit a target value). Estimated with fixed quasi-random samples
// h_s = mean + sd o Z_s and the IPA gradient.
#pragma once

#include <functional>
#include <vector>

#include "acquisitions/acquisition.h"
#include "surrogates/surrogate.h"

namespace boex {

// g(h) to maximise, writing dg/dh (m values) into gradient when it is non-null.
using CompositeFunction = std::function<double(const Eigen::VectorXd& h, Eigen::VectorXd* gradient)>;

// -sum_k (h_k - target_k)^2: the measured outputs should hit their targets.
CompositeFunction target_value(std::vector<double> targets);

// A g known only by its value: dg/dh by central differences (2m extra calls of g per gradient).
CompositeFunction with_numerical_gradient(std::function<double(const Eigen::VectorXd& h)> g);

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
