// Constrained acquisition in log space (Gardner et al. 2014, Gelbart et al. 2014): the log of a
// base acquisition plus the log probability that every black-box constraint holds,
// sum_k ln P(c_k(x) <= 0) under independent constraint models. Without a base it maximises the
// probability of feasibility alone, which is what to do while no feasible point is known.
#pragma once

#include <memory>
#include <vector>

#include "acquisitions/acquisition.h"
#include "surrogates/surrogate.h"

namespace boex {

class LogConstrainedAcquisition final : public Acquisition {
 public:
  // base: a log-space acquisition, or nullptr for feasibility alone. Models outlive this object.
  LogConstrainedAcquisition(std::unique_ptr<Acquisition> base, std::vector<const Surrogate*> constraints);
  std::string name() const override { return base_ ? "constrained-" + base_->name() : "feasibility"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  // The base's batch and each constraint's batch (one forward pass each for a PFN).
  Eigen::VectorXd values(const Eigen::MatrixXd& X) const override;
  Eigen::VectorXd values_with_gradients(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients) const override;

  // ln P(c <= 0) for c ~ N(mean, sd^2), with its partial derivatives.
  static double log_probability_feasible(double mean, double sd, double* dmean, double* dsd);

 private:
  std::unique_ptr<Acquisition> base_;
  std::vector<const Surrogate*> constraints_;
};

}  // namespace boex
