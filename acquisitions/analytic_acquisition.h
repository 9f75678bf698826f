// Base of the acquisitions that are a closed-form function of the posterior mean and standard
// deviation at one point (EI, LogEI, UCB, PI): a subclass writes only that function and its
// partial derivatives; the chain rule through the surrogate lives here once. On a model whose
// marginal is not Gaussian (a PFN's bar distribution) the subclass asks the model for the exact
// functional instead (distribution_value).
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
  // The utility of a model with a non-Gaussian predictive distribution at x, from the model's
  // own functionals; the default applies `utility` to the distribution's mean and sd.
  virtual double distribution_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const;

  // True for a model whose marginal is not Gaussian but that computes its own functionals.
  static bool uses_distribution(const Surrogate& model);

 protected:
  // utility() applied to the model's marginal mean and sd, chained through their gradients.
  double moment_value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const;

  const Surrogate& model_;
};

}  // namespace boex
