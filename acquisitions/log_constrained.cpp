#include "acquisitions/log_constrained.h"

#include <cmath>

#include "acquisitions/analytic_acquisition.h"
#include "core/errors.h"
#include "core/normal.h"

namespace boex {

LogConstrainedAcquisition::LogConstrainedAcquisition(std::unique_ptr<Acquisition> base,
                                                     std::vector<const Surrogate*> constraints)
    : base_(std::move(base)), constraints_(std::move(constraints)) {
  if (!base_ && constraints_.empty()) throw InvalidArgument("a constrained acquisition needs a base or a constraint");
}

double LogConstrainedAcquisition::log_probability_feasible(double mean, double sd, double* dmean, double* dsd) {
  const double u = -mean / sd;
  const double ratio = normal::dlog_cdf(u);
  *dmean = -ratio / sd;
  *dsd = ratio * mean / (sd * sd);
  return normal::log_cdf(u);
}

double LogConstrainedAcquisition::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  double total = 0.0;
  if (gradient) gradient->setZero(x.size());
  if (base_) total = base_->value(x, gradient);
  Eigen::VectorXd dmean, dvariance;
  for (const Surrogate* c : constraints_) {
    if (AnalyticAcquisition::uses_distribution(*c)) {
      Eigen::VectorXd dc;
      total += c->log_probability_below(x, 0.0, gradient ? &dc : nullptr);
      if (gradient) *gradient += dc;
      continue;
    }
    double mean = 0.0, variance = 0.0, dm = 0.0, ds = 0.0;
    c->predict_with_gradient(x, &mean, &variance, gradient ? &dmean : nullptr, gradient ? &dvariance : nullptr);
    const double sd = std::sqrt(variance);
    total += log_probability_feasible(mean, sd, &dm, &ds);
    if (gradient) *gradient += dm * dmean + (ds * 0.5 / sd) * dvariance;
  }
  return total;
}

Eigen::VectorXd LogConstrainedAcquisition::values(const Eigen::MatrixXd& X) const {
  // Gaussian models keep the point-by-point path their suggestions were pinned with.
  bool batched = false;
  for (const Surrogate* c : constraints_) batched = batched || AnalyticAcquisition::uses_distribution(*c);
  if (!batched) return Acquisition::values(X);
  Eigen::VectorXd total = base_ ? base_->values(X) : Eigen::VectorXd::Zero(X.rows());
  for (const Surrogate* c : constraints_) {
    if (AnalyticAcquisition::uses_distribution(*c)) {
      total += c->log_probabilities_below(X, 0.0);
      continue;
    }
    Eigen::VectorXd mean, variance;
    c->predict(X, &mean, &variance);
    double dm = 0.0, ds = 0.0;
    for (Eigen::Index i = 0; i < X.rows(); ++i) total(i) += log_probability_feasible(mean(i), std::sqrt(variance(i)), &dm, &ds);
  }
  return total;
}

Eigen::VectorXd LogConstrainedAcquisition::values_with_gradients(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients) const {
  Eigen::VectorXd total = Eigen::VectorXd::Zero(X.rows());
  gradients->setZero(X.rows(), X.cols());
  if (base_) total = base_->values_with_gradients(X, gradients);
  Eigen::MatrixXd g;
  for (const Surrogate* c : constraints_) {
    if (AnalyticAcquisition::uses_distribution(*c)) {
      total += c->log_probabilities_below(X, 0.0, &g);
      *gradients += g;
      continue;
    }
    const LogConstrainedAcquisition alone(nullptr, {c});  // this constraint's term, point by point
    total += alone.Acquisition::values_with_gradients(X, &g);
    *gradients += g;
  }
  return total;
}

}  // namespace boex
