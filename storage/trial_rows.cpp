#include "storage/trial_rows.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/utf8.h"

namespace boex::rows {

using nlohmann::json;

std::string numbers_text(const std::vector<double>& numbers) { return json(numbers).dump(); }

std::vector<double> numbers_from_text(const std::string& text) {
  if (text == "[]") return {};  // most trials have no constraints or outputs: skip the parser
  return json::parse(text).get<std::vector<double>>();
}

StoredTrial parse_trial(const TrialText& row, const SearchSpace& space) {
  StoredTrial s;
  s.trial.id = row.id;
  s.trial.number = row.number;
  try {
    s.trial.state = parse_trial_state(row.state);
    s.trial.params = params_from_json(json::parse(row.params), space);
    s.trial.constraints = numbers_from_text(row.constraints);
    s.trial.outputs = numbers_from_text(row.outputs);
    s.trial.values = numbers_from_text(row.values);
  } catch (const std::exception& e) {  // InvalidArgument, NotFound or a JSON error of a damaged row
    throw StorageError("trial " + std::to_string(row.id) + " (number " + std::to_string(row.number) +
                       ") cannot be read from the database: " + printable(e.what()));
  }
  s.trial.value = row.value;
  s.trial.cost = row.cost;
  s.created_at = row.created_at;
  s.finished_at = row.finished_at;
  s.heartbeat = row.heartbeat;
  s.fail_reason = row.fail_reason;
  return s;
}

StudyListing parse_study(const StudyText& row) {
  StudyListing out;
  StudyRecord& s = out.record;
  s.id = row.id;
  s.name = row.name;
  try {
    require_utf8(row.name, "the study name");
    s.space = space_from_json_text(row.space);
    s.direction = parse_direction(row.direction);
    require_utf8(row.strategy, "the strategy name");
    s.strategy = row.strategy;
    s.seed = static_cast<std::uint64_t>(row.seed);
    const auto count = [](std::int64_t v, const char* what) {
      if (v < 0 || v > std::numeric_limits<int>::max())
        throw StorageError(std::string(what) + " = " + std::to_string(v) + " is not a count");
      return static_cast<int>(v);
    };
    s.n_constraints = count(row.n_constraints, "n_constraints");
    s.n_init = count(row.n_init, "n_init");
    s.n_outputs = count(row.n_outputs, "n_outputs");
    s.strategy_options = row.strategy_options;
    s.settings = row.settings;
  } catch (const std::exception& e) {
    out.problem = "the stored study cannot be read: " + printable(e.what());
  }
  return out;
}

SearchSpace stored_space(std::int64_t study_id, const std::string& text) {
  try {
    return space_from_json_text(text);
  } catch (const Error& e) {
    throw StorageError("study " + std::to_string(study_id) + ": the stored search space cannot be read: " +
                       printable(e.what()));
  }
}

StudyRecord readable(StudyListing listing) {
  if (!listing.readable())
    throw StorageError("study '" + printable(listing.record.name) + "' (id " + std::to_string(listing.record.id) +
                       "): " + listing.problem);
  return std::move(listing.record);
}

std::vector<StoredTrial> new_trials(const std::vector<Trial>& trials, std::int64_t first_number, double now) {
  std::vector<StoredTrial> out;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    StoredTrial s;
    s.trial = trials[i];
    s.trial.number = first_number + static_cast<std::int64_t>(i);
    const bool finished = s.trial.state == TrialState::kComplete || s.trial.state == TrialState::kFailed;
    s.created_at = now;
    if (finished) s.finished_at = now;
    s.heartbeat = now;
    if (s.trial.state == TrialState::kFailed) s.fail_reason = "told";
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Trial> plain_trials(std::vector<StoredTrial> stored) {
  std::vector<Trial> out;
  out.reserve(stored.size());
  for (StoredTrial& s : stored) out.push_back(std::move(s.trial));
  return out;
}

void check_finish_state(TrialState state) {
  if (state != TrialState::kComplete && state != TrialState::kFailed)
    throw InvalidArgument("finish_trial: the new state must be complete or failed");
}

void check_report(std::int64_t trial_id, const std::string& state, double value) {
  if (!std::isfinite(value)) throw InvalidArgument("report: an intermediate value must be finite");
  if (state != "running")
    throw StateError("trial " + std::to_string(trial_id) + " is " + state + "; only a running trial reports values");
}

StateError reported_twice(std::int64_t trial_id, std::int64_t step) {
  return StateError("trial " + std::to_string(trial_id) + " already reported a value at step " + std::to_string(step));
}

void check_can_finish(std::int64_t trial_id, const std::string& state, const std::string& fail_reason) {
  const bool stale_failure = state == "failed" && fail_reason == "stale";
  if ((state == "complete" || state == "failed") && !stale_failure)
    throw StateError("trial " + std::to_string(trial_id) + " is already " + state + "; a trial is told once");
}

std::optional<std::string> told_fail_reason(TrialState state) {
  if (state == TrialState::kFailed) return std::string("told");
  return std::nullopt;
}

void check_running(std::int64_t trial_id, const std::string& state) {
  if (state != "running") throw StateError("trial " + std::to_string(trial_id) + " is " + state + ", not running");
}

void check_stale_timeout(double timeout_seconds) {
  if (!(timeout_seconds > 0)) throw InvalidArgument("fail_stale_trials: timeout must be > 0 seconds");
}

NotFound no_trial(std::int64_t trial_id) { return NotFound("this study has no trial " + std::to_string(trial_id)); }

NotFound no_study(std::int64_t study_id) { return NotFound("no study with id " + std::to_string(study_id)); }

}  // namespace boex::rows
