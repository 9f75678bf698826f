// Base of the acquisitions that are a closed-form function of the posterior mean and standard
// deviation at one point (EI, LogEI, UCB, PI): a subclass writes only that function and its
// partial derivatives; the chain rule through the surrogate lives here once.
#pragma once

#include "acquisitions/acquisition.h"
#include "surrogates/surrogate.h"

namespace boex {

class AnalyticAcquisition : public Acquisition {
 public:
  explicit AnalyticAcquisition(const Surrogate& model) : model_(model) {}

  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  Eigen::VectorXd values(const Eigen::MatrixXd& X) const override;

  // The utility at posterior mean `mean` and standard deviation `sd`, with partial derivatives.
  virtual double utility(double mean, double sd, double* dmean, double* dsd) const = 0;

 protected:
  const Surrogate& model_;
};

}  // namespace boex
