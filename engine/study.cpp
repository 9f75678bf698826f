#include "engine/study.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "core/errors.h"
#include "core/registry.h"
#include "core/utf8.h"
#include "core/work_counters.h"
#include "surrogates/surrogate_registry.h"

namespace boex {
namespace {

void check_name(const std::string& name) {
  if (name.empty()) throw InvalidArgument("a study needs a non-empty name");
  require_utf8(name, "the study name");
}

void check_attribute(const std::string& key, const std::string& value) {
  require_utf8(key, "the attribute key");
  require_utf8(value, "the value of attribute '" + key + "'");
}

}  // namespace

void Study::check_ask_count(int n) {
  if (n < 1 || n > kMaxAskCount)
    throw InvalidArgument("ask: the number of trials must be in 1.." + std::to_string(kMaxAskCount) + ", got " +
                          std::to_string(n) + " (a larger design is several asks)");
}

std::string StudyOptions::effective_strategy() const {
  return objectives.size() >= 2 && strategy == StudyOptions().strategy ? "gp-qlognehvi" : strategy;
}

void StudyOptions::validate() const {
  const std::string strategy = effective_strategy();
  const std::unique_ptr<Strategy> chosen = make_strategy(strategy, resolve_strategy_options(strategy, strategy_options));
  if (n_constraints < 0) throw InvalidArgument("StudyOptions::n_constraints = " + std::to_string(n_constraints) + "; must be >= 0");
  if (n_init < 0) throw InvalidArgument("StudyOptions::n_init = " + std::to_string(n_init) + "; must be >= 0");
  if (!(stale_after_seconds >= 0.0))
    throw InvalidArgument("StudyOptions::stale_after_seconds must be >= 0");
  if (target && !std::isfinite(*target)) throw InvalidArgument("StudyOptions::target must be finite");
  if (n_outputs < 0) throw InvalidArgument("StudyOptions::n_outputs = " + std::to_string(n_outputs) + "; must be >= 0");
  if (composite && n_outputs == 0)
    throw InvalidArgument("StudyOptions::composite is set: set n_outputs to the number of measured outputs it takes");
  if (!targets.empty()) {
    if (composite) throw InvalidArgument("StudyOptions: give either targets or a composite function, not both");
    if (target) throw InvalidArgument("StudyOptions: give either target (one output) or targets, not both");
    if (n_outputs != 0 && n_outputs != static_cast<int>(targets.size()))
      throw InvalidArgument("StudyOptions::n_outputs = " + std::to_string(n_outputs) + " but there are " +
                            std::to_string(targets.size()) + " targets");
    for (double t : targets)
      if (!std::isfinite(t)) throw InvalidArgument("StudyOptions::targets must be finite");
    if (direction != Direction::kMinimize)
      throw InvalidArgument("a target study minimises the distance to its targets; leave direction at minimize");
  }
  if (n_outputs > 0 && !composite && targets.empty())
    throw InvalidArgument("StudyOptions::n_outputs = " + std::to_string(n_outputs) +
                          " needs a composite function (or targets) that turns the outputs into the objective");
  if (target && n_outputs > 0)
    throw InvalidArgument("StudyOptions::target is for a single told value; use targets with n_outputs");
  if ((target || n_outputs > 0 || !targets.empty()) && !chosen->supports_composite()) {
    std::vector<std::string> able;
    for (const std::string& s : surrogate_names())
      if (surrogate_entry(s).capabilities.gaussian_marginals) able.push_back(s);
    throw InvalidArgument("strategy '" + strategy + "' cannot model measured outputs for a target or composite "
                          "study; use a surrogate with Gaussian marginals: " + join(able));
  }
  if (cost && (!std::isfinite(cost->fixed) || !std::isfinite(cost->weight)))
    throw InvalidArgument("StudyOptions::cost must have a finite fixed and weight");
  if (!objectives.empty()) {
    validate_objectives(objectives);
    if (target || !targets.empty() || n_outputs > 0 || composite)
      throw InvalidArgument("StudyOptions::objectives: a multi-objective study cannot also have targets or a composite function");
    if (!chosen->supports_multi_objective()) {
      std::vector<std::string> able;
      for (const std::string& s : strategy_names())
        if (make_strategy(s)->supports_multi_objective()) able.push_back(s);
      throw InvalidArgument("strategy '" + strategy + "' cannot weigh several objectives; use one of: " + join(able));
    }
  }
  if (n_constraints > 0 && !chosen->supports_constraints()) {
    const std::vector<std::string> able = strategies_supporting_constraints();
    throw InvalidArgument("strategy '" + strategy + "' cannot handle constraints; use one of: " + join(able));
  }
}

Study::Study(std::shared_ptr<Storage> storage, StudyRecord record, double stale_after_seconds,
             StudyObjective::UserFunction composite)
    : storage_(std::move(storage)),
      record_(std::move(record)),
      objective_(record_, std::move(composite)),
      objectives_(stored_objectives(record_)),
      strategy_(make_strategy(record_.strategy, record_.strategy_options)),
      stale_after_seconds_(stale_after_seconds),
      strategy_space_(record_.space),
      cost_(cost_from_settings(record_.settings)) {
  if (record_.space.fidelity_index() && !strategy_->models_fidelity()) {
    strategy_space_ = record_.space.without_fidelity();
    target_only_ = true;
  }
}

Study Study::open(const std::string& storage_url, const std::string& name, const SearchSpace& space,
                  const Options& options) {
  return open(std::shared_ptr<Storage>(open_storage(storage_url)), name, space, options);
}

Study Study::open(std::shared_ptr<Storage> storage, const std::string& name, const SearchSpace& space,
                  const Options& options) {
  options.validate();
  check_name(name);
  if (options.cost) options.cost->validate(space);
  if (!space.fidelity_index() && make_strategy(options.strategy, resolve_strategy_options(options.strategy, options.strategy_options))
                                     ->models_fidelity())
    throw InvalidArgument("strategy '" + options.strategy + "' chooses each trial's fidelity: the search space needs a "
                          "fidelity parameter (\"fidelity\": true, \"target\": ...); a single-fidelity study uses a "
                          "'gp-' strategy");
  if (auto existing = storage->find_study(name)) {
    if (!(existing->space == space))
      throw StateError("study '" + name + "' exists with a different search space; use another name");
    if (options.composite && existing->n_outputs == 0)
      throw StateError("study '" + name + "' exists without measured outputs; a composite function cannot apply");
    return Study(std::move(storage), std::move(*existing), options.stale_after_seconds, options.composite);
  }
  StudyRecord record;
  record.name = name;
  record.space = space;
  record.direction = options.direction;
  record.strategy = options.effective_strategy();
  record.seed = options.seed;
  record.n_constraints = options.n_constraints;
  record.n_init = options.n_init;
  record.n_outputs = options.n_outputs;
  record.strategy_options = resolve_strategy_options(record.strategy, options.strategy_options);
  if (!options.objectives.empty()) store_objectives(options.objectives, &record);
  StudyObjective::store_targets(options.target, options.targets, &record);
  if (options.cost) record.settings = settings_with_cost(record.settings, *options.cost);
  try {
    record = storage->create_study(record);
  } catch (const StateError&) {
    return load(std::move(storage), name);  // another process created it just now
  }
  return Study(std::move(storage), std::move(record), options.stale_after_seconds, options.composite);
}

Study Study::create(const std::string& storage_url, const std::string& name, const SearchSpace& space,
                    const Options& options) {
  options.validate();
  check_name(name);
  std::shared_ptr<Storage> storage(open_storage(storage_url));
  if (storage->find_study(name)) throw StateError("a study named '" + name + "' already exists");
  return open(std::move(storage), name, space, options);
}

std::vector<StudySummary> Study::list(const std::string& storage_url) {
  const std::unique_ptr<Storage> storage = open_storage(storage_url, OpenMode::kExisting);
  std::vector<StudySummary> out;
  for (StudyListing& s : storage->studies()) {
    const std::int64_t n = storage->count_trials(s.record.id);
    out.push_back({std::move(s.record), n, std::move(s.problem)});
  }
  return out;
}

Study Study::load(const std::string& storage_url, const std::string& name) {
  check_name(name);
  return load(std::shared_ptr<Storage>(open_storage(storage_url, OpenMode::kExisting)), name);
}

Study Study::load(std::shared_ptr<Storage> storage, const std::string& name) {
  check_name(name);
  auto existing = storage->find_study(name);
  if (!existing) throw NotFound("no study named '" + name + "' in this storage");
  return Study(std::move(storage), std::move(*existing), 0.0, nullptr);
}

bool Study::seen_by_strategy(const Trial& trial) const { return !target_only_ || record_.space.at_target(trial.params); }

Params Study::strategy_params(Params params) const {
  if (target_only_) params.erase(record_.space.parameters()[static_cast<std::size_t>(*record_.space.fidelity_index())].name);
  return params;
}

Params Study::params_of(const Eigen::VectorXd& x) const {
  Params params = strategy_space_.decode(x);
  if (target_only_) {
    const Parameter& p = record_.space.parameters()[static_cast<std::size_t>(*record_.space.fidelity_index())];
    if (p.type == ParameterType::kInt)
      params[p.name] = static_cast<std::int64_t>(p.target);
    else
      params[p.name] = p.target;
  }
  return params;
}

History Study::history_of(const std::vector<Trial>& all) const {
  const SearchSpace& space = strategy_space_;
  // The design parameters of the trials at the target, for a strategy that sees only those.
  std::vector<Trial> trials;
  for (const Trial& t : all) {
    if (!seen_by_strategy(t)) continue;
    trials.push_back(t);
    trials.back().params = strategy_params(t.params);
  }
  History h;
  h.num_trials = static_cast<std::int64_t>(all.size());
  int n = 0, p = 0, f = 0;
  for (const Trial& t : trials) {
    n += t.is_complete() ? 1 : 0;
    p += t.is_pending() ? 1 : 0;
    f += t.state == TrialState::kFailed ? 1 : 0;
  }
  h.X.resize(n, space.dimension());
  h.y.resize(n);
  h.cost.resize(n);
  h.C.resize(n, record_.n_constraints);
  h.X_pending.resize(p, space.dimension());
  h.X_failed.resize(f, space.dimension());
  if (objective_.is_composite()) {
    h.outputs.resize(n, objective_.model_outputs());
    h.composite = objective_.composite();
  }
  if (is_multi_objective()) {
    h.Y.resize(n, static_cast<Eigen::Index>(objectives_.size()));
    h.thresholds = maximising_thresholds(objectives_);
  }
  int i = 0, j = 0, k = 0;
  for (const Trial& t : trials) {
    if (t.is_complete()) {
      h.X.row(i) = space.encode(t.params).transpose();
      if (is_multi_objective()) {
        h.Y.row(i) = maximising(t.values, objectives_);
        h.y(i) = h.Y(i, 0);  // (single-objective strategies never see a multi-objective study)
      } else {
        h.y(i) = objective_.utility(t);
      }
      h.cost(i) = t.cost ? *t.cost : std::numeric_limits<double>::quiet_NaN();
      if (objective_.is_composite()) h.outputs.row(i) = objective_.outputs_of(t).transpose();
      for (int k = 0; k < record_.n_constraints; ++k) h.C(i, k) = t.constraints.at(k);
      ++i;
    } else if (t.is_pending()) {
      h.X_pending.row(j++) = space.encode(t.params).transpose();
    } else {
      h.X_failed.row(k++) = space.encode(t.params).transpose();
    }
  }
  return h;
}

void Study::add_pending(const std::vector<Trial>& trials, History* h) const {
  Eigen::MatrixXd& pending = h->X_pending;
  Eigen::Index row = pending.rows();
  const auto seen = static_cast<Eigen::Index>(
      std::count_if(trials.begin(), trials.end(), [this](const Trial& t) { return seen_by_strategy(t); }));
  pending.conservativeResize(row + seen, strategy_space_.dimension());
  for (const Trial& t : trials)
    if (seen_by_strategy(t)) pending.row(row++) = strategy_space_.encode(strategy_params(t.params)).transpose();
}

Trial Study::ask() { return ask(1).front(); }

std::vector<Trial> Study::ask(int n) {
  check_ask_count(n);
  last_turn_ = {};
  const bool uses_history = strategy_->uses_history();
  if (uses_history) objective_.require_function();  // before anything is claimed
  if (stale_after_seconds_ > 0) storage_->fail_stale_trials(record_.id, stale_after_seconds_);
  std::vector<Trial> out;
  while (static_cast<int>(out.size()) < n) {
    auto waiting = storage_->claim_waiting(record_.id);
    if (!waiting) break;
    out.push_back(std::move(*waiting));
  }
  if (static_cast<int>(out.size()) == n) return out;
  // Outside the study's turn: the history as it is now, the strategy's costly part, its choice.
  SuggestRequest request = request_for({}, n - static_cast<int>(out.size()));
  std::unique_ptr<PreparedSuggestion> prepared;
  std::int64_t since = 0;
  if (uses_history) {
    const std::vector<Trial> trials = storage_->trials(record_.id);
    since = trials.empty() ? 0 : trials.back().number + 1;
    request.history = history_of(trials);
    request.history.num_trials = since;
    prepared = strategy_->prepare(request);
  } else {
    since = storage_->count_trials(record_.id);
    request.history.num_trials = since;
  }
  const std::unique_ptr<ChoiceAhead> ahead = strategy_->choose_ahead(request, prepared.get());
  // In the turn: whatever the others added meanwhile is pending too; correct the choice, add.
  using Clock = std::chrono::steady_clock;
  const Clock::time_point asked_for_turn = Clock::now();
  Clock::time_point in_turn = asked_for_turn;
  const auto choose = [&](const std::vector<Trial>& others) {
    in_turn = Clock::now();
    const WorkCounters before = this_thread_work();
    std::vector<Eigen::VectorXd> points = ahead->points;
    if (!others.empty()) {
      SuggestRequest grown = request;
      grown.history.num_trials = since + static_cast<std::int64_t>(others.size());
      if (uses_history) add_pending(others, &grown.history);
      points = strategy_->amend(grown, prepared.get(), *ahead);
    }
    std::vector<Trial> fresh;
    for (const Eigen::VectorXd& x : points) {
      Trial t;
      t.state = TrialState::kRunning;
      t.params = params_of(x);
      fresh.push_back(std::move(t));
    }
    const WorkCounters& after = this_thread_work();
    last_turn_ = {static_cast<std::int64_t>(others.size()), after.model_fits - before.model_fits,
                  after.acquisition_searches - before.acquisition_searches};
    return fresh;
  };
  const std::vector<Trial> added = storage_->add_trials_in_turn(record_.id, since, choose);
  last_turn_.wait_seconds = std::chrono::duration<double>(in_turn - asked_for_turn).count();
  last_turn_.held_seconds = std::chrono::duration<double>(Clock::now() - in_turn).count();
  out.insert(out.end(), added.begin(), added.end());
  return out;
}

void Study::check_result(double value, const std::vector<double>& constraints) const {
  if (!std::isfinite(value)) throw InvalidArgument("tell: the value must be finite, got " + std::to_string(value));
  if (static_cast<int>(constraints.size()) != record_.n_constraints)
    throw InvalidArgument("tell: study '" + record_.name + "' expects " + std::to_string(record_.n_constraints) +
                          " constraint values, got " + std::to_string(constraints.size()));
  for (double c : constraints)
    if (!std::isfinite(c)) throw InvalidArgument("tell: constraint values must be finite");
}

double Study::composite_value(const std::vector<double>& outputs, const std::vector<double>& constraints) const {
  const double value = objective_.value_of(outputs);
  check_result(value, constraints);
  return value;
}

void Study::tell(std::int64_t trial_id, double value, const std::vector<double>& constraints, std::optional<double> cost) {
  if (is_multi_objective()) check_values({value}, constraints);  // one value where several are due
  if (record_.n_outputs > 0)
    throw InvalidArgument("study '" + record_.name + "' is composite: report its " +
                          std::to_string(record_.n_outputs) + " measured outputs with tell_outputs");
  check_result(value, constraints);
  if (cost) validate_cost(*cost);
  TrialResult result;
  result.value = value;
  result.constraints = constraints;
  result.cost = cost;
  storage_->finish_trial(record_.id, trial_id, result);
}

void Study::tell_outputs(std::int64_t trial_id, const std::vector<double>& outputs,
                         const std::vector<double>& constraints, std::optional<double> cost) {
  const double value = composite_value(outputs, constraints);
  if (cost) validate_cost(*cost);
  TrialResult result;
  result.value = value;
  result.constraints = constraints;
  result.outputs = outputs;
  result.cost = cost;
  storage_->finish_trial(record_.id, trial_id, result);
}

void Study::check_values(const std::vector<double>& values, const std::vector<double>& constraints) const {
  if (!is_multi_objective())
    throw InvalidArgument("study '" + record_.name + "' has a single objective: tell its value, not several");
  if (values.size() != objectives_.size())
    throw InvalidArgument("tell: study '" + record_.name + "' has " + std::to_string(objectives_.size()) +
                          " objectives, got " + std::to_string(values.size()) + " values");
  for (std::size_t j = 0; j < values.size(); ++j)
    if (!std::isfinite(values[j]))
      throw InvalidArgument("tell: the value of objective '" + objectives_[j].name + "' must be finite, got " +
                            std::to_string(values[j]));
  check_result(0.0, constraints);
}

void Study::require_single_objective(const std::string& what) const {
  if (!is_multi_objective()) return;
  std::string names;
  for (const ObjectiveSpec& o : objectives_) names += (names.empty() ? "" : ", ") + o.name;
  throw StateError("study '" + record_.name + "' has " + std::to_string(objectives_.size()) + " objectives (" + names +
                   "): " + what + " does not apply; use tell_values (boex tell --values) and pareto() (boex pareto) "
                   "for its Pareto front");
}

void Study::tell_values(std::int64_t trial_id, const std::vector<double>& values, const std::vector<double>& constraints) {
  check_values(values, constraints);
  TrialResult result;
  result.values = values;
  result.constraints = constraints;
  storage_->finish_trial(record_.id, trial_id, result);
}

Trial Study::add_measured_values(const Params& params, const std::vector<double>& values,
                                 const std::vector<double>& constraints) {
  record_.space.validate(params);
  check_values(values, constraints);
  Trial t = measured(params, constraints);
  t.values = values;
  return storage_->append_trials(record_.id, {t}).front();
}

ParetoSummary Study::pareto() const {
  if (!is_multi_objective())
    throw StateError("study '" + record_.name + "' has a single objective: use best() (boex best)");
  return pareto_summary(storage_->trials(record_.id), objectives_);
}

void Study::tell_failed(std::int64_t trial_id, std::optional<double> cost) {
  if (cost) validate_cost(*cost);
  TrialResult result;
  result.state = TrialState::kFailed;
  result.cost = cost;
  storage_->finish_trial(record_.id, trial_id, result);
}

void Study::report(std::int64_t trial_id, std::int64_t step, double value) {
  if (step < 0) throw InvalidArgument("report: the step must be >= 0, got " + std::to_string(step));
  if (!std::isfinite(value)) throw InvalidArgument("report: an intermediate value must be finite");
  storage_->report(record_.id, trial_id, step, value);
}

Trial Study::enqueue(const Params& params) {
  record_.space.validate(params);
  Trial t;
  t.state = TrialState::kWaiting;
  t.params = params;
  return storage_->append_trials(record_.id, {t}).front();
}

Trial Study::measured(const Params& params, const std::vector<double>& constraints) {
  Trial t;
  t.state = TrialState::kComplete;
  t.params = params;
  t.constraints = constraints;
  t.attributes["source"] = "measured";
  return t;
}

Trial Study::add_measured(const Params& params, double value, const std::vector<double>& constraints,
                          std::optional<double> cost) {
  record_.space.validate(params);
  if (is_multi_objective()) check_values({value}, constraints);
  if (record_.n_outputs > 0)
    throw InvalidArgument("study '" + record_.name + "' is composite: add its measured outputs with add_measured_outputs");
  check_result(value, constraints);
  if (cost) validate_cost(*cost);
  Trial t = measured(params, constraints);
  t.value = value;
  t.cost = cost;
  return storage_->append_trials(record_.id, {t}).front();
}

Trial Study::add_measured_outputs(const Params& params, const std::vector<double>& outputs,
                                  const std::vector<double>& constraints) {
  record_.space.validate(params);
  const double value = composite_value(outputs, constraints);
  Trial t = measured(params, constraints);
  t.value = value;
  t.outputs = outputs;
  return storage_->append_trials(record_.id, {t}).front();
}

void Study::set_trial_attribute(std::int64_t trial_id, const std::string& key, const std::string& value) {
  check_attribute(key, value);
  storage_->set_trial_attribute(record_.id, trial_id, key, value);
}

void Study::set_attribute(const std::string& key, const std::string& value) {
  // The objective's own keys (study_objective.cpp) define the study; they are not user data.
  check_attribute(key, value);
  if (key == "target" || key == "targets") throw InvalidArgument("study attribute '" + key + "' is reserved");
  storage_->set_study_attribute(record_.id, key, value);
  record_.attributes[key] = value;
}

void Study::heartbeat(std::int64_t trial_id) { storage_->heartbeat(record_.id, trial_id); }

void Study::set_candidates(const std::vector<Params>& pool) {
  std::set<std::vector<double>> seen;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const std::string which = "candidate " + std::to_string(i + 1) + " of " + std::to_string(pool.size());
    try {
      record_.space.validate(pool[i]);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(which + ": " + e.what());
    }
    const Eigen::VectorXd x = record_.space.encode(pool[i]);
    if (!seen.insert(std::vector<double>(x.data(), x.data() + x.size())).second)
      throw InvalidArgument(which + " repeats an earlier candidate");
  }
  storage_->set_candidates(record_.id, pool);
}

