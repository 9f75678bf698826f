#include "engine/failure_model.h"

#include "core/errors.h"

namespace boex {

std::shared_ptr<const GpClassifier> fit_failure_model(const History& h, const FailureModelOptions& options) {
  if (!options.enabled || h.X_failed.rows() == 0) return nullptr;
  Eigen::MatrixXd X(h.X.rows() + h.X_failed.rows(), h.X_failed.cols());
  X << h.X, h.X_failed;
  Eigen::Array<bool, Eigen::Dynamic, 1> success(X.rows());
  success.head(h.X.rows()).setConstant(true);
  success.tail(h.X_failed.rows()).setConstant(false);
  try {
    return std::make_shared<const GpClassifier>(X, success);
  } catch (const NumericalError&) {
    return nullptr;  // the acquisition alone still works
  }
}

double LogSuccessWeighted::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  if (!gradient) return inner_->value(x, nullptr) + classifier_->log_success(x);
  Eigen::VectorXd success_gradient;
  const double v = inner_->value(x, gradient) + classifier_->log_success(x, &success_gradient);
  *gradient += success_gradient;
  return v;
}

}  // namespace boex
