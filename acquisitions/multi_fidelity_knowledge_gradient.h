// Multi-fidelity knowledge gradient per unit cost, discrete: the knowledge gradient of Frazier,
// Powell and Dayanik whose inner value is the posterior mean at the target fidelity (as in
// BoTorch's qMultiFidelityKnowledgeGradient with InverseCostWeightedUtility), in log space:
//
//   value(x) = ln(E[max_a mu_{n+1}(a)] - max_a mu_n(a)) - ln cost(x),
//
// a over the discretisation A at the target fidelity and x's own projection x_t to the target,
// after one noisy observation at x, at x's fidelity. Each line's slope is the posterior covariance
// of a with (x, s), so a cheap fidelity is worth what it reveals about the target. Exact (no
// fantasy sampling), O(n M + M log M + n^2) per x; gradients in x analytic.
#pragma once

#include <memory>

#include "acquisitions/acquisition.h"
#include "acquisitions/fidelity.h"
#include "surrogates/surrogate.h"

namespace boex {

class LogMultiFidelityKnowledgeGradient final : public Acquisition {
 public:
  // A: the discretisation (M x d, rows at the target fidelity after at_target). The model (a
  // joint posterior) must outlive the acquisition; `fidelity` must be active.
  LogMultiFidelityKnowledgeGradient(const Surrogate& model, const Eigen::MatrixXd& A, FidelityInputs fidelity);
  std::string name() const override { return "mf-kg"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  // ln(E[max] - max): the value of the information at x before its cost.
  double log_value_of_information(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const;

 private:
  const Surrogate& model_;
  FidelityInputs fidelity_;
  std::unique_ptr<CrossCovariance> cross_;  // Sigma(A, .)
  Eigen::VectorXd mean_A_;
  double noise_ = 0.0;
};

}  // namespace boex