std::vector<Params> Study::candidates() const { return storage_->candidates(record_.id); }

int Study::fail_stale_trials(double seconds) {
  if (!(seconds > 0) || !std::isfinite(seconds))
    throw InvalidArgument("fail_stale_trials: the silence must be a finite number of seconds > 0");
  return storage_->fail_stale_trials(record_.id, seconds);
}

SuggestRequest Study::request_for(const std::vector<Trial>& trials, int count) const {
  SuggestRequest request;
  request.space = &strategy_space_;
  request.study_seed = record_.seed;
  request.cost = cost_;
  request.n_init = record_.n_init > 0 ? record_.n_init : default_n_init(strategy_space_);
  request.count = count;
  if (!trials.empty()) request.history = history_of(trials);
  // A candidate pool (Storage::set_candidates): every strategy suggests from it alone (a strategy
  // that sees only the target fidelity, from the pool's rows at the target); rows outside the
  // input constraints are never suggested.
  const std::vector<Params> stored = storage_->candidates(record_.id);
  std::vector<Params> pool;
  for (const Params& params : stored)
    if ((!target_only_ || record_.space.at_target(params)) &&
        record_.space.satisfies_constraints(record_.space.encode(params)))
      pool.push_back(strategy_params(params));
  if (!stored.empty() && pool.empty())
    throw InvalidArgument("study '" + record_.name + "': no row of its candidate pool can be suggested (each is outside "
                          "the input constraints or, for a strategy that runs at the target fidelity, not at the target)");
  request.candidates.resize(static_cast<Eigen::Index>(pool.size()), strategy_space_.dimension());
  for (std::size_t i = 0; i < pool.size(); ++i) request.candidates.row(static_cast<Eigen::Index>(i)) = strategy_space_.encode(pool[i]).transpose();
  return request;
}

