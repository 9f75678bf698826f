#include "surrogates/bnn_surrogate.h"

#include <cmath>

#include "core/errors.h"
#include "surrogates/bnn_options.h"
#include "surrogates/mlp_stack.h"

namespace boex {
namespace {

constexpr double kMinVariance = 1e-12;  // as the GP's, relative to the data's scale

}  // namespace

// ---- BnnSurrogate ------------------------------------------------------------------------------

BnnSurrogate::BnnSurrogate(bool noise_in_marginal) : noise_in_marginal_(noise_in_marginal) {}
BnnSurrogate::~BnnSurrogate() = default;
BnnSurrogate::BnnSurrogate(const BnnSurrogate& other) { *this = other; }

BnnSurrogate& BnnSurrogate::operator=(const BnnSurrogate& other) {
  if (this == &other) return *this;
  noise_in_marginal_ = other.noise_in_marginal_;
  data_ = other.data_;
  y_mean_ = other.y_mean_;
  y_scale_ = other.y_scale_;
  noise_s_ = other.noise_s_;
  draws_ = other.draws_ ? std::make_unique<MlpStack>(*other.draws_) : nullptr;
  return *this;
}

Capabilities BnnSurrogate::capabilities() const { return bnn_capabilities(); }

Eigen::VectorXd BnnSurrogate::set_data(const Dataset& data, const std::string& model) {
  validate_dataset(data, model);
  if (data.noise_variance.size() > 0)
    throw InvalidArgument(model + ": known noise variances are not supported; the network learns the noise");
  data_ = data;
  const Eigen::Index n = data.y.size();
  y_mean_ = data.y.mean();
  y_scale_ = 1.0;
  if (n > 1) {
    const double sd = std::sqrt((data.y.array() - y_mean_).square().sum() / static_cast<double>(n - 1));
    if (sd >= 1e-8) y_scale_ = sd;
  }
  return (data.y.array() - y_mean_) / y_scale_;
}

void BnnSurrogate::set_draws(const MlpStack& draws, double noise_variance_standardised) {
  draws_ = std::make_unique<MlpStack>(draws);
  noise_s_ = noise_variance_standardised;
}

int BnnSurrogate::num_samples() const { return draws_ ? draws_->members() : 0; }

void BnnSurrogate::predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const {
  if (!draws_) throw StateError(name() + ": predict before fit");
  const Eigen::MatrixXd F = draws_->values(X);  // S x m
  const Eigen::VectorXd m = F.colwise().mean().transpose();
  if (mean) *mean = (m.array() * y_scale_ + y_mean_).matrix();
  if (variance) {
    const Eigen::VectorXd spread = (F.rowwise() - m.transpose()).colwise().squaredNorm().transpose() / F.rows();
    const double extra = noise_in_marginal_ ? noise_s_ : 0.0;
    *variance = ((spread.array() + extra).max(kMinVariance) * y_scale_ * y_scale_).matrix();
  }
}

void BnnSurrogate::predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance,
                                         Eigen::VectorXd* dmean, Eigen::VectorXd* dvariance) const {
  if (!draws_) throw StateError(name() + ": predict before fit");
  Eigen::VectorXd f;
  Eigen::MatrixXd df;
  draws_->values_with_gradient(x, &f, (dmean || dvariance) ? &df : nullptr);
  const double S = static_cast<double>(f.size());
  const double m = f.mean();
  const Eigen::VectorXd centred = f.array() - m;
  const double spread = centred.squaredNorm() / S + (noise_in_marginal_ ? noise_s_ : 0.0);
  *mean = m * y_scale_ + y_mean_;
  *variance = std::max(spread, kMinVariance) * y_scale_ * y_scale_;
  if (dmean) *dmean = (df.colwise().sum().transpose() / S) * y_scale_;
  if (dvariance) {
    if (spread > kMinVariance)
      *dvariance = (2.0 / S) * (df.transpose() * centred) * (y_scale_ * y_scale_);
    else
      dvariance->setZero(x.size());
  }
}

Eigen::MatrixXd BnnSurrogate::sample(const Eigen::MatrixXd& X) const {
  if (!draws_) throw StateError(name() + ": sample before fit");
  return (draws_->values(X).array() * y_scale_ + y_mean_).matrix();
}

void BnnSurrogate::sample_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd* values,
                                        Eigen::MatrixXd* gradients) const {
  if (!draws_) throw StateError(name() + ": sample before fit");
  draws_->values_with_gradient(x, values, gradients);
  *values = (values->array() * y_scale_ + y_mean_).matrix();
  if (gradients) *gradients *= y_scale_;
}

}  // namespace boex
