// How every SQL backend keeps a trial in a row (parameters and number lists as JSON text, states
// by name) and the rules all of them apply when a trial changes state, so the backends agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.h"
#include "storage/storage.h"

namespace boex::rows {

// Trial numbers are dense (0 .. n-1), so a study's count is one probe of the (study_id, number)
// index, where COUNT(*) would scan every trial of the study on every ask.
constexpr const char* kNextNumberSql = "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ";

std::string numbers_text(const std::vector<double>& numbers);
std::vector<double> numbers_from_text(const std::string& text);

// The trial columns as text, as both backends read them back.
struct TrialText {
  std::int64_t id = -1, number = -1;
  std::string state, params, constraints, outputs, values, fail_reason;
  std::optional<double> value, cost, finished_at;
  double created_at = 0.0, heartbeat = 0.0;
};
// Throws StorageError naming the trial when the row does not read back (a damaged database).
StoredTrial parse_trial(const TrialText& row, const SearchSpace& space);

// The study columns as text, as both backends read them back (attributes apart).
struct StudyText {
  std::int64_t id = -1, seed = 0, n_constraints = 0, n_init = 0, n_outputs = 0;
  std::string name, space, direction, strategy, strategy_options, settings = "{}";
};
// The listing of one row: its record, or what makes it unreadable (StudyListing::problem).
StudyListing parse_study(const StudyText& row);
// A study's stored space (for its trials); StorageError naming the study when it does not read back.
SearchSpace stored_space(std::int64_t study_id, const std::string& text);
// The record of a listing; StorageError naming the study and its problem when it has one.
StudyRecord readable(StudyListing listing);

// `trials` as rows numbered first_number, first_number + 1 ..., created and alive at `now`.
std::vector<StoredTrial> new_trials(const std::vector<Trial>& trials, std::int64_t first_number, double now);
std::vector<Trial> plain_trials(std::vector<StoredTrial> stored);

// finish_trial's rules. The new state must be complete or failed (InvalidArgument); a trial is
// told once (StateError), except that one failed only because its worker fell silent may still
// deliver its result.
void check_finish_state(TrialState state);
// report's rules: a finite value (InvalidArgument), and a running trial (StateError).
void check_report(std::int64_t trial_id, const std::string& state, double value);
StateError reported_twice(std::int64_t trial_id, std::int64_t step);
void check_can_finish(std::int64_t trial_id, const std::string& state, const std::string& fail_reason);
// The same rule as a condition on a trials row, for a backend that tells in one UPDATE.
constexpr const char* kCanFinishSql = "(state IN ('running', 'waiting') OR (state = 'failed' AND fail_reason = 'stale'))";
// The fail_reason a told state is stored with ("told" for failed, none for complete).
std::optional<std::string> told_fail_reason(TrialState state);
// A heartbeat goes to running trials only (StateError).
void check_running(std::int64_t trial_id, const std::string& state);
void check_stale_timeout(double timeout_seconds);  // InvalidArgument unless > 0

NotFound no_trial(std::int64_t trial_id);
NotFound no_study(std::int64_t study_id);

}  // namespace boex::rows
