// Expected improvement EI = sd h((mean - best) / sd) (Jones et al. 1998). Prefer LogEI for
// optimisation: EI is exactly zero (no gradient) over most of the space once data accumulate.
#pragma once

#include "acquisitions/analytic_acquisition.h"

namespace boex {

class ExpectedImprovement final : public AnalyticAcquisition {
 public:
  ExpectedImprovement(const Surrogate& model, double best) : AnalyticAcquisition(model), best_(best) {}
  std::string name() const override { return "ei"; }
  double utility(double mean, double sd, double* dmean, double* dsd) const override;
  double distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 private:
  double best_;
};

}  // namespace boex
