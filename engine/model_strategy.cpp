#include "engine/model_strategy.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "acquisitions/log_composite_ei.h"
#include "acquisitions/fidelity.h"
#include "acquisitions/log_constrained.h"
#include "acquisitions/posterior_mean.h"
#include "acquisitions/registry.h"
#include "core/errors.h"
#include "core/options_json.h"
#include "core/rng.h"
#include "surrogates/surrogate_registry.h"

namespace boex {
namespace {

// The random streams of one ask, each derived from the ask's seed as mix_seed(seed, base + index).
// The bases are those of boex's first release, kept so that every existing study replays exactly;
// two of them coincide (constraint model 0 and the optimiser's first batch point), which is
// harmless: one seeds a GP fit's restarts, the other Sobol scrambles.
enum SeedStream : std::uint64_t {
  kOptimizerStream = 1,       // + batch index: raw samples and starts of the acquisition optimiser
  kConstraintModelStream = 1, // + constraint index: the constraint models' fits
  kOutputModelStream = 100,   // + output index (from 1): further measured outputs' models
  kMonteCarloStream = 1000,   // + batch index: base samples of Monte-Carlo acquisitions
  kFeasibilityStream = 2000,  // + batch index: the feasibility search's candidates and samples
  kKgArgmaxStream = 77,       // the knowledge gradient's posterior-mean maximiser
  kKgSobolStream = 78,        // the knowledge gradient's space-filling points
  kTargetMeanStream = 79,     // the posterior mean's maximiser at the target fidelity (recommendations)
  kCostModelStream = 80,      // the model of told costs (multi-fidelity studies)
};

std::uint64_t stream_seed(std::uint64_t seed, SeedStream stream, std::uint64_t index = 0) {
  return mix_seed(seed, static_cast<std::uint64_t>(stream) + index);
}

void require(bool ok, const std::string& field, const std::string& rule, double value) {
  if (ok) return;
  throw InvalidArgument("AcquisitionSettings::" + field + " = " + nlohmann::json(value).dump() + "; must be " + rule);
}

}  // namespace

void AcquisitionSettings::validate() const {
  require(std::isfinite(ucb_beta) && ucb_beta >= 0, "ucb_beta", "a finite number >= 0", ucb_beta);
  require(kg_sobol_points >= 1, "kg_sobol_points", ">= 1", kg_sobol_points);
  require(mc_samples >= 1 && mc_samples <= 65536, "mc_samples", "in 1..65536", mc_samples);
}

nlohmann::json ModelStrategy::Settings::to_json() const {
  return {{"surrogate", surrogate},
          {"acquisition", options_to_json(acquisition)},
          {"optimizer", options_to_json(optimizer)},
          {"feasibility", options_to_json(feasibility)}};
}

ModelStrategy::Settings ModelStrategy::Settings::resolve(const std::string& surrogate, const nlohmann::json& overrides) {
  const std::string path = "strategy options";
  options_json::require_object(overrides, path);
  for (auto it = overrides.begin(); it != overrides.end(); ++it)
    if (it.key() != "surrogate" && it.key() != "acquisition" && it.key() != "optimizer" && it.key() != "feasibility")
      options_json::unknown_field(path, it.key(), {"surrogate", "acquisition", "optimizer", "feasibility"});
  const auto part = [&overrides](const char* key) {
    auto it = overrides.find(key);
    return it == overrides.end() ? nlohmann::json::object() : *it;
  };
  Settings s;
  s.surrogate = surrogate_entry(surrogate).resolve(part("surrogate"), path + ": surrogate");
  const auto checked = [&path](const char* key, const nlohmann::json& json, auto* options) {
    options_from_json(json, path + ": " + key, options);
    try {
      options->validate();
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(path + ": " + key + ": " + e.what());
    }
  };
  checked("acquisition", part("acquisition"), &s.acquisition);
  checked("optimizer", part("optimizer"), &s.optimizer);
  checked("feasibility", part("feasibility"), &s.feasibility);
  return s;
}

ModelStrategy::ModelStrategy(std::string surrogate, std::string acquisition, Settings settings)
    : surrogate_(std::move(surrogate)), acquisition_(std::move(acquisition)), settings_(std::move(settings)) {
  const std::string reason = unsupported_reason(acquisition_, surrogate_entry(surrogate_).capabilities);
  if (!reason.empty()) throw InvalidArgument(reason + " (surrogate '" + surrogate_ + "')");
  settings_.acquisition.validate();
  settings_.optimizer.validate();
  settings_.feasibility.validate();
}

void ModelStrategy::Models::condition_on_means(const Eigen::MatrixXd& points) {
  auto believe = [&](std::unique_ptr<Surrogate>& model) {
    Eigen::VectorXd mean;
    model->predict(points, &mean, nullptr);
    model = model->condition_on(points, mean);
  };
  for (auto& m : objective) believe(m);
  for (auto& c : constraints) believe(c);
}

std::vector<const Surrogate*> ModelStrategy::Models::constraint_pointers() const {
  std::vector<const Surrogate*> out;
  for (const auto& c : constraints) out.push_back(c.get());
  return out;
}

std::unique_ptr<Surrogate> ModelStrategy::fitted(const SearchSpace& space, const Eigen::MatrixXd& X,
                                                 const Eigen::VectorXd& y, std::uint64_t seed) const {
  const SurrogateEntry& entry = surrogate_entry(surrogate_);
  std::unique_ptr<Surrogate> model = entry.make_for_fidelity && space.fidelity_index()
                                         ? entry.make_for_fidelity(settings_.surrogate, seed, fidelity_column(space))
                                         : entry.make(settings_.surrogate, seed);
  model->fit(Dataset{X, y, Eigen::VectorXd()});
  return model;
}

std::vector<std::unique_ptr<Surrogate>> ModelStrategy::fit_objective(const SearchSpace& space, const History& h,
                                                                     std::uint64_t seed) const {
  std::vector<std::unique_ptr<Surrogate>> models;
  const Eigen::Index k_max = h.is_composite() ? h.outputs.cols() : 1;
  for (Eigen::Index k = 0; k < k_max; ++k) {
    const std::uint64_t model_seed = k == 0 ? seed : stream_seed(seed, kOutputModelStream, static_cast<std::uint64_t>(k));
    models.push_back(fitted(space, h.X, h.is_composite() ? Eigen::VectorXd(h.outputs.col(k)) : h.y, model_seed));
  }
  return models;
}

ModelStrategy::Models ModelStrategy::fit(const SearchSpace& space, const History& h, std::uint64_t seed) const {
  Models models{fit_objective(space, h, seed), {}, Eigen::MatrixXd(h.X.rows(), h.C.cols())};
  for (Eigen::Index k = 0; k < h.C.cols(); ++k) {
    // Engineering constraints span orders of magnitude (ratios, poles); the sign-preserving
    // bilog(c / s) = sign(c) ln(1 + |c| / s) keeps c <= 0 exactly where it was and makes them
    // modellable (Eriksson and Poloczek's SCBO uses bilog); s, the median |c|, sets the scale
    // at which it turns from linear to logarithmic.
    Eigen::VectorXd magnitude = h.C.col(k).cwiseAbs();
    std::nth_element(magnitude.data(), magnitude.data() + magnitude.size() / 2, magnitude.data() + magnitude.size());
    const double s = magnitude(magnitude.size() / 2) > 0 ? magnitude(magnitude.size() / 2) : 1.0;
    const Eigen::VectorXd bilog = h.C.col(k).unaryExpr([s](double c) { return std::copysign(std::log1p(std::abs(c) / s), c); });
    models.constraints.push_back(fitted(space, h.X, bilog, stream_seed(seed, kConstraintModelStream, static_cast<std::uint64_t>(k))));
    models.transformed_constraints.col(k) = bilog;
  }
  return models;
}

Eigen::VectorXd ModelStrategy::mean_maximizer(const SearchSpace& space, const Surrogate& model,
                                              const FidelityInputs& fidelity, std::uint64_t seed) const {
  AcquisitionOptimizer::Options fast = settings_.optimizer;
  fast.raw_samples = 256;
  fast.num_restarts = 4;
  const PosteriorMean mean(model);
  const AtTargetFidelity mean_at_target(mean, fidelity);
  const Acquisition& objective = fidelity.active() ? static_cast<const Acquisition&>(mean_at_target) : mean;
  return fidelity.at_target(AcquisitionOptimizer(space, fast).maximize(objective, seed).best.x);
}

Eigen::MatrixXd ModelStrategy::kg_discretization(const SearchSpace& space, const Models& models, const History& h,
                                                 const FidelityInputs& fidelity, std::uint64_t seed) const {
  // The observed points, space-filling points and the posterior mean's maximiser (all at the
  // target fidelity in a multi-fidelity study: the knowledge gradient values the target).
  const Eigen::VectorXd argmax =
      mean_maximizer(space, *models.objective.front(), fidelity, stream_seed(seed, kKgArgmaxStream));
  const Eigen::MatrixXd sobol = space.sobol(settings_.acquisition.kg_sobol_points, stream_seed(seed, kKgSobolStream));
  Eigen::MatrixXd A(h.X.rows() + sobol.rows() + 1, space.dimension());
  A << h.X, sobol, argmax.transpose();
  return fidelity.at_target(A);
}

void ModelStrategy::require_fidelity(const SearchSpace& space) const {
  if (space.fidelity_index()) return;
  throw InvalidArgument("strategy '" + name() + "' chooses each trial's fidelity: the search space needs a fidelity "
                        "parameter (\"fidelity\": true, \"target\": ...); a single-fidelity study uses a 'gp-' strategy");
}

std::vector<Eigen::VectorXd> ModelStrategy::suggest(const SuggestRequest& request) const {
  const SearchSpace& space = *request.space;
  const History& h = request.history;
  if (models_fidelity()) require_fidelity(space);
  if (h.y.size() < std::max(request.n_init, 1))
    return sobol_design(space, request.study_seed, h.num_trials, request.count);

  const std::uint64_t seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials));
  Models models;
  try {
    models = fit(space, h, seed);
  } catch (const NumericalError&) {
    // Data the model cannot represent at all: keep the study moving with space-filling points.
    return sobol_design(space, request.study_seed, h.num_trials, request.count);
  }
  const AcquisitionTraits traits = acquisition_traits(acquisition_);
  AcquisitionInputs inputs;
  inputs.X_observed = h.X;
  inputs.beta = settings_.acquisition.ucb_beta;
  inputs.num_samples = settings_.acquisition.mc_samples;
  if (models_fidelity()) {
    inputs.fidelity.column = space.fidelity_column();
    inputs.fidelity.target = space.fidelity_target();
    inputs.fidelity.cost = cost_function(space, request.cost, h.X, h.cost, stream_seed(seed, kCostModelStream));
  }
  // The incumbent: the best feasible observation (at the target fidelity).
  inputs.best = -std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < h.y.size(); ++i)
    if (h.feasible(i) && (!inputs.fidelity.active() || h.X(i, inputs.fidelity.column) == inputs.fidelity.target))
      inputs.best = std::max(inputs.best, h.y(i));
  inputs.any_feasible = std::isfinite(inputs.best);
  if (!inputs.any_feasible) inputs.best = h.y.maxCoeff();
  // Failed points are believed at the model's mean like pending ones, so the acquisition does not
  // pull straight back to an experiment that just failed.
  if (h.X_failed.rows() > 0) models.condition_on_means(h.X_failed);
  // Composite studies always use EI-CF, which knows nothing of pending points: believe them.
  const bool acquisition_handles_pending = traits.handles_pending && !h.is_composite();
  if (acquisition_handles_pending)
    inputs.X_pending = h.X_pending;
  else if (h.X_pending.rows() > 0)
    models.condition_on_means(h.X_pending);

  // Never hand out a pending point; avoid repeating a finished or failed one exactly too (waste
  // for a deterministic experiment), unless a small discrete space has nothing else left.
  Eigen::MatrixXd taken = h.X_pending;
  Eigen::MatrixXd taken_or_done(h.X_pending.rows() + h.X.rows() + h.X_failed.rows(), space.dimension());
  taken_or_done << h.X_pending, h.X, h.X_failed;
  AcquisitionOptimizer optimizer(space, settings_.optimizer);
  // While nothing is feasible, every point of the batch comes from the feasibility search.
  const bool searching_feasibility = !models.constraints.empty() && !inputs.any_feasible;
  FeasibilitySearchInputs search;
  if (searching_feasibility) {
    search.space = &space;
    search.constraints = models.constraint_pointers();
    // (A composite study's models are of outputs, not of something to maximise.)
    search.objective = h.is_composite() ? nullptr : models.objective.front().get();
    search.X = h.X;
    // Violation on the models' (bilog) scale, so that no one constraint's units dominate.
    search.violation = models.transformed_constraints.cwiseMax(0.0).rowwise().sum();
    search.n_init = std::max(request.n_init, 1);
    search.duplicate_tolerance = settings_.optimizer.duplicate_tolerance;
  }
  std::vector<Eigen::VectorXd> out;
  for (int j = 0; j < request.count; ++j) {
    inputs.objective = models.objective.front().get();
    inputs.constraints = models.constraint_pointers();
    inputs.seed = stream_seed(seed, kMonteCarloStream, static_cast<std::uint64_t>(j));
    Eigen::VectorXd x;
    if (searching_feasibility) {
      search.avoid = taken_or_done;
      search.seed = stream_seed(seed, kFeasibilityStream, static_cast<std::uint64_t>(j));
      x = search_feasibility(search, settings_.feasibility);
    } else {
      const std::unique_ptr<Acquisition> acq = make(models, h, inputs, space);
      const std::uint64_t optimizer_seed = stream_seed(seed, kOptimizerStream, static_cast<std::uint64_t>(j));
      auto result = optimizer.maximize(*acq, optimizer_seed, taken_or_done);
      if (result.exhausted) result = optimizer.maximize(*acq, optimizer_seed, taken);
      x = result.best.x;
    }
    out.push_back(x);
    for (Eigen::MatrixXd* m : {&taken, &taken_or_done}) {
      m->conservativeResize(m->rows() + 1, space.dimension());
      m->bottomRows(1) = x.transpose();
    }
    if (j + 1 == request.count) break;
    if (acquisition_handles_pending) {
      inputs.X_pending = taken;
    } else {
      models.condition_on_means(x.transpose());
    }
  }
  return out;
}

