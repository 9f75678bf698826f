#include "core/lbfgs.h"

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

}  // namespace

LbfgsResult minimize_lbfgs(const Objective& f, const Eigen::VectorXd& x0, const Eigen::VectorXd& lower,
                           const Eigen::VectorXd& upper, const LbfgsOptions& options) {
  const unsigned n = static_cast<unsigned>(x0.size());
  Callback cb;
  cb.f = &f;
  LbfgsResult result;
  std::vector<double> x(n), lo(lower.data(), lower.data() + n), hi(upper.data(), upper.data() + n);
  for (unsigned i = 0; i < n; ++i) x[i] = std::clamp(x0(i), lower(i), upper(i));
  cb.best_x = Eigen::Map<Eigen::VectorXd>(x.data(), n);

  nlopt::opt opt(nlopt::LD_LBFGS, n);
  opt.set_lower_bounds(lo);
  opt.set_upper_bounds(hi);
  opt.set_min_objective(trampoline, &cb);
  opt.set_maxeval(options.max_evaluations);
  opt.set_ftol_rel(options.relative_ftol);
  opt.set_xtol_rel(options.relative_xtol);
  opt.set_vector_storage(options.memory);
  double value = 0.0;
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
  if (!std::isfinite(result.value)) {
    result.x = Eigen::Map<Eigen::VectorXd>(x.data(), n);
    result.value = std::numeric_limits<double>::infinity();
    result.converged = false;
  }
  return result;
}

}  // namespace boex
