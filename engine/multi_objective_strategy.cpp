#include "engine/multi_objective_strategy.h"

#include <cmath>

#include "acquisitions/mixed_optimizer.h"
#include "acquisitions/pool_optimizer.h"
#include "acquisitions/qlog_nehvi.h"
#include "core/errors.h"
#include "core/rng.h"
#include "core/sites.h"
#include "engine/multi_objective.h"
#include "surrogates/surrogate_registry.h"

namespace boex {
namespace {

// Random streams of one ask, each mix_seed(seed, base + index).
enum Stream : std::uint64_t {
  kObjectiveModels = 3000,   // + objective index
  kConstraintModels = 3100,  // + constraint index
  kOptimizer = 3200,         // + batch index
  kMonteCarlo = 3300,        // + batch index
  kWeights = 3400,           // + batch index (ParEGO)
};

std::uint64_t stream(std::uint64_t seed, Stream base, std::size_t index) {
  return mix_seed(seed, static_cast<std::uint64_t>(base) + index);
}

// The objectives as the models see them: Y, or the single objective y as one column.
Eigen::MatrixXd objectives_of(const History& h) { return h.is_multi_objective() ? h.Y : Eigen::MatrixXd(h.y); }

Eigen::VectorXd thresholds_of(const History& h) {
  return h.is_multi_objective() && h.thresholds.size() == h.Y.cols() ? h.thresholds
                                                                       : Eigen::VectorXd::Constant(objectives_of(h).cols(), NAN);
}

void append_row(Eigen::MatrixXd* m, const Eigen::VectorXd& x) {
  m->conservativeResize(m->rows() + 1, x.size());
  m->bottomRows(1) = x.transpose();
}

}  // namespace

struct MultiObjectiveStrategy::Prepared final : PreparedSuggestion {
  bool space_filling = false;
  std::vector<std::shared_ptr<const Surrogate>> objectives, constraints;
};

MultiObjectiveStrategy::MultiObjectiveStrategy(Method method, ModelStrategy::Settings settings)
    : method_(method), settings_(std::move(settings)) {
  settings_.acquisition.validate();
  settings_.optimizer.validate();
}

Eigen::VectorXd MultiObjectiveStrategy::random_weights(int k, std::uint64_t seed) {
  Rng rng(seed);
  Eigen::VectorXd w(k);
  for (int j = 0; j < k; ++j) w(j) = -std::log(rng.uniform());
  return w / w.sum();
}

Eigen::VectorXd MultiObjectiveStrategy::chebyshev(const Eigen::MatrixXd& Y, const Eigen::VectorXd& weights) {
  if (Y.cols() != weights.size()) throw InvalidArgument("chebyshev: one weight per objective");
  Eigen::MatrixXd scaled = Y;
  for (Eigen::Index j = 0; j < Y.cols(); ++j) {
    const double lo = Y.col(j).minCoeff(), range = Y.col(j).maxCoeff() - lo;
    scaled.col(j) = (Y.col(j).array() - lo) / (range > 0 ? range : 1.0);
  }
  const Eigen::MatrixXd weighted = scaled * weights.asDiagonal();
  return weighted.rowwise().minCoeff() + kParEgoRho * weighted.rowwise().sum();
}

std::vector<Eigen::VectorXd> MultiObjectiveStrategy::suggest(const SuggestRequest& request) const {
  return choose(request, prepare(request).get());
}

std::unique_ptr<PreparedSuggestion> MultiObjectiveStrategy::prepare(const SuggestRequest& request) const {
  auto prepared = std::make_unique<Prepared>();
  const History& h = request.history;
  // ParEGO's model depends on the weights, which are drawn per point: it fits in choose().
  prepared->space_filling = method_ == Method::kParEgo || h.X.rows() < std::max(request.n_init, 1);
  if (prepared->space_filling) return prepared;
  const std::uint64_t seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials));
  const std::vector<ColumnGroup> groups = column_groups(*request.space);
  const SurrogateEntry& gp = surrogate_entry("gp");
  const auto fitted = [&](const Eigen::VectorXd& y, std::uint64_t model_seed) {
    std::shared_ptr<Surrogate> model = gp.make(settings_.surrogate, model_seed);
    model->fit(Dataset{h.X, y, Eigen::VectorXd(), groups});
    // Failed points are believed at the mean, so the search does not return to them at once.
    if (h.X_failed.rows() > 0) {
      Eigen::VectorXd mean;
      model->predict(h.X_failed, &mean, nullptr);
      return std::shared_ptr<const Surrogate>(model->condition_on(h.X_failed, mean));
    }
    return std::shared_ptr<const Surrogate>(std::move(model));
  };
  const Eigen::MatrixXd Y = objectives_of(h);
  try {
    for (Eigen::Index j = 0; j < Y.cols(); ++j)
      prepared->objectives.push_back(fitted(Y.col(j), stream(seed, kObjectiveModels, static_cast<std::size_t>(j))));
    for (Eigen::Index c = 0; c < h.C.cols(); ++c)
      prepared->constraints.push_back(fitted(h.C.col(c), stream(seed, kConstraintModels, static_cast<std::size_t>(c))));
  } catch (const NumericalError&) {
    prepared->space_filling = true;  // data no model can represent: keep the study moving
  }
  return prepared;
}

