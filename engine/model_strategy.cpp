#include "engine/model_strategy.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "acquisitions/fidelity.h"
#include "acquisitions/log_composite_ei.h"
#include "acquisitions/log_constrained.h"
#include "acquisitions/pool_optimizer.h"
#include "acquisitions/posterior_mean.h"
#include "acquisitions/registry.h"
#include "core/errors.h"
#include "core/options_json.h"
#include "core/rng.h"
#include "core/sites.h"
#include "surrogates/exact_gp.h"
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
  require(fidelity_snap >= 0 && fidelity_snap < 1, "fidelity_snap", "in [0, 1)", fidelity_snap);
}

nlohmann::json ModelStrategy::Settings::to_json() const {
  nlohmann::json out = {{"surrogate", surrogate},
                        {"acquisition", options_to_json(acquisition)},
                        {"optimizer", options_to_json(optimizer)},
                        {"feasibility", options_to_json(feasibility)},
                        {"output_warping", options_to_json(output_warping)},
                        {"failure_model", options_to_json(failure_model)}};
  if (game) out["game"] = options_to_json(*game);
  return out;
}

ModelStrategy::Settings ModelStrategy::Settings::resolve(const std::string& surrogate, const nlohmann::json& overrides,
                                                         const std::optional<GameOptimizer::Options>& game) {
  const std::string path = "strategy options";
  options_json::require_object(overrides, path);
  std::vector<std::string> keys = {"surrogate", "acquisition", "optimizer", "feasibility", "output_warping",
                                   "failure_model"};
  if (game) keys.push_back("game");
  for (auto it = overrides.begin(); it != overrides.end(); ++it)
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) options_json::unknown_field(path, it.key(), keys);
  // The surrogate's preferred settings, then the user's on top (field by field).
  const SurrogateEntry& entry = surrogate_entry(surrogate);
  nlohmann::json merged = entry.strategy_defaults;
  merged.merge_patch(overrides);
  const auto part = [&merged](const char* key) {
    auto it = merged.find(key);
    return it == merged.end() ? nlohmann::json::object() : *it;
  };
  Settings s;
  s.surrogate = entry.resolve(part("surrogate"), path + ": surrogate");
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
  checked("output_warping", part("output_warping"), &s.output_warping);
  checked("failure_model", part("failure_model"), &s.failure_model);
  if (game) {
    s.game = game;
    checked("game", part("game"), &*s.game);
  }
  return s;
}

nlohmann::json ModelStrategy::Settings::as_stored(nlohmann::json stored) {
  if (stored.is_object() && !stored.contains("output_warping"))
    stored["output_warping"] = {{"method", "none"}};
  return stored;
}

ModelStrategy::ModelStrategy(std::string surrogate, std::string acquisition, Settings settings, std::string name)
    : surrogate_(std::move(surrogate)),
      acquisition_(std::move(acquisition)),
      name_(std::move(name)),
      settings_(std::move(settings)) {
  const std::string reason = unsupported_reason(acquisition_, surrogate_entry(surrogate_).capabilities);
  if (!reason.empty()) throw InvalidArgument(reason + " (surrogate '" + surrogate_ + "')");
  settings_.acquisition.validate();
  settings_.optimizer.validate();
  settings_.feasibility.validate();
  settings_.output_warping.validate();
  if (settings_.game) settings_.game->validate();
}

struct ModelStrategy::Prepared final : PreparedSuggestion {
  bool space_filling = false;  // too few complete trials, or models that cannot be fitted: Sobol points
  Models models;               // fitted, and conditioned on the failed points
  Eigen::VectorXd y;           // the values the objective's model was fitted to (history.y or its warping)
  CostFunction cost;           // multi-fidelity strategies: what an experiment costs (its model fitted here)
};

