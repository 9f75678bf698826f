#include "acquisitions/qlog_nehvi.h"

#include <cmath>

#include "core/errors.h"
#include "core/pareto.h"
#include "core/smooth_math.h"

namespace boex {

void QLogNehviOptions::validate() const {
  if (num_samples < 1 || num_samples > 65536)
    throw InvalidArgument("QLogNehviOptions::num_samples = " + std::to_string(num_samples) + "; must be in 1..65536");
  if (!(tau_relu > 0) || !std::isfinite(tau_relu)) throw InvalidArgument("QLogNehviOptions::tau_relu must be finite and > 0");
  if (!(eta > 0) || !std::isfinite(eta)) throw InvalidArgument("QLogNehviOptions::eta must be finite and > 0");
}

QLogNoisyExpectedHypervolumeImprovement::QLogNoisyExpectedHypervolumeImprovement(
    std::vector<const Surrogate*> objectives, std::vector<const Surrogate*> constraints,
    const Eigen::MatrixXd& X_baseline, const Eigen::VectorXd& reference, const QLogNehviOptions& options)
    : options_(options) {
  options.validate();
  const Eigen::Index k = static_cast<Eigen::Index>(objectives.size());
  if (k == 0) throw InvalidArgument("qLogNEHVI needs at least one objective model");
  if (reference.size() != k || !reference.allFinite())
    throw InvalidArgument("qLogNEHVI: the reference point needs one finite value per objective");
  if (X_baseline.rows() == 0) throw InvalidArgument("qLogNEHVI needs at least one baseline point");
  std::vector<const Surrogate*> all = objectives;
  all.insert(all.end(), constraints.begin(), constraints.end());
  std::vector<std::unique_ptr<SampleSource>> sources =
      make_independent_sample_sources(all, X_baseline, options.num_samples, options.seed);
  tau_.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    objectives_.push_back(std::move(sources[static_cast<std::size_t>(j)]));
    tau_(j) = options.tau_relu * objectives[static_cast<std::size_t>(j)]->prior_scale();
  }
  log_tau_ = tau_.unaryExpr([](double t) { return std::log(t); });  // libm's, as log_fatplus(x, tau) takes it
  for (std::size_t c = 0; c < constraints.size(); ++c) {
    constraints_.push_back(std::move(sources[static_cast<std::size_t>(k) + c]));
    eta_.push_back(options.eta * constraints[c]->prior_scale());
  }
  const int N = objectives_.front()->num_samples();
  for (const auto* group : {&objectives_, &constraints_})
    for (const auto& source : *group)
      if (source->num_samples() != N)
        throw InvalidArgument("qLogNEHVI: every model must draw the same number of samples (" + std::to_string(N) +
                              " and " + std::to_string(source->num_samples()) + ")");
  options_.num_samples = N;
  const Eigen::Index m = X_baseline.rows();
  // Each sample's front of the feasible baseline points above the reference; a point on none of
  // them bounds no box, so the candidate need not be drawn jointly with it (BoTorch's
  // prune_baseline, here judged on the very samples the boxes come from, which leaves the boxes,
  // and so the acquisition's expectation, unchanged).
  std::vector<bool> on_some_front(static_cast<std::size_t>(m), false);
  boxes_.resize(static_cast<std::size_t>(N));
  Eigen::MatrixXd Y(m, k);
  std::vector<bool> eligible(static_cast<std::size_t>(m));
  for (int s = 0; s < N; ++s) {
    for (Eigen::Index b = 0; b < m; ++b) {
      bool ok = true;
      for (const auto& c : constraints_) ok = ok && c->baseline_samples()(s, b) <= 0.0;
      for (Eigen::Index j = 0; j < k; ++j) {
        Y(b, j) = objectives_[static_cast<std::size_t>(j)]->baseline_samples()(s, b);
        ok = ok && Y(b, j) > reference(j);
      }
      eligible[static_cast<std::size_t>(b)] = ok;
    }
    const std::vector<Eigen::Index> front = pareto_front(Y, eligible);
    for (Eigen::Index b : front) on_some_front[static_cast<std::size_t>(b)] = true;
    const std::vector<HyperBox> boxes = improvement_boxes(Y(front, Eigen::all), reference);
    SampleBoxes& out = boxes_[static_cast<std::size_t>(s)];
    const Eigen::Index B = static_cast<Eigen::Index>(boxes.size());
    out.lower.resize(B, k);
    out.upper.resize(B, k);
    out.log_capped.resize(B, k);
    for (Eigen::Index b = 0; b < B; ++b) {
      out.lower.row(b) = boxes[static_cast<std::size_t>(b)].lower.transpose();
      out.upper.row(b) = boxes[static_cast<std::size_t>(b)].upper.transpose();
      for (Eigen::Index j = 0; j < k; ++j) {
        double unused = 0.0;
        out.log_capped(b, j) = std::isfinite(out.upper(b, j)) ? smooth::log_fatplus(out.upper(b, j) - out.lower(b, j), tau_(j), &unused) : 0.0;
      }
    }
  }
  std::vector<Eigen::Index> keep;
  for (Eigen::Index b = 0; b < m; ++b)
    if (on_some_front[static_cast<std::size_t>(b)]) keep.push_back(b);
  baseline_kept_ = static_cast<int>(m);
  if (!options.prune_baseline || static_cast<Eigen::Index>(keep.size()) == m) return;
  // With no point on any front the candidate is drawn alone (its marginal); one kept column keeps
  // the samplers' shapes simple and costs nothing.
  if (keep.empty()) keep.push_back(0);
  for (auto* group : {&objectives_, &constraints_})
    for (auto& source : *group)
      if (std::unique_ptr<SampleSource> pruned = source->restricted(keep)) source = std::move(pruned);
  baseline_kept_ = static_cast<int>(keep.size());
}