std::unique_ptr<Acquisition> ModelStrategy::make(const Models& models, const History& h, AcquisitionInputs& inputs,
                                                 const SearchSpace& space) const {
  if (!h.is_composite()) {
    if (acquisition_traits(acquisition_).needs_discretization)
      inputs.discretization = kg_discretization(space, models, h, inputs.fidelity, inputs.seed);
    return make_acquisition(acquisition_, inputs);
  }
  std::vector<const Surrogate*> outputs;
  for (const auto& m : models.objective) outputs.push_back(m.get());
  std::unique_ptr<Acquisition> composite = std::make_unique<LogCompositeExpectedImprovement>(
      outputs, h.composite, inputs.best, settings_.acquisition.mc_samples, inputs.seed);
  if (inputs.constraints.empty()) return composite;
  return std::make_unique<LogConstrainedAcquisition>(std::move(composite), inputs.constraints);
}

// A constraint or a measured output at a cheap fidelity is not the target's: multi-fidelity
// strategies take neither (yet).
bool ModelStrategy::supports_constraints() const { return !models_fidelity() && acquisition_traits(acquisition_).log_space; }

bool ModelStrategy::supports_composite() const {
  return !models_fidelity() && surrogate_entry(surrogate_).capabilities.gaussian_marginals;
}

