// Output warping for model strategies: a learned monotone transform of the objective before the
// model sees it, so that values spanning orders of magnitude (valleys, log-normal costs, rare huge
// failures) do not flatten everything else the way a linear standardisation does (HEBO, 2020).
//
// "power" fits, by maximum likelihood of the data, a Yeo-Johnson transform of the standardised
// values and, where the values share one sign, a Box-Cox transform of their magnitudes (reflected
// for negative values, so it stays increasing; lambda = 0 is the log-warp), and keeps whichever
// family gives the data the higher likelihood (Jacobians included, so families are comparable;
// Yeo-Johnson at lambda = 1 is the plain standardisation, so a warp is used only where the data
// are more likely under it). Model strategies with a GP then keep the warp only where the GP's
// marginal likelihood of the data (Jacobian included) is higher with it than without it, since a
// more Gaussian marginal can still mean a rougher function. The transform is increasing: the incumbent stays the incumbent, and
// acquisitions work in the warped space against the warped incumbent; trials keep user units.
#pragma once

#include <Eigen/Dense>
#include <string>

#include "core/power_transform.h"
#include "surrogates/exact_gp.h"

namespace boex {

struct OutputWarpingOptions {
  // "none" (the default: values are standardised linearly, as boex always did) or "power".
  // Off by default because on smooth problems where the linear scale is right it costs sample
  // efficiency; turn it on for heavy-tailed objectives (README, "Output warping").
  std::string method = "none";
  // The interval of lambda searched (both families).
  double lambda_min = -3.0;
  double lambda_max = 3.0;

  void validate() const;  // throws InvalidArgument naming the field
  template <class Visitor>
  void visit(Visitor& v) {
    v("method", method);
    v("lambda_min", lambda_min);
    v("lambda_max", lambda_max);
  }
};

class OutputWarping {
 public:
  // The identity.
  OutputWarping() = default;
  // Fitted to finite values y (n >= 1). With method "none" the identity.
  static OutputWarping fit(const Eigen::VectorXd& y, const OutputWarpingOptions& options);

  bool is_identity() const { return identity_; }
  // "none", "yeo-johnson" or "box-cox", and its lambda (1 when none).
  std::string family() const;
  double lambda() const { return identity_ ? 1.0 : power_.lambda(); }
  // ln p(y) under the chosen transform (0 for the identity).
  double log_likelihood() const { return log_likelihood_; }

  double transform(double y) const;
  Eigen::VectorXd transform(const Eigen::VectorXd& y) const;
  // dt/dy > 0: a density of t becomes one of y as p_y(y) = p_t(t(y)) dt/dy.
  double derivative(double y) const;
  // sum_i ln dt/dy at y_i (0 for the identity).
  double log_jacobian(const Eigen::VectorXd& y) const;
  // Back to user units (a posterior median or quantile maps through it, a mean does not).
  double inverse(double t) const;

 private:
  bool identity_ = true;
  bool reflected_ = false;  // Box-Cox of -y, negated: t = -BC(-y)
  PowerTransform power_;
  double log_likelihood_ = 0.0;
};

// ln p(y) under a GP fitted to warp(y): its marginal likelihood of the standardised values, back
// in y's units (- n ln scale, + the warp's log-Jacobian). Comparable across warps (the identity
// included), so it chooses between them.
double gp_log_evidence(const ExactGP& gp, const OutputWarping& warp, const Eigen::VectorXd& y);

}  // namespace boex
