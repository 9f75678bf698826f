#include "acquisitions/qlog_nei.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"
#include "core/rng.h"
#include "core/smooth_math.h"
#include "core/sobol.h"

namespace boex {
namespace {

// Keeps the baseline points that are the maximum in at least one joint sample (prune_baseline).
Eigen::MatrixXd prune(const Surrogate& model, const Eigen::MatrixXd& X, int samples, std::uint64_t seed) {
  if (X.rows() <= 1) return X;
  const Eigen::MatrixXd F = model.capabilities().joint
                                ? model.posterior(X).samples(sobol_normal(samples, static_cast<int>(X.rows()), seed))
                                : model.sample(X);
  std::vector<bool> keep(X.rows(), false);
  for (Eigen::Index s = 0; s < F.rows(); ++s) {
    Eigen::Index best = 0;
    F.row(s).maxCoeff(&best);
    keep[best] = true;
  }
  Eigen::MatrixXd out(std::count(keep.begin(), keep.end(), true), X.cols());
  for (Eigen::Index i = 0, r = 0; i < X.rows(); ++i)
    if (keep[i]) out.row(r++) = X.row(i);
  return out;
}

}  // namespace

QLogNoisyExpectedImprovement::QLogNoisyExpectedImprovement(const Surrogate& objective,
                                                           std::vector<const Surrogate*> constraints,
                                                           const Eigen::MatrixXd& X_baseline,
                                                           const QLogNeiOptions& options)
    : options_(options) {
  if (X_baseline.rows() == 0) throw InvalidArgument("qLogNEI needs at least one baseline point");
  if (options.num_samples < 1 || options.prune_samples < 1) throw InvalidArgument("qLogNEI needs >= 1 sample");
  // With constraints the best point of a sample must also be feasible in it: keep them all.
  baseline_ = constraints.empty() && options.prune_baseline ? prune(objective, X_baseline, options.prune_samples, mix_seed(options.seed, 1))
                                  : X_baseline;
  const int m = static_cast<int>(baseline_.rows());
  // The objective and constraint models are independent: so must their base samples be.
  std::vector<const Surrogate*> models = {&objective};
  models.insert(models.end(), constraints.begin(), constraints.end());
  std::vector<std::unique_ptr<SampleSource>> sources =
      make_independent_sample_sources(models, baseline_, options.num_samples, mix_seed(options.seed, 2));
  objective_ = std::move(sources.front());
  const int N = objective_->num_samples();
  options_.num_samples = N;
  tau_ = options.tau_relu * objective.prior_scale();
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    constraints_.push_back(std::move(sources[k + 1]));
    if (constraints_.back()->num_samples() != N)
      throw InvalidArgument("qLogNEI: the constraint models draw " + std::to_string(constraints_.back()->num_samples()) +
                            " samples but the objective's draws " + std::to_string(N));
    eta_.push_back(options.eta * constraints[k]->prior_scale());
  }
  // best_s: the best baseline value feasible in sample s; where none is, a pessimistic value
  // below every plausible objective (BoTorch's infeasible cost, min over mean - 6 sd).
  const Eigen::MatrixXd& F = objective_->baseline_samples();
  Eigen::VectorXd mean, variance;
  objective.predict(baseline_, &mean, &variance);
  const double infeasible = std::min(0.0, (mean.array() - 6.0 * variance.array().sqrt()).minCoeff());
  best_.resize(N);
  for (int s = 0; s < N; ++s) {
    double best = -INFINITY;
    for (int b = 0; b < m; ++b) {
      bool feasible = true;
      for (const auto& c : constraints_) feasible = feasible && c->baseline_samples()(s, b) <= 0.0;
      if (feasible) best = std::max(best, F(s, b));
    }
    best_(s) = std::isfinite(best) ? best : infeasible;
  }
}

double QLogNoisyExpectedImprovement::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const int N = options_.num_samples;
  Eigen::VectorXd f;
  Eigen::MatrixXd df;
  objective_->candidate(x, &f, gradient ? &df : nullptr);
  Eigen::VectorXd terms(N), dterm(N);
  for (int s = 0; s < N; ++s) terms(s) = smooth::log_fatplus(f(s) - best_(s), tau_, &dterm(s));
  Eigen::MatrixXd dterms;
  if (gradient) dterms = dterm.asDiagonal() * df;
  for (std::size_t k = 0; k < constraints_.size(); ++k) {
    Eigen::VectorXd c;
    Eigen::MatrixXd dc;
    constraints_[k]->candidate(x, &c, gradient ? &dc : nullptr);
    for (int s = 0; s < N; ++s) {
      double dlog = 0.0;
      terms(s) += smooth::log_fatmoid(-c(s), eta_[k], &dlog);
      if (gradient) dterms.row(s) -= dlog * dc.row(s);
    }
  }
  const double value = smooth::logmeanexp(terms);
  if (gradient) {
    const Eigen::VectorXd weights = (terms.array() - value).exp() / N;  // softmax of the terms
    *gradient = dterms.transpose() * weights;
  }
  return value;
}

}  // namespace boex