void ModelStrategy::Models::condition_on_means(const Eigen::MatrixXd& points) {
  auto believe = [&](std::shared_ptr<const Surrogate>& model) {
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

std::shared_ptr<const Surrogate> ModelStrategy::fitted(const SearchSpace& space, const Eigen::MatrixXd& X,
                                                       const Eigen::VectorXd& y, std::uint64_t seed) const {
  const SurrogateEntry& entry = surrogate_entry(surrogate_);
  std::unique_ptr<Surrogate> model = entry.make_for_fidelity && space.fidelity_index()
                                         ? entry.make_for_fidelity(settings_.surrogate, seed, fidelity_column(space))
                                         : entry.make(settings_.surrogate, seed);
  model->fit(Dataset{X, y, Eigen::VectorXd(), column_groups(space)});
  return model;
}

std::vector<std::shared_ptr<const Surrogate>> ModelStrategy::fit_objective(const SearchSpace& space, const History& h,
                                                                           std::uint64_t seed, Eigen::VectorXd* y_modelled,
                                                                           OutputWarping* warp_used) const {
  std::vector<std::shared_ptr<const Surrogate>> models;
  *y_modelled = h.y;
  if (warp_used) *warp_used = OutputWarping();
  if (h.is_composite()) {
    for (Eigen::Index k = 0; k < h.outputs.cols(); ++k) {
      const std::uint64_t model_seed = k == 0 ? seed : stream_seed(seed, kOutputModelStream, static_cast<std::uint64_t>(k));
      models.push_back(fitted(space, h.X, h.outputs.col(k), model_seed));
    }
    return models;
  }
  const OutputWarpingOptions& options = settings_.output_warping;
  std::shared_ptr<const Surrogate> plain, model;
  OutputWarping warp;
  if (options.method == "auto") {
    // The plain GP's correlation judges the warp; with another surrogate there is nothing to
    // judge by, and its values stay plain.
    plain = fitted(space, h.X, h.y, seed);
    if (const auto* gp = dynamic_cast<const ExactGP*>(plain.get())) warp = OutputWarping::select(h.y, *gp, options);
  } else {
    warp = OutputWarping::fit(h.y, options);
  }
  if (warp.is_identity()) {
    models.push_back(plain ? plain : fitted(space, h.X, h.y, seed));
    return models;
  }
  const Eigen::VectorXd warped = warp.transform(h.y);
  // "auto" refits from the plain GP it chose its warp with; "power" fits the warped values afresh.
  if (plain) model = std::make_shared<ExactGP>(warped_from(dynamic_cast<const ExactGP&>(*plain), warp, h.y));
  else model = fitted(space, h.X, warped, seed);
  // A warp that makes the values' marginal more Gaussian can still make the function rougher
  // (a log near a smooth minimum, as on Branin): a GP keeps it only where the data are more
  // likely under the warped GP than under the plain one (marginal likelihoods in y's units,
  // Jacobian included: Snelson et al.'s warped GP, with the warp fitted first).
  if (const auto* gp = dynamic_cast<const ExactGP*>(model.get())) {
    if (!plain) plain = fitted(space, h.X, h.y, seed);
    const auto& plain_gp = dynamic_cast<const ExactGP&>(*plain);
    const double warped_evidence = gp_log_evidence(*gp, warp, h.y);
    const double plain_evidence = gp_log_evidence(plain_gp, OutputWarping(), h.y);
    if (!(warped_evidence > plain_evidence)) {
      models.push_back(std::move(plain));
      return models;
    }
  }
  *y_modelled = warped;
  if (warp_used) *warp_used = warp;
  models.push_back(std::move(model));
  return models;
}

ModelStrategy::Models ModelStrategy::fit(const SearchSpace& space, const History& h, std::uint64_t seed,
                                         Eigen::VectorXd* y_modelled) const {
  Models models{fit_objective(space, h, seed, y_modelled), {}, Eigen::MatrixXd(h.X.rows(), h.C.cols()), nullptr};
  for (Eigen::Index k = 0; k < h.C.cols(); ++k) {
    // Engineering constraints span orders of magnitude (ratios, poles); the sign-preserving
    // bilog(c / s) = sign(c) ln(1 + |c| / s) keeps c <= 0 exactly where it was and makes them
    // modellable (Eriksson and Poloczek's SCBO uses bilog); s, the median |c|, sets the scale
    // at which it turns from linear to logarithmic.
    Eigen::VectorXd magnitude = h.C.col(k).cwiseAbs();
    std::nth_element(magnitude.data(), magnitude.data() + magnitude.size() / 2, magnitude.data() + magnitude.size());
    const double s = magnitude(magnitude.size() / 2) > 0 ? magnitude(magnitude.size() / 2) : 1.0;
    const Eigen::VectorXd bilog = h.C.col(k).unaryExpr([s](double c) { return std::copysign(std::log1p(std::abs(c) / s), c); });
    models.constraints.push_back(
        fitted(space, h.X, bilog, stream_seed(seed, kConstraintModelStream, static_cast<std::uint64_t>(k))));
    models.transformed_constraints.col(k) = bilog;
  }
  return models;
}

Eigen::VectorXd ModelStrategy::mean_maximizer(const SearchSpace& space, const Surrogate& model,
                                              const FidelityInputs& fidelity, std::uint64_t seed) const {
  MixedOptimizer::Options fast = settings_.optimizer;
  fast.raw_samples = 256;
  fast.num_restarts = 4;
  const PosteriorMean mean(model);
  const AtTargetFidelity mean_at_target(mean, fidelity);
  const Acquisition& objective = fidelity.active() ? static_cast<const Acquisition&>(mean_at_target) : mean;
  return fidelity.at_target(MixedOptimizer(space, fast).maximize(objective, seed).best.x);
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
  return choose(request, prepare(request).get());
}

std::unique_ptr<PreparedSuggestion> ModelStrategy::prepare(const SuggestRequest& request) const {
  const SearchSpace& space = *request.space;
  const History& h = request.history;
  if (models_fidelity()) require_fidelity(space);
  auto prepared = std::make_unique<Prepared>();
  prepared->space_filling = h.y.size() < std::max(request.n_init, 1);
  if (prepared->space_filling) return prepared;
  const std::uint64_t seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials));
  try {
    prepared->models = fit(space, h, seed, &prepared->y);
    if (models_fidelity())
      prepared->cost = cost_function(space, request.cost, h.X, h.cost, stream_seed(seed, kCostModelStream));
  } catch (const NumericalError&) {
    // Data the model cannot represent at all: keep the study moving with space-filling points.
    prepared->space_filling = true;
    return prepared;
  }
  // Failed points are believed at the model's mean like pending ones, so the acquisition does not
  // pull straight back to an experiment that just failed.
  if (h.X_failed.rows() > 0) prepared->models.condition_on_means(h.X_failed);
  prepared->models.failure = fit_failure_model(h, settings_.failure_model);
  return prepared;
}

