// Augmented expected improvement (Huang, Allen, Notz and Miller 2006), the cheap cost-aware choice
// of a point and its fidelity, in log space:
//
//   AEI(x) = EI(x_t; f**) corr(f(x), f(x_t)) (1 - s_e / sqrt(sigma^2(x) + s_e^2)) cost(x_t) / cost(x),
//
// x_t being x at the target fidelity, s_e the noise's sd and f** the "effective best": the
// posterior mean at the target of the observed design point with the largest mu - sigma there
// (robust to noise, where the best observation is not). The correlation discounts what a cheaper
// fidelity says about the target; the cost ratio rewards it for being cheap. At the target with
// no noise and one cost, AEI is EI. O(n^2) per x; gradients analytic.
#pragma once

#include "acquisitions/fidelity.h"
#include "acquisitions/log_ei.h"

namespace boex {

class LogAugmentedExpectedImprovement final : public Acquisition {
 public:
  // X_observed: the evaluated points (any fidelity); `fidelity` must be active. The model (a
  // joint posterior) must outlive this object.
  LogAugmentedExpectedImprovement(const Surrogate& model, const Eigen::MatrixXd& X_observed, FidelityInputs fidelity);
  std::string name() const override { return "aei"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  double effective_best() const { return effective_best_; }

 private:
  const Surrogate& model_;
  FidelityInputs fidelity_;
  double effective_best_ = 0.0;
  LogExpectedImprovement log_ei_;  // at the target fidelity, against effective_best_
};

}  // namespace boex
