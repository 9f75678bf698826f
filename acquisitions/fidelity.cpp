#include "acquisitions/fidelity.h"

#include <cmath>

#include "core/errors.h"

namespace boex {

Eigen::VectorXd FidelityInputs::at_target(const Eigen::VectorXd& x) const {
  Eigen::VectorXd out = x;
  if (active()) out(column) = target;
  return out;
}

Eigen::MatrixXd FidelityInputs::at_target(const Eigen::MatrixXd& X) const {
  Eigen::MatrixXd out = X;
  if (active()) out.col(column).setConstant(target);
  return out;
}

Eigen::VectorXd FidelityInputs::through_target(Eigen::VectorXd gradient) const {
  if (active()) gradient(column) = 0.0;
  return gradient;
}

double FidelityInputs::log_cost(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  if (!cost) {
    if (gradient) gradient->setZero(x.size());
    return 0.0;
  }
  const double c = cost(x, gradient);
  if (!(c > 0.0) || !std::isfinite(c))
    throw NumericalError("multi-fidelity acquisition: the cost model gave " + std::to_string(c) + "; costs must be > 0");
  if (gradient) *gradient /= c;
  return std::log(c);
}

double AtTargetFidelity::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const double v = base_.value(fidelity_.at_target(x), gradient);
  if (gradient) *gradient = fidelity_.through_target(*gradient);
  return v;
}

Eigen::VectorXd AtTargetFidelity::values(const Eigen::MatrixXd& X) const { return base_.values(fidelity_.at_target(X)); }

}  // namespace boex