std::vector<Eigen::VectorXd> MultiObjectiveStrategy::choose(const SuggestRequest& request,
                                                            const PreparedSuggestion* prepared_base) const {
  if (method_ == Method::kParEgo) return choose_parego(request);
  const auto* prepared = dynamic_cast<const Prepared*>(prepared_base);
  if (!prepared) throw InvalidArgument("MultiObjectiveStrategy::choose needs what this strategy's prepare() returned");
  if (prepared->space_filling) return initial_design(request);
  const History& h = request.history;
  const SearchSpace& space = *request.space;
  const std::uint64_t seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials));

  std::vector<bool> feasible(static_cast<std::size_t>(h.X.rows()));
  for (Eigen::Index i = 0; i < h.X.rows(); ++i) feasible[static_cast<std::size_t>(i)] = h.feasible(i);
  const Eigen::VectorXd reference = complete_reference(objectives_of(h), feasible, thresholds_of(h));
  std::vector<const Surrogate*> objectives, constraints;
  for (const auto& m : prepared->objectives) objectives.push_back(m.get());
  for (const auto& m : prepared->constraints) constraints.push_back(m.get());

  // The baseline holds the measured and pending points, and each chosen point of the batch.
  Eigen::MatrixXd baseline(h.X.rows() + h.X_pending.rows(), space.dimension());
  baseline << h.X, h.X_pending;
  Eigen::MatrixXd taken = h.X_pending;
  Eigen::MatrixXd taken_or_done(h.X_pending.rows() + h.X.rows() + h.X_failed.rows(), space.dimension());
  taken_or_done << h.X_pending, h.X, h.X_failed;
  const MixedOptimizer optimizer(space, settings_.optimizer);
  std::vector<Eigen::VectorXd> out;
  for (int j = 0; j < request.count; ++j) {
    QLogNehviOptions options;
    options.num_samples = settings_.acquisition.mc_samples;
    options.seed = stream(seed, kMonteCarlo, static_cast<std::size_t>(j));
    const QLogNoisyExpectedHypervolumeImprovement acq(objectives, constraints, baseline, reference, options);
    const std::uint64_t optimizer_seed = stream(seed, kOptimizer, static_cast<std::size_t>(j));
    Eigen::VectorXd x;
    if (request.candidates.rows() > 0) {
      const PoolOptimizer pool(request.candidates);
      AcquisitionOptimizer::Result result = pool.maximize(acq, {optimizer_seed, 1, taken_or_done, {}});
      if (result.exhausted) result = pool.maximize(acq, {optimizer_seed, 1, taken, {}});
      x = result.points.front().x;
    } else {
      auto result = optimizer.maximize(acq, optimizer_seed, taken_or_done);
      if (result.exhausted) result = optimizer.maximize(acq, optimizer_seed, taken);
      x = result.best.x;
    }
    out.push_back(x);
    append_row(&baseline, x);
    append_row(&taken, x);
    append_row(&taken_or_done, x);
  }
  return out;
}

std::vector<Eigen::VectorXd> MultiObjectiveStrategy::choose_parego(const SuggestRequest& request) const {
  const ModelStrategy single("gp", "logei", settings_);
  const History& h = request.history;
  const std::uint64_t seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials));
  const Eigen::MatrixXd Y = objectives_of(h);
  SuggestRequest one = request;
  one.count = 1;
  one.history.Y.resize(0, 0);
  one.history.thresholds.resize(0);
  std::vector<Eigen::VectorXd> out;
  for (int j = 0; j < request.count; ++j) {
    // Each point of a batch has weights of its own and sees the earlier ones as pending.
    if (Y.rows() > 0)
      one.history.y = chebyshev(Y, random_weights(static_cast<int>(Y.cols()), stream(seed, kWeights, static_cast<std::size_t>(j))));
    const Eigen::VectorXd x = single.suggest(one).front();
    out.push_back(x);
    append_row(&one.history.X_pending, x);
    ++one.history.num_trials;
  }
  return out;
}

}  // namespace boex
