// The fidelity of a multi-fidelity study as acquisitions see it: its encoded column, the column's
// value at the target fidelity and what an experiment costs; and an acquisition held at the
// target fidelity (BoTorch's FixedFeatureAcquisitionFunction), to find the best point there.
#pragma once

#include <Eigen/Dense>
#include <functional>

#include "acquisitions/acquisition.h"

namespace boex {

struct FidelityInputs {
  int column = -1;      // -1: no fidelity (a single-fidelity study)
  double target = 1.0;  // the column's value at the target fidelity
  // The cost of an experiment at x (> 0), with its gradient in x when asked for; empty: 1.
  std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd* gradient)> cost;

  bool active() const { return column >= 0; }
  // x (or every row) at the target fidelity.
  Eigen::VectorXd at_target(const Eigen::VectorXd& x) const;
  Eigen::MatrixXd at_target(const Eigen::MatrixXd& X) const;
  // A gradient with respect to at_target(x) as one with respect to x (the fidelity entry is 0).
  Eigen::VectorXd through_target(Eigen::VectorXd gradient) const;
  // ln cost(x) and its gradient (when non-null).
  double log_cost(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const;
};

class AtTargetFidelity final : public Acquisition {
 public:
  // Both must outlive this object.
  AtTargetFidelity(const Acquisition& base, const FidelityInputs& fidelity) : base_(base), fidelity_(fidelity) {}
  std::string name() const override { return base_.name() + "@target"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  Eigen::VectorXd values(const Eigen::MatrixXd& X) const override;

 private:
  const Acquisition& base_;
  const FidelityInputs& fidelity_;
};

}  // namespace boex
