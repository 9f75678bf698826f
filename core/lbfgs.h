// Bounded L-BFGS through NLopt behind a plain std::function, so callers never see NLopt's C
// callback: exceptions thrown by the objective cross it safely and are re-thrown to the caller.
#pragma once

#include <Eigen/Dense>
#include <functional>
#include <string>

namespace boex {

// f(x, grad) returns the value to MINIMISE and writes its gradient into grad (same size as x).
using Objective = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& grad)>;

struct LbfgsOptions {
  int max_evaluations = 200;      // budget of objective calls
  double relative_ftol = 1e-9;    // stop when a step improves f by less than this fraction
  double relative_xtol = 1e-8;    // or moves x by less than this fraction
  int memory = 10;                // L-BFGS history length
};

struct LbfgsResult {
  Eigen::VectorXd x;
  double value = 0.0;
  int evaluations = 0;
  // False when NLopt gave up without a usable point (x is then the best point it saw, if any).
  bool converged = false;
  std::string message;
};

// Minimises f in the box [lower, upper] from x0 (clamped into the box). Never throws for
// optimiser trouble (round-off, failure: the best point seen is returned); re-throws what f throws.
LbfgsResult minimize_lbfgs(const Objective& f, const Eigen::VectorXd& x0, const Eigen::VectorXd& lower,
                           const Eigen::VectorXd& upper, const LbfgsOptions& options = {});

// Minimises f from x0 over the box [lower, upper] intersected with {G x <= h, E x = e} by NLopt's
// SLSQP. For linear constraints SLSQP's steps satisfy the linearised constraints exactly, so from a
// feasible x0 every iterate stays feasible up to round-off (callers repair the last bits). Same
// error behaviour as minimize_lbfgs; `options.memory` is unused.
LbfgsResult minimize_linear_constrained(const Objective& f, const Eigen::VectorXd& x0, const Eigen::VectorXd& lower,
                                        const Eigen::VectorXd& upper, const Eigen::MatrixXd& G,
                                        const Eigen::VectorXd& h, const Eigen::MatrixXd& E,
                                        const Eigen::VectorXd& e, const LbfgsOptions& options = {});

}  // namespace boex
