#include "acquisitions/log_noisy_ei.h"

#include <cmath>

namespace boex {

LogNoisyExpectedImprovement::LogNoisyExpectedImprovement(const Surrogate& model, const Eigen::MatrixXd& X_observed)
    : look_ahead_(model, X_observed), best_mean_(look_ahead_.mean_A().maxCoeff()) {}

double LogNoisyExpectedImprovement::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const LookAhead::Result r = look_ahead_.at(x, gradient != nullptr);
  // NEI = (E[max] - max a) + (max a - best mean): the second part is max(mean(x) - best mean, 0).
  const double log_increment = r.lines.log_increment;
  const double lift = r.mean - best_mean_;
  if (!(lift > 0)) {
    if (gradient) *gradient = r.dlog_increment;
    return log_increment;
  }
  // ln(e^p + e^q) and its gradient as the shares of each term, all in log space.
  const double log_lift = std::log(lift);
  const double log_nei = std::max(log_increment, log_lift) + std::log1p(std::exp(-std::abs(log_increment - log_lift)));
  if (gradient) {
    *gradient = std::exp(log_lift - log_nei) * (r.dmean / lift);
    if (std::isfinite(log_increment)) *gradient += std::exp(log_increment - log_nei) * r.dlog_increment;
  }
  return log_nei;
}

}  // namespace boex