struct ModelStrategy::Ahead final : ChoiceAhead {
  // Per point of the batch, the runners-up of its search (MixedOptimizer's alternatives). Unset
  // when the batch came otherwise (initial design, a pool, GameOpt, the feasibility search,
  // batch-shared parameters): amend() then chooses again.
  std::optional<std::vector<std::vector<Eigen::VectorXd>>> alternatives;
};

// What choose_ahead() and amend() start from: the prepared models, believing the pending points
// (or an acquisition that takes them), the acquisition's inputs and the points not to suggest.
struct ModelStrategy::Choosing {
  std::uint64_t seed = 0;  // the choice's random streams follow the trial number being suggested
  Models models;
  AcquisitionInputs inputs;
  bool acquisition_handles_pending = false;
  Eigen::MatrixXd taken;          // pending points and the batch's earlier ones: never suggested
  Eigen::MatrixXd taken_or_done;  // and the measured and failed ones: avoided while others remain

  // After a batch point: it is never suggested again, and the next point sees it as pending.
  void took(const Eigen::VectorXd& x, bool last) {
    for (Eigen::MatrixXd* m : {&taken, &taken_or_done}) {
      m->conservativeResize(m->rows() + 1, x.size());
      m->bottomRows(1) = x.transpose();
    }
    if (last) return;
    if (acquisition_handles_pending)
      inputs.X_pending = taken;
    else
      models.condition_on_means(x.transpose());
  }
};

