#include "surrogates/lengthscale_prior.h"

#include <algorithm>
#include <cmath>

namespace boex {

LengthscalePrior::LengthscalePrior(int count, const KernelOptions& options)
    : count_(count),
      prior_(dimension_scaled_lengthscale_prior(count)),
      min_lengthscale_(options.min_lengthscale),
      max_lengthscale_(options.max_lengthscale) {}

void LengthscalePrior::bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const {
  *lower = Eigen::VectorXd::Constant(count_, std::log(min_lengthscale_));
  *upper = Eigen::VectorXd::Constant(count_, std::log(max_lengthscale_));
}

Eigen::VectorXd LengthscalePrior::mode() const {
  return Eigen::VectorXd::Constant(count_, std::log(std::clamp(prior_.mode(), min_lengthscale_, max_lengthscale_)));
}

Eigen::VectorXd LengthscalePrior::draw(Rng& rng) const {
  Eigen::VectorXd theta(count_);
  for (Eigen::Index k = 0; k < theta.size(); ++k) theta(k) = prior_.mu + prior_.sigma * rng.normal();
  return theta;
}

double LengthscalePrior::log_density(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const {
  double out = 0.0;
  if (gradient) gradient->resize(theta.size());
  for (Eigen::Index k = 0; k < theta.size(); ++k) {
    out += prior_.log_density(theta(k));
    if (gradient) (*gradient)(k) = prior_.dlog_density(theta(k));
  }
  return out;
}

}  // namespace boex
