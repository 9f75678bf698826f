#include "engine/study.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acquisitions/log_composite_ei.h"
#include "core/errors.h"

namespace boex {
namespace {

// Enough for many workers racing on one file: each retry means someone else made progress.
constexpr int kMaxAskAttempts = 1000;

}  // namespace

void StudyOptions::validate() const {
  make_strategy(strategy);
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
  if (n_constraints > 0 && !make_strategy(strategy)->supports_constraints())
    throw InvalidArgument("strategy '" + strategy + "' cannot handle constraints; use gp-logei, gp-nei, gp-kg or gp-qlognei");
}

namespace {
constexpr const char* kTargetAttribute = "target";
constexpr const char* kTargetsAttribute = "targets";
}

Study::Study(std::shared_ptr<Storage> storage, StudyRecord record, double stale_after_seconds,
             CompositeObjective composite)
    : storage_(std::move(storage)),
      record_(std::move(record)),
      strategy_(make_strategy(record_.strategy)),
      stale_after_seconds_(stale_after_seconds),
      composite_(std::move(composite)) {
  // A built-in target study carries its g in the database.
  const std::vector<double> stored_targets = targets();
  if (!composite_ && record_.n_outputs > 0 && !stored_targets.empty())
    composite_ = [closeness = target_value(stored_targets)](const Eigen::VectorXd& h) { return -closeness(h, nullptr); };
}

Study Study::open(const std::string& storage_url, const std::string& name, const SearchSpace& space,
                  const Options& options) {
  return open(std::shared_ptr<Storage>(open_storage(storage_url)), name, space, options);
}

Study Study::open(std::shared_ptr<Storage> storage, const std::string& name, const SearchSpace& space,
                  const Options& options) {
  options.validate();
  if (name.empty()) throw InvalidArgument("a study needs a non-empty name");
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
  record.n_outputs = options.targets.empty() ? options.n_outputs : static_cast<int>(options.targets.size());
  if (!options.targets.empty()) record.attributes[kTargetsAttribute] = nlohmann::json(options.targets).dump();
  if (options.target) {
    std::ostringstream os;
    os.precision(17);
    os << *options.target;
    record.attributes[kTargetAttribute] = os.str();
  }
  try {
    record = storage->create_study(record);
  } catch (const StateError&) {
    return load(std::move(storage), name);  // another process created it just now
  }
  return Study(std::move(storage), std::move(record), options.stale_after_seconds, options.composite);
}

Study Study::load(const std::string& storage_url, const std::string& name) {
  return load(std::shared_ptr<Storage>(open_storage(storage_url)), name);
}

Study Study::load(std::shared_ptr<Storage> storage, const std::string& name) {
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
  const std::optional<double> single_target = target();
  if (single_target) {
    h.outputs.resize(n, 1);
    h.composite = target_value({*single_target});
  } else if (record_.n_outputs > 0) {
    h.outputs.resize(n, record_.n_outputs);
    const std::vector<double> t = targets();
    if (!t.empty()) {
      h.composite = target_value(t);  // exact gradient
    } else if (composite_) {
      const double sign = record_.direction == Direction::kMinimize ? -1.0 : 1.0;
      h.composite = with_numerical_gradient([g = composite_, sign](const Eigen::VectorXd& o) { return sign * g(o); });
    }
  }
  int i = 0, j = 0, k = 0;
  for (const Trial& t : trials) {
    if (t.is_complete()) {
      h.X.row(i) = space.encode(t.params).transpose();
      h.y(i) = utility(t);
      if (single_target) h.outputs(i, 0) = *t.value;
      for (int c = 0; c < record_.n_outputs; ++c) h.outputs(i, c) = t.outputs.at(c);
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

Trial Study::ask() { return ask(1).front(); }

std::vector<Trial> Study::ask(int n) {
  if (n < 1) throw InvalidArgument("ask: the number of trials must be >= 1, got " + std::to_string(n));
  if (strategy_->uses_history()) require_composite();  // before anything is claimed
  if (stale_after_seconds_ > 0) storage_->fail_stale_trials(record_.id, stale_after_seconds_);
  std::vector<Trial> out;
  while (static_cast<int>(out.size()) < n) {
    auto waiting = storage_->claim_waiting(record_.id);
    if (!waiting) break;
    out.push_back(std::move(*waiting));
  }
  SuggestRequest request = request_for({}, n);
  for (int attempt = 0; attempt < kMaxAskAttempts && static_cast<int>(out.size()) < n; ++attempt) {
    request.count = n - static_cast<int>(out.size());
    if (strategy_->uses_history()) {
      request.history = history_of(storage_->trials(record_.id));
    } else {
      request.history = History();
      request.history.num_trials = storage_->count_trials(record_.id);
    }
    std::vector<Trial> fresh;
    for (const Eigen::VectorXd& x : strategy_->suggest(request)) {
      Trial t;
      t.state = TrialState::kRunning;
      t.params = record_.space.decode(x);
      fresh.push_back(std::move(t));
    }
    // Lands only if nobody added a trial since the history was read; else suggest again.
    if (auto added = storage_->add_trials(record_.id, fresh, request.history.num_trials)) {
      out.insert(out.end(), added->begin(), added->end());
      return out;
    }
  }
  if (static_cast<int>(out.size()) < n)
    throw StorageError("ask: could not add a trial after " + std::to_string(kMaxAskAttempts) +
                       " attempts; the study is under heavy contention");
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

void Study::require_composite() const {
  if (record_.n_outputs > 0 && !composite_)
    throw StateError("study '" + record_.name + "' optimises a composite function of its outputs that this "
                     "process was not given: open it with Study::open and StudyOptions::composite");
}

double Study::composite_value(const std::vector<double>& outputs, const std::vector<double>& constraints) const {
  if (record_.n_outputs == 0)
    throw InvalidArgument("study '" + record_.name + "' has no measured outputs; report its value with tell");
  if (static_cast<int>(outputs.size()) != record_.n_outputs)
    throw InvalidArgument("study '" + record_.name + "' expects " + std::to_string(record_.n_outputs) +
                          " measured outputs, got " + std::to_string(outputs.size()));
  for (double o : outputs)
    if (!std::isfinite(o)) throw InvalidArgument("measured outputs must be finite");
  require_composite();
  const double value = composite_(Eigen::Map<const Eigen::VectorXd>(outputs.data(), record_.n_outputs));
  if (!std::isfinite(value))
    throw InvalidArgument("the composite function is not finite at these outputs (got " + std::to_string(value) + ")");
  check_result(value, constraints);
  return value;
}

void Study::tell(std::int64_t trial_id, double value, const std::vector<double>& constraints) {
  if (record_.n_outputs > 0)
    throw InvalidArgument("study '" + record_.name + "' is composite: report its " +
                          std::to_string(record_.n_outputs) + " measured outputs with tell_outputs");
  check_result(value, constraints);
  storage_->finish_trial(record_.id, trial_id, TrialState::kComplete, value, constraints, {});
}

void Study::tell_outputs(std::int64_t trial_id, const std::vector<double>& outputs,
                         const std::vector<double>& constraints) {
  const double value = composite_value(outputs, constraints);
  storage_->finish_trial(record_.id, trial_id, TrialState::kComplete, value, constraints, outputs);
}

void Study::tell_failed(std::int64_t trial_id) {
  storage_->finish_trial(record_.id, trial_id, TrialState::kFailed, std::nullopt, {}, {});
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
  storage_->set_trial_attribute(record_.id, trial_id, key, value);
}

void Study::heartbeat(std::int64_t trial_id) { storage_->heartbeat(record_.id, trial_id); }

std::optional<double> Study::target() const {
  auto it = record_.attributes.find(kTargetAttribute);
  if (it == record_.attributes.end()) return std::nullopt;
  return std::stod(it->second);
}

std::vector<double> Study::targets() const {
  auto it = record_.attributes.find(kTargetsAttribute);
  if (it == record_.attributes.end()) return {};
  return nlohmann::json::parse(it->second).get<std::vector<double>>();
}

double Study::utility(const Trial& trial) const {
  if (const auto t = target()) return target_value({*t})(Eigen::VectorXd::Constant(1, *trial.value), nullptr);
  return record_.direction == Direction::kMinimize ? -*trial.value : *trial.value;
}

SuggestRequest Study::request_for(const std::vector<Trial>& trials, int count) const {
  SuggestRequest request;
  request.space = &record_.space;
  request.study_seed = record_.seed;
  request.n_init = record_.n_init > 0 ? record_.n_init : default_n_init(record_.space);
  request.count = count;
  if (!trials.empty()) request.history = history_of(trials);
  return request;
}

std::optional<Trial> Study::best() const {
  std::optional<Trial> best;
  for (Trial& t : storage_->trials(record_.id)) {
    if (!t.is_feasible()) continue;
    if (!best || utility(t) > utility(*best)) best = std::move(t);
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