bool ModelStrategy::models_fidelity() const { return surrogate_entry(surrogate_).capabilities.fidelity; }

std::optional<TargetRecommendation> ModelStrategy::recommend_at_target(const SuggestRequest& request) const {
  if (!models_fidelity()) return std::nullopt;
  const SearchSpace& space = *request.space;
  require_fidelity(space);
  const History& h = request.history;
  if (h.y.size() == 0) return std::nullopt;
  const std::uint64_t seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials));
  std::unique_ptr<Surrogate> model;
  try {
    model = std::move(fit_objective(space, h, seed).front());
  } catch (const NumericalError&) {
    return std::nullopt;
  }
  FidelityInputs fidelity;
  fidelity.column = space.fidelity_column();
  fidelity.target = space.fidelity_target();
  // The observed design points at the target, and the mean's maximiser there (first come the
  // observed ones, which win ties).
  Eigen::MatrixXd candidates(h.X.rows() + 1, space.dimension());
  candidates << fidelity.at_target(h.X), mean_maximizer(space, *model, fidelity, stream_seed(seed, kTargetMeanStream)).transpose();
  Eigen::VectorXd mean;
  model->predict(candidates, &mean, nullptr);
  Eigen::Index best = 0;
  mean.maxCoeff(&best);
  return TargetRecommendation{candidates.row(best).transpose(), mean(best)};
}

