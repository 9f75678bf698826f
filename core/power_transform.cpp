#include "core/power_transform.h"

#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.h"

namespace boex {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kLog2Pi = 1.83787706640934548356;
// |lambda| (or |2 - lambda|) below this is treated as the logarithmic limit of the family.
constexpr double kLimitTolerance = 1e-12;

double log_psi_derivative(PowerFamily family, double z, double lambda) {
  if (family == PowerFamily::kBoxCox) return (lambda - 1.0) * std::log(z);
  return z >= 0 ? (lambda - 1.0) * std::log1p(z) : (1.0 - lambda) * std::log1p(-z);
}

double mean_of(const Eigen::VectorXd& v) { return v.mean(); }

double population_sd(const Eigen::VectorXd& v) {
  return std::sqrt((v.array() - v.mean()).square().mean());
}

}  // namespace

void PowerTransform::Options::validate() const {
  if (!std::isfinite(lambda_min) || !std::isfinite(lambda_max) || !(lambda_min < lambda_max))
    throw InvalidArgument("PowerTransform::Options::lambda_min/lambda_max = " + std::to_string(lambda_min) + "/" +
                          std::to_string(lambda_max) + "; must be finite with min < max");
  if (grid_points < 3)
    throw InvalidArgument("PowerTransform::Options::grid_points = " + std::to_string(grid_points) + "; must be >= 3");
}

double PowerTransform::psi(PowerFamily family, double z, double lambda) {
  if (family == PowerFamily::kBoxCox)
    return std::abs(lambda) < kLimitTolerance ? std::log(z) : std::expm1(lambda * std::log(z)) / lambda;
  if (z >= 0) return std::abs(lambda) < kLimitTolerance ? std::log1p(z) : std::expm1(lambda * std::log1p(z)) / lambda;
  const double mu = 2.0 - lambda;
  return std::abs(mu) < kLimitTolerance ? -std::log1p(-z) : -std::expm1(mu * std::log1p(-z)) / mu;
}

double PowerTransform::psi_inverse(PowerFamily family, double u, double lambda) {
  if (family == PowerFamily::kBoxCox) {
    if (std::abs(lambda) < kLimitTolerance) return std::exp(u);
    const double base = 1.0 + lambda * u;
    if (base <= 0) return lambda > 0 ? 0.0 : kInf;
    return std::exp(std::log(base) / lambda);
  }
  if (u >= 0) {
    if (std::abs(lambda) < kLimitTolerance) return std::expm1(u);
    const double base = lambda * u;
    if (base <= -1) return kInf;
    return std::expm1(std::log1p(base) / lambda);
  }
  const double mu = 2.0 - lambda;
  if (std::abs(mu) < kLimitTolerance) return -std::expm1(-u);
  const double base = -mu * u;
  if (base <= -1) return -kInf;
  return -std::expm1(std::log1p(base) / mu);
}

double PowerTransform::psi_derivative(PowerFamily family, double z, double lambda) {
  return std::exp(log_psi_derivative(family, z, lambda));
}

double PowerTransform::profile_log_likelihood(PowerFamily family, const Eigen::VectorXd& z, double lambda) {
  const Eigen::Index n = z.size();
  Eigen::VectorXd u(n);
  double log_jacobian = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    u(i) = psi(family, z(i), lambda);
    log_jacobian += log_psi_derivative(family, z(i), lambda);
  }
  const double var = (u.array() - u.mean()).square().mean();
  if (!(var > 0) || !std::isfinite(var)) return -kInf;
  return -0.5 * n * (kLog2Pi + std::log(var) + 1.0) + log_jacobian;
}

PowerTransform PowerTransform::with_lambda(const Eigen::VectorXd& y, double lambda, const Options& options) {
  options.validate();
  if (y.size() < 1) throw InvalidArgument("PowerTransform: no data");
  if (!y.allFinite()) throw InvalidArgument("PowerTransform: data must be finite");
  if (options.family == PowerFamily::kBoxCox && !(y.minCoeff() > 0))
    throw InvalidArgument("PowerTransform: Box-Cox needs positive data (use Yeo-Johnson)");
  if (!std::isfinite(lambda)) throw InvalidArgument("PowerTransform: lambda must be finite");
  PowerTransform t;
  t.family_ = options.family;
  t.lambda_ = lambda;
  if (options.family == PowerFamily::kYeoJohnson) {
    t.in_mean_ = mean_of(y);
    const double sd = population_sd(y);
    t.in_scale_ = sd > 0 ? sd : 1.0;
  }
  Eigen::VectorXd u(y.size());
  for (Eigen::Index i = 0; i < y.size(); ++i) u(i) = psi(t.family_, (y(i) - t.in_mean_) / t.in_scale_, lambda);
  if (options.standardize_output) {
    t.out_mean_ = mean_of(u);
    const double sd = population_sd(u);
    t.out_scale_ = sd > 0 && std::isfinite(sd) ? sd : 1.0;
  }
  return t;
}

PowerTransform PowerTransform::fit(const Eigen::VectorXd& y, const Options& options) {
  options.validate();
  if (y.size() < 1) throw InvalidArgument("PowerTransform: no data");
  if (!y.allFinite()) throw InvalidArgument("PowerTransform: data must be finite");
  const bool distinct = y.maxCoeff() > y.minCoeff();
  if (!distinct) return with_lambda(y, 1.0, options);
  // The data the family sees: standardised for Yeo-Johnson, raw (scale-equivariant) for Box-Cox.
  const PowerTransform identity = with_lambda(y, 1.0, options);
  const Eigen::VectorXd z = (y.array() - identity.in_mean_) / identity.in_scale_;
  const auto objective = [&](double lambda) {
    const double l = profile_log_likelihood(options.family, z, lambda);
    return std::isfinite(l) ? -l : std::numeric_limits<double>::max();
  };
  const int G = options.grid_points;
  const double step = (options.lambda_max - options.lambda_min) / (G - 1);
  int best = 0;
  double best_value = kInf;
  for (int i = 0; i < G; ++i) {
    const double v = objective(options.lambda_min + i * step);
    if (v < best_value) best_value = v, best = i;
  }
  const double lo = options.lambda_min + std::max(best - 1, 0) * step;
  const double hi = options.lambda_min + std::min(best + 1, G - 1) * step;
  const auto [lambda, value] = boost::math::tools::brent_find_minima(objective, lo, hi, 52);
  const double chosen = value <= best_value ? lambda : options.lambda_min + best * step;
  return with_lambda(y, chosen, options);
}

double PowerTransform::transform(double y) const {
  return (psi(family_, (y - in_mean_) / in_scale_, lambda_) - out_mean_) / out_scale_;
}

Eigen::VectorXd PowerTransform::transform(const Eigen::VectorXd& y) const {
  return y.unaryExpr([this](double v) { return transform(v); });
}

double PowerTransform::inverse(double t) const {
  return in_mean_ + in_scale_ * psi_inverse(family_, out_mean_ + out_scale_ * t, lambda_);
}

Eigen::VectorXd PowerTransform::inverse(const Eigen::VectorXd& t) const {
  return t.unaryExpr([this](double v) { return inverse(v); });
}

double PowerTransform::derivative(double y) const {
  return psi_derivative(family_, (y - in_mean_) / in_scale_, lambda_) / (in_scale_ * out_scale_);
}

double PowerTransform::log_jacobian(const Eigen::VectorXd& y) const {
  double total = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i)
    total += log_psi_derivative(family_, (y(i) - in_mean_) / in_scale_, lambda_) - std::log(in_scale_ * out_scale_);
  return total;
}

}  // namespace boex
