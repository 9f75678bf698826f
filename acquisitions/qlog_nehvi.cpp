#include "acquisitions/qlog_nehvi.h"

#include <cmath>

#include "core/errors.h"
#include "core/rng.h"
#include "core/smooth_math.h"
#include "core/sobol.h"

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
  // The models are independent, so their base samples must be too: columns of one Sobol sequence
  // (the same points under two scrambles would be strongly dependent), or pseudo-random normals
  // where the columns outnumber Sobol's dimensions.
  const int columns = static_cast<int>(X_baseline.rows()) + 1;
  std::vector<const Surrogate*> all = objectives;
  all.insert(all.end(), constraints.begin(), constraints.end());
  const int total = columns * static_cast<int>(all.size());
  Eigen::MatrixXd Z;
  if (total <= sobol_max_dimension()) {
    Z = sobol_normal(options.num_samples, total, options.seed);
  } else {
    Rng rng(options.seed);
    Z.resize(options.num_samples, total);
    for (Eigen::Index i = 0; i < Z.size(); ++i) Z.data()[i] = rng.normal();
  }
  std::vector<std::unique_ptr<SampleSource>> sources;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i]->capabilities().joint)
      sources.push_back(std::make_unique<JointSampler>(*all[i], X_baseline, Z.middleCols(static_cast<Eigen::Index>(i) * columns, columns)));
    else
      sources.push_back(make_sample_source(*all[i], X_baseline, options.num_samples, mix_seed(options.seed, i + 1)));
  }
  tau_.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    objectives_.push_back(std::move(sources[static_cast<std::size_t>(j)]));
    tau_(j) = options.tau_relu * objectives[static_cast<std::size_t>(j)]->prior_scale();
  }
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
  boxes_.resize(static_cast<std::size_t>(N));
  for (int s = 0; s < N; ++s) {
    Eigen::MatrixXd front(m, k);
    Eigen::Index rows = 0;
    for (Eigen::Index b = 0; b < m; ++b) {
      bool feasible = true;
      for (const auto& c : constraints_) feasible = feasible && c->baseline_samples()(s, b) <= 0.0;
      if (!feasible) continue;
      for (Eigen::Index j = 0; j < k; ++j) front(rows, j) = objectives_[static_cast<std::size_t>(j)]->baseline_samples()(s, b);
      ++rows;
    }
    boxes_[static_cast<std::size_t>(s)] = improvement_boxes(front.topRows(rows), reference);
  }
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
  Eigen::VectorXd y(k), dy(k), log_box, side(k);
  Eigen::MatrixXd dside;
  for (int s = 0; s < N; ++s) {
    for (Eigen::Index j = 0; j < k; ++j) y(j) = f[static_cast<std::size_t>(j)](s);
    const std::vector<HyperBox>& boxes = boxes_[static_cast<std::size_t>(s)];
    const Eigen::Index B = static_cast<Eigen::Index>(boxes.size());
    log_box.resize(B);
    dside.resize(B, k);
    // ln volume of [reference, y] in box b = sum_j ln fatplus(min(y_j, upper_j) - lower_j).
    for (Eigen::Index b = 0; b < B; ++b) {
      const HyperBox& box = boxes[static_cast<std::size_t>(b)];
      double sum = 0.0;
      for (Eigen::Index j = 0; j < k; ++j) {
        const bool capped = y(j) >= box.upper(j);
        double d = 0.0;
        sum += smooth::log_fatplus((capped ? box.upper(j) : y(j)) - box.lower(j), tau_(j), &d);
        dside(b, j) = capped ? 0.0 : d;
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
