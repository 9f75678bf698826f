// Log expected improvement (Ament et al. 2023): ln EI = ln sd + ln h((mean - best) / sd), computed
// with the stable log_h so that values and gradients stay finite and informative far from the
// incumbent, where EI itself underflows to exactly zero.
#pragma once

#include "acquisitions/analytic_acquisition.h"

namespace boex {

class LogExpectedImprovement final : public AnalyticAcquisition {
 public:
  // best: the incumbent value (maximisation), e.g. the best observed objective.
  LogExpectedImprovement(const Surrogate& model, double best) : AnalyticAcquisition(model), best_(best) {}
  std::string name() const override { return "logei"; }
  double utility(double mean, double sd, double* dmean, double* dsd) const override;
  double distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  Eigen::VectorXd values(const Eigen::MatrixXd& X) const override;
  Eigen::VectorXd values_with_gradients(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients) const override;

 private:
  double best_;
};

}  // namespace boex