ModelStrategy::Choosing ModelStrategy::start_choosing(const SuggestRequest& request, const Prepared& prepared) const {
  const SearchSpace& space = *request.space;
  const History& h = request.history;
  Choosing c;
  // (In an uncontended study this is also the fits' trial number.)
  c.seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials));
  c.models = prepared.models;
  // The acquisition works where the model does: on warped values, against the warped incumbent
  // (the transform is increasing, so it is the same trial). Composite EI uses g's own units.
  const Eigen::VectorXd& y = prepared.y;
  AcquisitionInputs& inputs = c.inputs;
  inputs.X_observed = h.X;
  inputs.beta = settings_.acquisition.ucb_beta;
  inputs.num_samples = settings_.acquisition.mc_samples;
  if (models_fidelity()) {
    inputs.fidelity.column = space.fidelity_column();
    inputs.fidelity.target = space.fidelity_target();
    inputs.fidelity.cost = prepared.cost;
  }
  // The incumbent: the best feasible observation (at the target fidelity).
  inputs.best = -std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < y.size(); ++i)
    if (h.feasible(i) && (!inputs.fidelity.active() || h.X(i, inputs.fidelity.column) == inputs.fidelity.target))
      inputs.best = std::max(inputs.best, y(i));
  inputs.any_feasible = std::isfinite(inputs.best);
  if (!inputs.any_feasible) inputs.best = y.maxCoeff();
  // Composite studies always use EI-CF, which knows nothing of pending points: believe them.
  c.acquisition_handles_pending = acquisition_traits(acquisition_).handles_pending && !h.is_composite();
  if (c.acquisition_handles_pending)
    inputs.X_pending = h.X_pending;
  else if (h.X_pending.rows() > 0)
    c.models.condition_on_means(h.X_pending);
  // Never hand out a pending point; avoid repeating a finished or failed one exactly too (waste
  // for a deterministic experiment), unless a small discrete space has nothing else left.
  c.taken = h.X_pending;
  c.taken_or_done.resize(h.X_pending.rows() + h.X.rows() + h.X_failed.rows(), space.dimension());
  c.taken_or_done << h.X_pending, h.X, h.X_failed;
  return c;
}

// The batch's j-th acquisition.
std::unique_ptr<Acquisition> ModelStrategy::make_point(Choosing& c, const History& h, const SearchSpace& space,
                                                       int j) const {
  c.inputs.objective = c.models.objective.front().get();
  c.inputs.constraints = c.models.constraint_pointers();
  c.inputs.seed = stream_seed(c.seed, kMonteCarloStream, static_cast<std::uint64_t>(j));
  return make(c.models, h, c.inputs, space);
}

void ModelStrategy::snap_fidelity(const AcquisitionInputs& inputs, Eigen::VectorXd& x) const {
  if (inputs.fidelity.active() &&
      std::abs(x(inputs.fidelity.column) - inputs.fidelity.target) <= settings_.acquisition.fidelity_snap)
    x(inputs.fidelity.column) = inputs.fidelity.target;
}

const ModelStrategy::Prepared& ModelStrategy::prepared_of(const PreparedSuggestion* prepared) {
  const auto* p = dynamic_cast<const Prepared*>(prepared);
  if (!p) throw InvalidArgument("ModelStrategy::choose needs what this strategy's prepare() returned");
  return *p;
}

std::vector<Eigen::VectorXd> ModelStrategy::choose(const SuggestRequest& request,
                                                   const PreparedSuggestion* prepared) const {
  return choose_ahead(request, prepared)->points;
}