std::optional<Eigen::Index> ModelStrategy::recommend(const SuggestRequest& request) const {
  const History& h = request.history;
  if (h.y.size() < 2) return Strategy::recommend(request);
  Eigen::VectorXd mean;
  try {
    const auto models = fit_objective(*request.space, h, mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials)));
    if (!h.is_composite()) {
      models.front()->predict(h.X, &mean, nullptr);
    } else {
      // Composite: g of the outputs' posterior means (a plug-in estimate of the utility).
      Eigen::MatrixXd means(h.X.rows(), static_cast<Eigen::Index>(models.size()));
      for (std::size_t k = 0; k < models.size(); ++k) {
        Eigen::VectorXd m;
        models[k]->predict(h.X, &m, nullptr);
        means.col(static_cast<Eigen::Index>(k)) = m;
      }
      mean.resize(h.X.rows());
      for (Eigen::Index i = 0; i < h.X.rows(); ++i) mean(i) = h.composite(means.row(i).transpose(), nullptr);
    }
  } catch (const NumericalError&) {
    return Strategy::recommend(request);
  }
  std::optional<Eigen::Index> best;
  for (Eigen::Index i = 0; i < h.y.size(); ++i)
    if (h.feasible(i) && (!best || mean(i) > mean(*best))) best = i;
  return best;
}

}  // namespace boex
