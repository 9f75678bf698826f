// Log probability of improvement ln Phi((mean - best) / sd) (Kushner 1964), in log space so it stays
// finite and has a slope where the probability underflows.
#pragma once

#include "acquisitions/analytic_acquisition.h"

namespace boex {

class LogProbabilityOfImprovement final : public AnalyticAcquisition {
 public:
  LogProbabilityOfImprovement(const Surrogate& model, double best) : AnalyticAcquisition(model), best_(best) {}
  std::string name() const override { return "pi"; }
  double utility(double mean, double sd, double* dmean, double* dsd) const override;
  double distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 private:
  double best_;
};

}  // namespace boex
