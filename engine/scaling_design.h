// Where the next training run of a scaling study helps the law most: a two-level model of the
// per-scale optima (each scale's optimum scatters about the power law, and is located from its
// near-optimal runs with an error that shrinks with their number) gives the variance of the law's
// prediction at the target, and how much one more run at each scale is expected to shrink it.
#pragma once

#include <vector>

namespace boex {

// What the runs of one scale say about its optimum, in log space.
struct ScaleEvidence {
  double log_N = 0.0, log_D = 0.0;
  int runs = 0;                             // complete runs at the scale
  std::vector<double> near_log_lr;          // ln lr of its near-optimal runs
  std::vector<double> near_log_batch;       // ln batch of its near-optimal runs
};

// For each scale, the expected relative drop of the prediction variance at (ln N*, ln D*) of the
// two OLS laws (ln eta* on 1, ln N, ln D; ln B* on 1, ln D), summed, when one more run is made
// there. Model, for each law: scale s's centre ybar_s (mean of its m_s near-optimal values) is
// x_s' theta + u_s + e_s with law misfit u_s ~ (0, tau^2) and location error e_s ~ (0, sigma^2 / m_s);
// sigma^2 is the pooled within-scale variance of the near-optimal values, tau^2 the between-scale
// residual variance of the centres less the mean location error, at least half that residual
// variance (the power law is never taken as exact). The law's variance at x* is
// x*' (sum_s x_s x_s' / (tau^2 + sigma^2 / m_s))^-1 x*; a run at s adds p_s = (m_s + 1) / (runs_s + 2)
// expected near-optimal runs. Scales without near-optimal runs get 0. Empty when the scales with
// runs cannot determine both laws (fewer than three off one line, or two distinct D).
std::vector<double> expected_variance_drops(const std::vector<ScaleEvidence>& scales, double log_N_target,
                                            double log_D_target);

}  // namespace boex
