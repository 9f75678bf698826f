#include "acquisitions/log_augmented_ei.h"

#include <cmath>
#include <limits>

#include "core/errors.h"

namespace boex {
namespace {

constexpr double kMinCorrelation = 1e-12;  // below: the point says nothing of the target

double find_effective_best(const Surrogate& model, const Eigen::MatrixXd& X, const FidelityInputs& fidelity) {
  if (!fidelity.active()) throw InvalidArgument("augmented EI needs the fidelity's column");
  if (X.rows() == 0) throw InvalidArgument("augmented EI needs at least one observed point");
  Eigen::VectorXd mean, variance;
  model.predict(fidelity.at_target(X), &mean, &variance);
  Eigen::Index best = 0;
  (mean.array() - variance.array().sqrt()).maxCoeff(&best);
  return mean(best);
}

}  // namespace

LogAugmentedExpectedImprovement::LogAugmentedExpectedImprovement(const Surrogate& model, const Eigen::MatrixXd& X_observed,
                                                                 FidelityInputs fidelity)
    : model_(model),
      fidelity_(std::move(fidelity)),
      effective_best_(find_effective_best(model, X_observed, fidelity_)),
      log_ei_(model, effective_best_) {}

double LogAugmentedExpectedImprovement::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const bool with_gradient = gradient != nullptr;
  const Eigen::VectorXd xt = fidelity_.at_target(x);
  Eigen::VectorXd d_ei;
  const double log_ei = log_ei_.value(xt, with_gradient ? &d_ei : nullptr);

  // corr(f(x), f(x_t)) = Sigma(x, x_t) / sqrt(sigma^2(x) sigma^2(x_t)).
  double mean = 0.0, variance = 0.0, mean_t = 0.0, variance_t = 0.0;
  Eigen::VectorXd dvariance, dvariance_t, cov;
  Eigen::MatrixXd d_second, d_first;
  model_.predict_with_gradient(x, &mean, &variance, nullptr, with_gradient ? &dvariance : nullptr);
  model_.predict_with_gradient(xt, &mean_t, &variance_t, nullptr, with_gradient ? &dvariance_t : nullptr);
  model_.cross_covariance(xt.transpose())->evaluate(x, &cov, with_gradient ? &d_second : nullptr);
  const double correlation = cov(0) / std::sqrt(variance * variance_t);
  double log_correlation = std::log(std::max(correlation, kMinCorrelation));

  // Observation noise makes a repeated cheap evaluation worth less: 1 - s_e / sqrt(sigma^2 + s_e^2).
  const double noise = model_.noise_variance(), total = variance + noise;
  const double factor = 1.0 - std::sqrt(noise / total);
  const double log_factor = std::log(std::max(factor, std::numeric_limits<double>::min()));

  Eigen::VectorXd dcost, dcost_t;
  const double log_cost_ratio = fidelity_.log_cost(xt, with_gradient ? &dcost_t : nullptr) -
                                fidelity_.log_cost(x, with_gradient ? &dcost : nullptr);
  if (with_gradient) {
    Eigen::VectorXd d_correlation = Eigen::VectorXd::Zero(x.size());
    if (correlation > kMinCorrelation) {
      Eigen::VectorXd unused;
      model_.cross_covariance(x.transpose())->evaluate(xt, &unused, &d_first);  // d Sigma(x, x_t) / d x_t
      const Eigen::VectorXd dcov = d_second.row(0).transpose() + fidelity_.through_target(d_first.row(0).transpose());
      d_correlation = dcov / cov(0) - 0.5 * dvariance / variance - 0.5 * fidelity_.through_target(dvariance_t) / variance_t;
    }
    // d ln(1 - sqrt(noise / total)) = 0.5 sqrt(noise) total^(-3/2) d variance / factor.
    const Eigen::VectorXd d_factor =
        factor > std::numeric_limits<double>::min() ? Eigen::VectorXd(0.5 * std::sqrt(noise) * std::pow(total, -1.5) * dvariance / factor)
                                                    : Eigen::VectorXd::Zero(x.size());
    *gradient = fidelity_.through_target(d_ei) + d_correlation + d_factor + fidelity_.through_target(dcost_t) - dcost;
  }
  return log_ei + log_correlation + log_factor + log_cost_ratio;
}

}  // namespace boex
