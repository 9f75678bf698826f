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
// more Gaussian marginal can still mean a rougher function.
//
// "auto" (the default of new studies) asks a GP, not the marginal, and asks it conservatively.
// Why "power" hurts Branin and the engineering problems (measured): lambda is stable between
// asks (about 0, a log-warp, on Branin) and the refitted GP's evidence prefers it by some 12 nats,
// yet runs stall at gaps of 0.03 to 0.1 where the plain GP keeps refining: a likelihood can rate a
// warp more probable without it helping the optimiser exploit. A GP likelihood of the warp grows
// with n on every problem, because a run's points cluster near the optimum (along plain runs, at
// n = 25: Branin 13 nats, PressureVessel 11; GoldsteinPrice 45, DixonPrice4 30 at n = 23). So
// "auto" scores each warp (both families on a lambda grid, and the identity) by the data's density
// under the correlation of a GP fitted to the plain values, mean and scale profiled, Jacobian
// included (the transformed-Gaussian-field likelihood of De Oliveira et al., 1997: O(n^2) per
// warp given that fit), and takes the mildest warp (lambda nearest 1) within `auto_tolerance` of
// the best: the identity unless the plain values are decisively worse, and then only as strong a
// warp as the data insist on. The transform is increasing: the incumbent stays the incumbent, and
// acquisitions work in the warped space against the warped incumbent; trials keep user units.
#pragma once

#include <Eigen/Dense>
#include <string>

#include "core/power_transform.h"
#include "surrogates/exact_gp.h"

namespace boex {

struct OutputWarpingOptions {
  // "auto" (the default: a warp only where a GP's likelihood asks for one), "power" (the marginal
  // maximum-likelihood warp, kept where the GP's evidence beats the plain GP's) or "none" (values
  // standardised linearly; studies stored before output warping existed resolve to it).
  std::string method = "auto";
  // The interval of lambda searched (both families).
  double lambda_min = -3.0;
  double lambda_max = 3.0;
  // "auto": how many nats below the best warp's GP log-likelihood a milder warp (lambda nearer 1)
  // may be and still be preferred. A significance level's 1.92 (lambda's 95 % interval) warps
  // Branin and costs it 8x in median gap; 16 exceeds what runs on the problems where plain values
  // are right reach in 30 evaluations and keeps 10 to 50x of the gain on heavy-tailed ones (README).
  double auto_tolerance = 16.0;

  void validate() const;  // throws InvalidArgument naming the field
  template <class Visitor>
  void visit(Visitor& v) {
    v("method", method);
    v("lambda_min", lambda_min);
    v("lambda_max", lambda_max);
    v("auto_tolerance", auto_tolerance);
  }
};

class OutputWarping {
 public:
  // The identity.
  OutputWarping() = default;
  // Fitted to finite values y (n >= 1) as independent draws: with method "power" the marginal
  // maximum-likelihood warp, otherwise the identity ("auto" needs a GP: select()).
  static OutputWarping fit(const Eigen::VectorXd& y, const OutputWarpingOptions& options);
  // Method "auto": the mildest warp (the identity included) whose likelihood of y under the
  // correlation of `plain`, a GP fitted to y itself, is within options.auto_tolerance of the best
  // on a lambda grid of both families. O(n^2) per candidate given plain's factorisation.
  static OutputWarping select(const Eigen::VectorXd& y, const ExactGP& plain, const OutputWarpingOptions& options);
  // ln p(y) of a GP with `gp`'s correlation (its kernel and noise, fitted to any values of the same
  // inputs) for values warped by `warp`, with the GP's constant mean and output scale profiled out
  // (generalised least squares), in y's units (Jacobian included): the score select() maximises.
  static double profile_log_likelihood(const ExactGP& gp, const OutputWarping& warp, const Eigen::VectorXd& y);

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
  // The warp of `family` at `lambda` (standardisations fitted to y); Box-Cox reflected for negative y.
  static OutputWarping with_lambda(const Eigen::VectorXd& y, PowerFamily family, double lambda);

  bool identity_ = true;
  bool reflected_ = false;  // Box-Cox of -y, negated: t = -BC(-y)
  PowerTransform power_;
  double log_likelihood_ = 0.0;
};

// ln p(y) under a GP fitted to warp(y): its marginal likelihood of the standardised values, back
// in y's units (- n ln scale, + the warp's log-Jacobian). Comparable across warps (the identity
// included), so it chooses between them.
double gp_log_evidence(const ExactGP& gp, const OutputWarping& warp, const Eigen::VectorXd& y);

// A GP of warp(y) started from `plain` (a GP fitted to y at the same inputs): its kernel and noise
// hyperparameters, the constant mean by generalised least squares, then refitted from there (one
// warm start, no multi-start) up to 400 points; above, conditioned without a
// refit (one O(n^3) factorisation: an ask at n = 1,000 can afford one fit, not two).
ExactGP warped_from(const ExactGP& plain, const OutputWarping& warp, const Eigen::VectorXd& y);

}  // namespace boex
