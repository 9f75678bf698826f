#include "acquisitions/log_noisy_ei.h"

#include <cmath>

namespace boex {

LogNoisyExpectedImprovement::LogNoisyExpectedImprovement(const Surrogate& model, const Eigen::MatrixXd& X_observed)
    : look_ahead_(model, X_observed), best_mean_(look_ahead_.mean_A().maxCoeff()) {}

double LogNoisyExpectedImprovement::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const LookAhead::Result r = look_ahead_.at(x, gradient != nullptr);
  // NEI = (E[max] - max a) + (max a - best mean): the second part is max(mean(x) - best mean, 0).
  double log_nei = r.lines.log_increment;
  const double lift = r.mean - best_mean_;
  if (lift > 0) {
    const double l = std::log(lift);
    log_nei = std::max(log_nei, l) + std::log1p(std::exp(-std::abs(log_nei - l)));
  }
  if (gradient) {
    const double nei = std::exp(log_nei);
    *gradient = nei > 0 ? Eigen::VectorXd(r.dmax / nei) : Eigen::VectorXd::Zero(x.size());
  }
  return log_nei;
}

}  // namespace boex