std::unique_ptr<ChoiceAhead> ModelStrategy::choose_ahead(const SuggestRequest& request,
                                                         const PreparedSuggestion* prepared_base) const {
  const SearchSpace& space = *request.space;
  const History& h = request.history;
  const Prepared& prepared = prepared_of(prepared_base);
  auto ahead = std::make_unique<Ahead>();
  if (prepared.space_filling) {
    ahead->points = initial_design(request);
    return ahead;
  }
  Choosing c = start_choosing(request, prepared);
  auto optimizer = std::make_unique<MixedOptimizer>(space, settings_.optimizer);
  std::unique_ptr<SearchSpace> shared_space;  // after a batch's first point, when parameters are batch-shared
  // A candidate pool is scored exactly; GameOpt plays its games on the space otherwise.
  std::unique_ptr<AcquisitionOptimizer> special;
  if (request.candidates.rows() > 0)
    special = std::make_unique<PoolOptimizer>(request.candidates, settings_.game.has_value());
  else if (settings_.game && Sites::combinatorial(space))  // (with floats: the mixed optimiser)
    special = std::make_unique<GameOptimizer>(space, *settings_.game);
  // While nothing is feasible, every point of the batch comes from the feasibility search (among
  // the pool's points when there is a pool).
  const bool searching_feasibility = !c.models.constraints.empty() && !c.inputs.any_feasible;
  if (special && special->batch() && !searching_feasibility) {
    const std::unique_ptr<Acquisition> acq = make_point(c, h, space, 0);
    ahead->points = suggest_batch(*special, *acq, h, request.count, stream_seed(c.seed, kOptimizerStream));
    return ahead;
  }
  // Points from independent searches of the space can be re-scored when the models change.
  const bool shared_values = request.count > 1 && !space.constraints().batch_shared.empty();
  if (!special && !searching_feasibility && !shared_values) ahead->alternatives.emplace();
  FeasibilitySearchInputs search;
  if (searching_feasibility) {
    search.space = &space;
    search.constraints = c.models.constraint_pointers();
    // (A composite study's models are of outputs, not of something to maximise.)
    search.objective = h.is_composite() ? nullptr : c.models.objective.front().get();
    search.X = h.X;
    // Violation on the models' (bilog) scale, so that no one constraint's units dominate.
    search.violation = c.models.transformed_constraints.cwiseMax(0.0).rowwise().sum();
    search.n_init = std::max(request.n_init, 1);
    search.duplicate_tolerance = settings_.optimizer.duplicate_tolerance;
    search.pool = request.candidates;
  }
  std::vector<Eigen::VectorXd>& out = ahead->points;
  for (int j = 0; j < request.count; ++j) {
    Eigen::VectorXd x;
    if (searching_feasibility) {
      search.avoid = c.taken_or_done;
      search.seed = stream_seed(c.seed, kFeasibilityStream, static_cast<std::uint64_t>(j));
      x = search_feasibility(search, settings_.feasibility);
    } else {
      const std::unique_ptr<Acquisition> acq = make_point(c, h, space, j);
      const std::uint64_t optimizer_seed = stream_seed(c.seed, kOptimizerStream, static_cast<std::uint64_t>(j));
      if (special) {
        AcquisitionOptimizer::Result result = special->maximize(*acq, {optimizer_seed, 1, c.taken_or_done, {}});
        if (result.exhausted) result = special->maximize(*acq, {optimizer_seed, 1, c.taken, {}});
        x = result.points.front().x;
      } else {
        auto result = optimizer->maximize(*acq, optimizer_seed, c.taken_or_done);
        if (result.exhausted) result = optimizer->maximize(*acq, optimizer_seed, c.taken);
        x = result.best.x;
        if (ahead->alternatives) {
          std::vector<Eigen::VectorXd> runners_up;
          for (const AcquisitionOptimizer::Candidate& alt : result.alternatives) runners_up.push_back(alt.x);
          ahead->alternatives->push_back(std::move(runners_up));
        }
      }
      snap_fidelity(c.inputs, x);
    }
    out.push_back(x);
    if (j == 0 && request.count > 1 && !space.constraints().batch_shared.empty()) {
      shared_space = std::make_unique<SearchSpace>(space.sharing_batch_values(x));
      optimizer = std::make_unique<MixedOptimizer>(*shared_space, settings_.optimizer);
      search.space = shared_space.get();
    }
    c.took(x, j + 1 == request.count);
  }
  return ahead;
}

