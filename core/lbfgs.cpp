#include "core/lbfgs.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <nlopt.hpp>

namespace boex {
namespace {

struct Callback {
  const Objective* f;
  Eigen::VectorXd x, grad, best_x;
  double best_value = std::numeric_limits<double>::infinity();
  int evaluations = 0;
  std::exception_ptr error;
};

double trampoline(unsigned n, const double* x, double* grad, void* data) {
  auto* cb = static_cast<Callback*>(data);
  try {
    cb->x = Eigen::Map<const Eigen::VectorXd>(x, n);
    cb->grad.setZero(n);
    double value = (*cb->f)(cb->x, cb->grad);
    ++cb->evaluations;
    if (!std::isfinite(value)) {
      // Tell L-BFGS this is a bad place (a large value, no slope) rather than poisoning it.
      value = std::numeric_limits<double>::max() / 4;
      cb->grad.setZero();
    } else if (value < cb->best_value) {
      cb->best_value = value;
      cb->best_x = cb->x;
    }
    if (!cb->grad.allFinite()) cb->grad.setZero();
    if (grad) Eigen::Map<Eigen::VectorXd>(grad, n) = cb->grad;
    return value;
  } catch (...) {
    cb->error = std::current_exception();
    throw nlopt::forced_stop();
  }
}

// Runs a configured optimiser from x. The result is the best point seen, or with `last` NLopt's
// final iterate (SLSQP may try infeasible points on its way, so "best seen" could be one of them).
LbfgsResult run(nlopt::opt& opt, Callback& cb, std::vector<double>& x, const LbfgsOptions& options, bool last = false) {
  const unsigned n = static_cast<unsigned>(x.size());
  LbfgsResult result;
  cb.best_x = Eigen::Map<Eigen::VectorXd>(x.data(), n);
  opt.set_min_objective(trampoline, &cb);
  opt.set_maxeval(options.max_evaluations);
  opt.set_ftol_rel(options.relative_ftol);
  opt.set_xtol_rel(options.relative_xtol);
  double value = std::numeric_limits<double>::quiet_NaN();  // stays NaN unless NLopt returns normally
  try {
    const nlopt::result r = opt.optimize(x, value);
    result.converged = r > 0;
    result.message = "nlopt status " + std::to_string(static_cast<int>(r));
  } catch (const nlopt::roundoff_limited&) {
    result.converged = true;  // the point is usable; more digits were not to be had
    result.message = "round-off limited";
  } catch (const nlopt::forced_stop&) {
    if (cb.error) std::rethrow_exception(cb.error);
    result.message = "forced stop";
  } catch (const std::exception& e) {
    if (cb.error) std::rethrow_exception(cb.error);
    result.message = e.what();
  }
  if (cb.error) std::rethrow_exception(cb.error);
  result.evaluations = cb.evaluations;
  // NLopt returns its last iterate; the best point seen is never worse.
  result.x = cb.best_x;
  result.value = cb.best_value;
  if (last && std::isfinite(value) && std::isfinite(result.value)) {
    result.x = Eigen::Map<Eigen::VectorXd>(x.data(), n);
    result.value = value;
  }
  if (!std::isfinite(result.value)) {
    result.x = Eigen::Map<Eigen::VectorXd>(x.data(), n);
    result.value = std::numeric_limits<double>::infinity();
    result.converged = false;
  }
  return result;
}

// Rows of M x - r (<= 0 or = 0) as an NLopt vector constraint.
struct LinearRows {
  Eigen::MatrixXd M;
  Eigen::VectorXd r;
};

void linear_rows(unsigned m, double* result, unsigned n, const double* x, double* grad, void* data) {
  const auto* rows = static_cast<const LinearRows*>(data);
  const Eigen::Map<const Eigen::VectorXd> xv(x, n);
  Eigen::Map<Eigen::VectorXd>(result, m) = rows->M * xv - rows->r;
  // NLopt wants grad[i * n + j] = d result_i / d x_j: M row-major.
  if (grad) Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(grad, m, n) = rows->M;
}

// An NLopt optimiser of the box [lower, upper]; x0 clamped into it is where it starts.
nlopt::opt boxed(nlopt::algorithm algorithm, const Eigen::VectorXd& x0, const Eigen::VectorXd& lower,
                 const Eigen::VectorXd& upper, std::vector<double>* start) {
  const auto n = static_cast<std::size_t>(x0.size());
  start->resize(n);
  for (std::size_t i = 0; i < n; ++i) (*start)[i] = std::clamp(x0(i), lower(i), upper(i));
  nlopt::opt opt(algorithm, static_cast<unsigned>(n));
  opt.set_lower_bounds(std::vector<double>(lower.data(), lower.data() + n));
  opt.set_upper_bounds(std::vector<double>(upper.data(), upper.data() + n));
  return opt;
}

}  // namespace

LbfgsResult minimize_lbfgs(const Objective& f, const Eigen::VectorXd& x0, const Eigen::VectorXd& lower,
                           const Eigen::VectorXd& upper, const LbfgsOptions& options) {
  Callback cb;
  cb.f = &f;
  std::vector<double> x;
  nlopt::opt opt = boxed(nlopt::LD_LBFGS, x0, lower, upper, &x);
  opt.set_vector_storage(options.memory);
  return run(opt, cb, x, options);
}

LbfgsResult minimize_linear_constrained(const Objective& f, const Eigen::VectorXd& x0, const Eigen::VectorXd& lower,
                                        const Eigen::VectorXd& upper, const Eigen::MatrixXd& G,
                                        const Eigen::VectorXd& h, const Eigen::MatrixXd& E,
                                        const Eigen::VectorXd& e, const LbfgsOptions& options) {
  Callback cb;
  cb.f = &f;
  std::vector<double> x;
  nlopt::opt opt = boxed(nlopt::LD_SLSQP, x0, lower, upper, &x);
  LinearRows inequalities{G, h}, equalities{E, e};
  if (G.rows() > 0)
    opt.add_inequality_mconstraint(linear_rows, &inequalities, std::vector<double>(static_cast<std::size_t>(G.rows()), 0.0));
  if (E.rows() > 0)
    opt.add_equality_mconstraint(linear_rows, &equalities, std::vector<double>(static_cast<std::size_t>(E.rows()), 0.0));
  return run(opt, cb, x, options, true);
}

}  // namespace boex
