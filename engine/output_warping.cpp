#include "engine/output_warping.h"

#include <cmath>

#include "core/errors.h"

namespace boex {

void OutputWarpingOptions::validate() const {
  if (method != "none" && method != "power")
    throw InvalidArgument("OutputWarpingOptions::method = \"" + method + "\"; must be \"none\" or \"power\"");
  if (!std::isfinite(lambda_min) || !std::isfinite(lambda_max) || !(lambda_min < lambda_max))
    throw InvalidArgument("OutputWarpingOptions::lambda_min/lambda_max = " + std::to_string(lambda_min) + "/" +
                          std::to_string(lambda_max) + "; must be finite with lambda_min < lambda_max");
}

OutputWarping OutputWarping::fit(const Eigen::VectorXd& y, const OutputWarpingOptions& options) {
  options.validate();
  if (y.size() < 1) throw InvalidArgument("OutputWarping: no data");
  if (!y.allFinite()) throw InvalidArgument("OutputWarping: data must be finite");
  OutputWarping w;
  if (options.method == "none") return w;
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

}  // namespace boex