std::vector<Eigen::VectorXd> ModelStrategy::amend(const SuggestRequest& grown, const PreparedSuggestion* prepared_base,
                                                  const ChoiceAhead& ahead_base) const {
  const auto* ahead = dynamic_cast<const Ahead*>(&ahead_base);
  const Prepared& prepared = prepared_of(prepared_base);
  if (!ahead || !ahead->alternatives || prepared.space_filling ||
      ahead->alternatives->size() != static_cast<std::size_t>(grown.count))
    return choose(grown, prepared_base);
  const SearchSpace& space = *grown.space;
  const History& h = grown.history;
  // The acquisition has changed only near the points added meanwhile (they are believed, or in
  // its baseline), so the other local optima of the search made without them are still local
  // optima: the best of them under the new acquisition replaces a point that lost its value.
  Choosing c = start_choosing(grown, prepared);
  const MixedOptimizer optimizer(space, settings_.optimizer);
  std::vector<Eigen::VectorXd> out;
  for (int j = 0; j < grown.count; ++j) {
    const std::unique_ptr<Acquisition> acq = make_point(c, h, space, j);
    std::vector<Eigen::VectorXd> candidates = (*ahead->alternatives)[static_cast<std::size_t>(j)];
    candidates.insert(candidates.begin(), ahead->points[static_cast<std::size_t>(j)]);
    std::optional<AcquisitionOptimizer::Candidate> best = optimizer.rescore(*acq, candidates, c.taken_or_done);
    if (!best) best = optimizer.rescore(*acq, candidates, c.taken);
    // Every candidate was taken meanwhile: search again (the models are still not refitted).
    if (!best) return choose(grown, prepared_base);
    Eigen::VectorXd x = best->x;
    snap_fidelity(c.inputs, x);
    out.push_back(x);
    c.took(x, j + 1 == grown.count);
  }
  return out;
}

std::vector<Eigen::VectorXd> ModelStrategy::suggest_batch(const AcquisitionOptimizer& optimizer, const Acquisition& acq,
                                                         const History& h, int count, std::uint64_t seed) const {
  Eigen::MatrixXd done(h.X_pending.rows() + h.X.rows() + h.X_failed.rows(), h.X.cols());
  done << h.X_pending, h.X, h.X_failed;
  // The first game starts from the incumbent, as the authors' first game starts from the best
  // training variant.
  AcquisitionOptimizer::Request request{seed, count, done, Eigen::MatrixXd()};
  Eigen::Index best = -1;
  for (Eigen::Index i = 0; i < h.y.size(); ++i)
    if (h.feasible(i) && (best < 0 || h.y(i) > h.y(best))) best = i;
  if (best >= 0) request.starts = h.X.row(best);
  AcquisitionOptimizer::Result result = optimizer.maximize(acq, request);
  if (result.exhausted) {
    // A small space or pool is used up: measured points may come again, pending ones never.
    request.avoid = h.X_pending;
    result = optimizer.maximize(acq, request);
  }
  std::vector<Eigen::VectorXd> out;
  for (const AcquisitionOptimizer::Candidate& c : result.points) out.push_back(c.x);
  return out;
}

std::unique_ptr<Acquisition> ModelStrategy::make(const Models& models, const History& h, AcquisitionInputs& inputs,
                                                 const SearchSpace& space) const {
  std::unique_ptr<Acquisition> acq = make_unweighted(models, h, inputs, space);
  // Composite studies always use (log-space) composite EI.
  if (models.failure && (h.is_composite() || acquisition_traits(acquisition_).log_space))
    return std::make_unique<LogSuccessWeighted>(std::move(acq), models.failure);
  return acq;
}

std::unique_ptr<Acquisition> ModelStrategy::make_unweighted(const Models& models, const History& h,
                                                            AcquisitionInputs& inputs, const SearchSpace& space) const {
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
  std::shared_ptr<const Surrogate> model;
  Eigen::VectorXd y_modelled;
  OutputWarping warp;
  try {
    model = fit_objective(space, h, seed, &y_modelled, &warp).front();
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
  // A model of warped values: its mean maps back to the posterior median in the study's units.
  const double value = warp.inverse(mean(best));
  return TargetRecommendation{candidates.row(best).transpose(), value};
}

std::optional<Eigen::Index> ModelStrategy::recommend(const SuggestRequest& request) const {
  const History& h = request.history;
  if (h.y.size() < 2) return Strategy::recommend(request);
  Eigen::VectorXd mean;
  try {
    // Ranked by the posterior mean of the warped values: their inverse is the posterior median in
    // user units (the transform is increasing), so the ranking is the median's.
    Eigen::VectorXd y_modelled;
    const auto models = fit_objective(*request.space, h, mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials)),
                                      &y_modelled);
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
