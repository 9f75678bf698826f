#include "engine/output_warping.h"

#include <cmath>
#include <limits>
#include <vector>

#include "core/errors.h"
#include "core/normal.h"

namespace boex {
namespace {

// "auto"'s lambda grid spacing: finer moves the GP's likelihood by far less than auto_tolerance.
constexpr double kAutoGridStep = 0.1;
// warped_from(): the largest n refitted, and the refit's steps (from a warm start it converges in
// a few dozen; a plain fit's multi-start takes up to 4 x 150).
constexpr Eigen::Index kWarmRefitMaxPoints = 400;
constexpr int kWarmRefitEvaluations = 150;

void require_data(const Eigen::VectorXd& y) {
  if (y.size() < 1) throw InvalidArgument("OutputWarping: no data");
  if (!y.allFinite()) throw InvalidArgument("OutputWarping: data must be finite");
}

// ln p(y) of each warp's values under `gp`'s correlation C (kernel + noise, any scale), the mean c
// and scale a of N(t; c 1, a C) at their maximum: with u = L^-1 1, w = L^-1 t (L L' = C), the
// generalised-least-squares residual is q = w'w - (u'w)^2 / u'u and the maximum is
// -n/2 (ln(2 pi q / n) + 1) - ln|L|; plus the warp's log-Jacobian. One triangular solve for all.
std::vector<double> profile_log_likelihoods(const ExactGP& gp, const std::vector<OutputWarping>& warps,
                                            const Eigen::VectorXd& y) {
  const Eigen::Index n = y.size(), m = static_cast<Eigen::Index>(warps.size());
  if (gp.inputs().rows() != n) throw InvalidArgument("OutputWarping: the GP was fitted to another number of points");
  // Column 0: ones; 1: the GP's own residual (for ln|L|, from its log marginal likelihood); then the warps.
  Eigen::MatrixXd V(n, m + 2);
  V.col(0).setOnes();
  V.col(1) = (gp.data().y.array() - gp.output_mean()) / gp.output_scale() - gp.hyperparameters().constant_mean;
  for (Eigen::Index k = 0; k < m; ++k) V.col(k + 2) = warps[static_cast<std::size_t>(k)].transform(y);
  const Eigen::MatrixXd W = gp.whiten(V);
  const double nd = static_cast<double>(n);
  const double log_det_L = -gp.log_marginal_likelihood() - 0.5 * W.col(1).squaredNorm() - 0.5 * nd * normal::kLog2Pi;
  const Eigen::VectorXd u = W.col(0);
  std::vector<double> out;
  for (Eigen::Index k = 0; k < m; ++k) {
    const auto w = W.col(k + 2);
    const double uw = u.dot(w);
    const double q = w.squaredNorm() - uw * uw / u.squaredNorm();
    const double l = q > 0 ? -0.5 * nd * (std::log(2 * M_PI * q / nd) + 1) - log_det_L +
                                 warps[static_cast<std::size_t>(k)].log_jacobian(y)
                           : -std::numeric_limits<double>::infinity();
    out.push_back(std::isfinite(l) ? l : -std::numeric_limits<double>::infinity());
  }
  return out;
}

}  // namespace

void OutputWarpingOptions::validate() const {
  if (method != "auto" && method != "power" && method != "none")
    throw InvalidArgument("OutputWarpingOptions::method = \"" + method + "\"; must be \"auto\", \"power\" or \"none\"");
  if (!std::isfinite(lambda_min) || !std::isfinite(lambda_max) || !(lambda_min < lambda_max))
    throw InvalidArgument("OutputWarpingOptions::lambda_min/lambda_max = " + std::to_string(lambda_min) + "/" +
                          std::to_string(lambda_max) + "; must be finite with lambda_min < lambda_max");
  if (!(auto_tolerance >= 0) || !std::isfinite(auto_tolerance))
    throw InvalidArgument("OutputWarpingOptions::auto_tolerance = " + std::to_string(auto_tolerance) +
                          "; must be a finite number >= 0 (nats)");
}

OutputWarping OutputWarping::fit(const Eigen::VectorXd& y, const OutputWarpingOptions& options) {
  options.validate();
  require_data(y);
  OutputWarping w;
  if (options.method != "power") return w;
  PowerTransform::Options power;
  power.lambda_min = options.lambda_min;
  power.lambda_max = options.lambda_max;
  w.identity_ = false;
  w.power_ = PowerTransform::fit(y, power);
  w.log_likelihood_ = w.power_.log_likelihood(y);
  const bool positive = y.minCoeff() > 0, negative = y.maxCoeff() < 0;
  if (positive || negative) {
    // Box-Cox sees magnitudes; ln p(-y) = ln p(y), so the likelihoods compare directly.
    const Eigen::VectorXd magnitude = positive ? y : Eigen::VectorXd(-y);
    power.family = PowerFamily::kBoxCox;
    const PowerTransform box_cox = PowerTransform::fit(magnitude, power);
    const double l = box_cox.log_likelihood(magnitude);
    if (l > w.log_likelihood_) {
      w.power_ = box_cox;
      w.reflected_ = negative;
      w.log_likelihood_ = l;
    }
  }
  return w;
}

OutputWarping OutputWarping::with_lambda(const Eigen::VectorXd& y, PowerFamily family, double lambda) {
  OutputWarping w;
  w.identity_ = false;
  PowerTransform::Options options;
  options.family = family;
  w.reflected_ = family == PowerFamily::kBoxCox && y.maxCoeff() < 0;
  const Eigen::VectorXd v = w.reflected_ ? Eigen::VectorXd(-y) : y;
  w.power_ = PowerTransform::with_lambda(v, lambda, options);
  w.log_likelihood_ = w.power_.log_likelihood(v);
  return w;
}

OutputWarping OutputWarping::select(const Eigen::VectorXd& y, const ExactGP& plain, const OutputWarpingOptions& options) {
  options.validate();
  require_data(y);
  if (y.size() < 3 || y.minCoeff() == y.maxCoeff()) return OutputWarping();
  std::vector<OutputWarping> warps = {OutputWarping()};
  std::vector<double> lambdas = {1.0};
  std::vector<PowerFamily> families = {PowerFamily::kYeoJohnson};
  if (y.minCoeff() > 0 || y.maxCoeff() < 0) families.push_back(PowerFamily::kBoxCox);
  const int steps = static_cast<int>(std::floor((options.lambda_max - options.lambda_min) / kAutoGridStep + 1e-9));
  for (PowerFamily family : families)
    for (int k = 0; k <= steps; ++k) {
      const double lambda = options.lambda_min + k * kAutoGridStep;
      if (std::abs(lambda - 1.0) < 1e-9) continue;  // the identity, already first
      warps.push_back(with_lambda(y, family, lambda));
      lambdas.push_back(lambda);
    }
  const std::vector<double> scores = profile_log_likelihoods(plain, warps, y);
  double best = -std::numeric_limits<double>::infinity();
  for (double s : scores) best = std::max(best, s);
  if (!std::isfinite(best)) return OutputWarping();
  // The mildest warp the data do not reject against the best; the higher likelihood among equals.
  std::size_t chosen = 0;
  bool found = false;
  for (std::size_t k = 0; k < warps.size(); ++k) {
    if (!(scores[k] >= best - options.auto_tolerance)) continue;
    const double d = std::abs(lambdas[k] - 1.0), d_chosen = std::abs(lambdas[chosen] - 1.0);
    if (!found || d < d_chosen - 1e-12 || (std::abs(d - d_chosen) <= 1e-12 && scores[k] > scores[chosen])) chosen = k;
    found = true;
  }
  return warps[chosen];
}

double OutputWarping::profile_log_likelihood(const ExactGP& gp, const OutputWarping& warp, const Eigen::VectorXd& y) {
  require_data(y);
  return profile_log_likelihoods(gp, {warp}, y).front();
}

std::string OutputWarping::family() const {
  if (identity_) return "none";
  return power_.family() == PowerFamily::kBoxCox ? "box-cox" : "yeo-johnson";
}

double OutputWarping::transform(double y) const {
  if (identity_) return y;
  return reflected_ ? -power_.transform(-y) : power_.transform(y);
}

Eigen::VectorXd OutputWarping::transform(const Eigen::VectorXd& y) const {
  return y.unaryExpr([this](double v) { return transform(v); });
}

double OutputWarping::derivative(double y) const {
  if (identity_) return 1.0;
  return reflected_ ? power_.derivative(-y) : power_.derivative(y);
}

double OutputWarping::log_jacobian(const Eigen::VectorXd& y) const {
  if (identity_) return 0.0;
  return reflected_ ? power_.log_jacobian(-y) : power_.log_jacobian(y);
}

double OutputWarping::inverse(double t) const {
  if (identity_) return t;
  return reflected_ ? -power_.inverse(-t) : power_.inverse(t);
}

double gp_log_evidence(const ExactGP& gp, const OutputWarping& warp, const Eigen::VectorXd& y) {
  return gp.log_marginal_likelihood() - static_cast<double>(y.size()) * std::log(gp.output_scale()) + warp.log_jacobian(y);
}

ExactGP warped_from(const ExactGP& plain, const OutputWarping& warp, const Eigen::VectorXd& y) {
  const Eigen::VectorXd t = warp.transform(y);
  ExactGP gp(plain);
  ExactGP::Hyperparameters hyper = plain.hyperparameters();
  // The GLS mean of t in the standardised units the GP gives it (set_data: sample sd).
  const Eigen::Index n = t.size();
  const double sd = n > 1 ? std::sqrt((t.array() - t.mean()).square().sum() / static_cast<double>(n - 1)) : 1.0;
  Eigen::MatrixXd V(n, 2);
  V.col(0).setOnes();
  V.col(1) = (t.array() - t.mean()) / (sd > 0 ? sd : 1.0);
  const Eigen::MatrixXd W = plain.whiten(V);
  hyper.constant_mean = W.col(0).dot(W.col(1)) / W.col(0).squaredNorm();
  if (n > kWarmRefitMaxPoints) {
    gp.condition(plain.inputs(), t, hyper);
  } else {
    gp.warm_start(hyper, kWarmRefitEvaluations);
    gp.fit(Dataset{plain.inputs(), t, Eigen::VectorXd(), plain.data().groups});
  }
  return gp;
}

}  // namespace boex