std::optional<Trial> Study::best() const {
  require_single_objective("a single best trial");
  std::optional<Trial> best;
  for (Trial& t : storage_->trials(record_.id)) {
    if (!t.is_feasible() || !record_.space.at_target(t.params)) continue;
    if (!best || objective_.utility(t) > objective_.utility(*best)) best = std::move(t);
  }
  return best;
}

std::optional<Trial> Study::recommend() const {
  require_single_objective("a single recommended trial");
  const std::vector<Trial> all = storage_->trials(record_.id);
  if (strategy_->models_fidelity()) {
    const std::optional<TargetRecommendation> chosen = strategy_->recommend_at_target(request_for(all, 1));
    if (!chosen) return std::nullopt;
    for (const Trial& t : all)
      if (t.is_complete() && (record_.space.encode(t.params) - chosen->x).cwiseAbs().maxCoeff() <= 1e-12) return t;
    Trial t;
    t.state = TrialState::kWaiting;
    t.params = record_.space.decode(chosen->x);
    const double value = record_.direction == Direction::kMinimize ? -chosen->mean : chosen->mean;
    t.attributes["predicted_value"] = nlohmann::json(value).dump();
    t.attributes["recommendation"] = "never run at the target fidelity: the best posterior mean there";
    return t;
  }
  const auto index = strategy_->recommend(request_for(all, 1));
  if (!index) return std::nullopt;
  Eigen::Index seen = 0;
  for (const Trial& t : all)
    if (t.is_complete() && seen_by_strategy(t) && seen++ == *index) return t;
  return std::nullopt;
}

std::vector<Trial> Study::trials() const { return storage_->trials(record_.id); }

Trial Study::trial(std::int64_t trial_id) const { return storage_->trial(record_.id, trial_id); }

}  // namespace boex
