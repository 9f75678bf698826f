// Upper confidence bound mean + sqrt(beta) sd (Srinivas et al. 2010): optimism in the face of
// uncertainty, with beta trading exploration against exploitation.
#pragma once

#include "acquisitions/analytic_acquisition.h"

namespace boex {

class UpperConfidenceBound final : public AnalyticAcquisition {
 public:
  // beta: weight of the variance; the default 4 means mean + 2 sd.
  explicit UpperConfidenceBound(const Surrogate& model, double beta = 4.0);
  std::string name() const override { return "ucb"; }
  double utility(double mean, double sd, double* dmean, double* dsd) const override;
  // mean + sqrt(beta) sd is the Gaussian quantile at Phi(sqrt(beta)): the same quantile of a
  // non-Gaussian predictive distribution.
  double distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  Eigen::VectorXd values(const Eigen::MatrixXd& X) const override;  // one batched pass for a PFN
  Eigen::VectorXd values_with_gradients(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients) const override;

 private:
  double sqrt_beta_;
};

}  // namespace boex
