#include "engine/study.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/errors.h"
#include "core/registry.h"
#include "core/utf8.h"
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

void StudyOptions::validate() const {
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
      strategy_(make_strategy(record_.strategy, record_.strategy_options)),
      stale_after_seconds_(stale_after_seconds) {}

Study Study::open(const std::string& storage_url, const std::string& name, const SearchSpace& space,
                  const Options& options) {
  return open(std::shared_ptr<Storage>(open_storage(storage_url)), name, space, options);
}

Study Study::open(std::shared_ptr<Storage> storage, const std::string& name, const SearchSpace& space,
                  const Options& options) {
  options.validate();
  check_name(name);
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
  record.strategy = options.strategy;
  record.seed = options.seed;
  record.n_constraints = options.n_constraints;
  record.n_init = options.n_init;
  record.n_outputs = options.n_outputs;
  record.strategy_options = resolve_strategy_options(options.strategy, options.strategy_options);
  StudyObjective::store_targets(options.target, options.targets, &record);
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

History Study::history_of(const std::vector<Trial>& trials) const {
  const SearchSpace& space = record_.space;
  History h;
  h.num_trials = static_cast<std::int64_t>(trials.size());
  int n = 0, p = 0, f = 0;
  for (const Trial& t : trials) {
    n += t.is_complete() ? 1 : 0;
    p += t.is_pending() ? 1 : 0;
    f += t.state == TrialState::kFailed ? 1 : 0;
  }
  h.X.resize(n, space.dimension());
  h.y.resize(n);
  h.C.resize(n, record_.n_constraints);
  h.X_pending.resize(p, space.dimension());
  h.X_failed.resize(f, space.dimension());
  if (objective_.is_composite()) {
    h.outputs.resize(n, objective_.model_outputs());
    h.composite = objective_.composite();
  }
  int i = 0, j = 0, k = 0;
  for (const Trial& t : trials) {
    if (t.is_complete()) {
      h.X.row(i) = space.encode(t.params).transpose();
      h.y(i) = objective_.utility(t);
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
  pending.conservativeResize(row + static_cast<Eigen::Index>(trials.size()), record_.space.dimension());
  for (const Trial& t : trials) pending.row(row++) = record_.space.encode(t.params).transpose();
}

Trial Study::ask() { return ask(1).front(); }

std::vector<Trial> Study::ask(int n) {
  check_ask_count(n);
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
  // Outside the study's turn: the history as it is now, and the strategy's costly part.
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
  // In the turn: whatever the others added meanwhile is pending too; choose, add.
  const auto choose = [&](const std::vector<Trial>& others) {
    SuggestRequest grown;
    const SuggestRequest* now = &request;
    if (!others.empty()) {
      grown = request;
      grown.history.num_trials = since + static_cast<std::int64_t>(others.size());
      if (uses_history) add_pending(others, &grown.history);
      now = &grown;
    }
    std::vector<Trial> fresh;
    for (const Eigen::VectorXd& x : strategy_->choose(*now, prepared.get())) {
      Trial t;
      t.state = TrialState::kRunning;
      t.params = record_.space.decode(x);
      fresh.push_back(std::move(t));
    }
    return fresh;
  };
  const std::vector<Trial> added = storage_->add_trials_in_turn(record_.id, since, choose);
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

void Study::tell(std::int64_t trial_id, double value, const std::vector<double>& constraints) {
  if (record_.n_outputs > 0)
    throw InvalidArgument("study '" + record_.name + "' is composite: report its " +
                          std::to_string(record_.n_outputs) + " measured outputs with tell_outputs");
  check_result(value, constraints);
  TrialResult result;
  result.value = value;
  result.constraints = constraints;
  storage_->finish_trial(record_.id, trial_id, result);
}

void Study::tell_outputs(std::int64_t trial_id, const std::vector<double>& outputs,
                         const std::vector<double>& constraints) {
  const double value = composite_value(outputs, constraints);
  TrialResult result;
  result.value = value;
  result.constraints = constraints;
  result.outputs = outputs;
  storage_->finish_trial(record_.id, trial_id, result);
}

void Study::tell_failed(std::int64_t trial_id) {
  TrialResult result;
  result.state = TrialState::kFailed;
  storage_->finish_trial(record_.id, trial_id, result);
}

Trial Study::enqueue(const Params& params) {
  record_.space.validate(params);
  Trial t;
  t.state = TrialState::kWaiting;
  t.params = params;
  return storage_->append_trials(record_.id, {t}).front();
}

Trial Study::add_measured(const Params& params, double value, const std::vector<double>& constraints) {
  record_.space.validate(params);
  if (record_.n_outputs > 0)
    throw InvalidArgument("study '" + record_.name + "' is composite: add its measured outputs with add_measured_outputs");
  check_result(value, constraints);
  Trial t;
  t.state = TrialState::kComplete;
  t.params = params;
  t.value = value;
  t.constraints = constraints;
  t.attributes["source"] = "measured";
  return storage_->append_trials(record_.id, {t}).front();
}

Trial Study::add_measured_outputs(const Params& params, const std::vector<double>& outputs,
                                  const std::vector<double>& constraints) {
  record_.space.validate(params);
  Trial t;
  t.state = TrialState::kComplete;
  t.params = params;
  t.value = composite_value(outputs, constraints);
  t.constraints = constraints;
  t.outputs = outputs;
  t.attributes["source"] = "measured";
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
  request.space = &record_.space;
  request.study_seed = record_.seed;
  request.n_init = record_.n_init > 0 ? record_.n_init : default_n_init(record_.space);
  request.count = count;
  if (!trials.empty()) request.history = history_of(trials);
  // A candidate pool (Storage::set_candidates): every strategy suggests from it alone.
  const std::vector<Params> pool = storage_->candidates(record_.id);
  request.candidates.resize(static_cast<Eigen::Index>(pool.size()), record_.space.dimension());
  Eigen::Index kept = 0;  // pool rows outside the input constraints are never suggested
  for (const Params& row : pool) {
    const Eigen::VectorXd x = record_.space.encode(row);
    if (record_.space.satisfies_constraints(x)) request.candidates.row(kept++) = x.transpose();
  }
  if (!pool.empty() && kept == 0)
    throw InvalidArgument("study '" + record_.name + "': no row of its candidate pool satisfies the input constraints");
  request.candidates.conservativeResize(kept, record_.space.dimension());
  return request;
}

std::optional<Trial> Study::best() const {
  std::optional<Trial> best;
  for (Trial& t : storage_->trials(record_.id)) {
    if (!t.is_feasible()) continue;
    if (!best || objective_.utility(t) > objective_.utility(*best)) best = std::move(t);
  }
  return best;
}

std::optional<Trial> Study::recommend() const {
  const std::vector<Trial> all = storage_->trials(record_.id);
  const auto index = strategy_->recommend(request_for(all, 1));
  if (!index) return std::nullopt;
  Eigen::Index seen = 0;
  for (const Trial& t : all)
    if (t.is_complete() && seen++ == *index) return t;
  return std::nullopt;
}

std::vector<Trial> Study::trials() const { return storage_->trials(record_.id); }

Trial Study::trial(std::int64_t trial_id) const { return storage_->trial(record_.id, trial_id); }

}  // namespace boex