double QLogNoisyExpectedHypervolumeImprovement::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const int N = options_.num_samples;
  const Eigen::Index k = tau_.size();
  std::vector<Eigen::VectorXd> f(static_cast<std::size_t>(k));
  std::vector<Eigen::MatrixXd> df(static_cast<std::size_t>(k));
  for (Eigen::Index j = 0; j < k; ++j)
    objectives_[static_cast<std::size_t>(j)]->candidate(x, &f[static_cast<std::size_t>(j)],
                                                         gradient ? &df[static_cast<std::size_t>(j)] : nullptr);
  Eigen::VectorXd terms(N);
  Eigen::MatrixXd dterms;  // N x d
  if (gradient) dterms = Eigen::MatrixXd::Zero(N, x.size());
  Eigen::VectorXd y(k), dy(k), log_box;
  Eigen::MatrixXd dside;
  for (int s = 0; s < N; ++s) {
    for (Eigen::Index j = 0; j < k; ++j) y(j) = f[static_cast<std::size_t>(j)](s);
    const SampleBoxes& boxes = boxes_[static_cast<std::size_t>(s)];
    const Eigen::Index B = boxes.lower.rows();
    log_box.resize(B);
    dside.resize(B, k);
    // ln volume of [reference, y] in box b = sum_j ln fatplus(min(y_j, upper_j) - lower_j); a side
    // capped by the box's upper bound does not depend on y and was computed once.
    for (Eigen::Index b = 0; b < B; ++b) {
      double sum = 0.0;
      for (Eigen::Index j = 0; j < k; ++j) {
        if (y(j) >= boxes.upper(b, j)) {
          sum += boxes.log_capped(b, j);
          dside(b, j) = 0.0;
        } else {
          double d = 0.0;
          sum += smooth::log_fatplus(y(j) - boxes.lower(b, j), tau_(j), log_tau_(j), &d);
          dside(b, j) = d;
        }
      }
      log_box(b) = sum;
    }
    terms(s) = smooth::logsumexp(log_box);
    if (gradient) {
      const Eigen::VectorXd weights = (log_box.array() - terms(s)).exp();
      dy = dside.transpose() * weights;
      for (Eigen::Index j = 0; j < k; ++j) dterms.row(s) += dy(j) * df[static_cast<std::size_t>(j)].row(s);
    }
  }
  for (std::size_t c = 0; c < constraints_.size(); ++c) {
    Eigen::VectorXd values;
    Eigen::MatrixXd dvalues;
    constraints_[c]->candidate(x, &values, gradient ? &dvalues : nullptr);
    for (int s = 0; s < N; ++s) {
      double d = 0.0;
      terms(s) += smooth::log_fatmoid(-values(s), eta_[c], &d);
      if (gradient) dterms.row(s) -= d * dvalues.row(s);
    }
  }
  const double value = smooth::logmeanexp(terms);
  if (gradient) {
    const Eigen::VectorXd weights = (terms.array() - value).exp() / N;
    *gradient = dterms.transpose() * weights;
  }
  return value;
}

}  // namespace boex
