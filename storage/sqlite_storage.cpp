#include "storage/sqlite_storage.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/json_io.h"
#include "storage/sqlite_schema.h"

namespace boex {

using nlohmann::json;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

// Trial numbers are dense (0 .. n-1), so the count is one probe of the (study_id, number) index,
// where COUNT(*) would scan every trial of the study on every ask.
const char* kCountTrials = "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?";

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string numbers_text(const std::vector<double>& numbers) { return json(numbers).dump(); }

const char* kTrialColumns = "id, number, state, params, value, constraints, outputs";

}  // namespace

SqliteStorage::SqliteStorage(const std::string& path) {
  const bool memory = path == ":memory:";
  if (!memory) {
    const std::filesystem::path p(path);
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    if (std::filesystem::is_directory(p)) throw StorageError("'" + path + "' is a directory, not a database file");
  }
  db_ = std::make_unique<sqlite::Db>(path, /*create=*/true);
  try {
    // A process killed at any point leaves a consistent file in WAL mode; NORMAL sync keeps
    // every committed transaction across a process crash (only power loss could drop the latest).
    if (!memory) db_->exec("PRAGMA journal_mode = WAL");
    db_->exec("PRAGMA synchronous = NORMAL");
    db_->exec("PRAGMA foreign_keys = ON");
    sqlite::ensure_schema(*db_);
  } catch (const SchemaError&) {
    throw;
  } catch (const StorageError& e) {
    throw StorageError("'" + path + "' is not a usable boex database: " + e.what());
  }
}

StudyRecord SqliteStorage::create_study(const StudyRecord& study) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  Statement exists(*db_, "SELECT id FROM studies WHERE name = ?");
  exists.bind(1, study.name);
  if (exists.step()) throw StateError("a study named '" + study.name + "' already exists");
  Statement insert(*db_,
                   "INSERT INTO studies (name, space, direction, strategy, seed, n_constraints, n_init, n_outputs, "
                   "strategy_options, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, study.name)
      .bind(2, space_to_json(study.space).dump())
      .bind(3, to_string(study.direction))
      .bind(4, study.strategy)
      .bind(5, static_cast<std::int64_t>(study.seed))
      .bind(6, static_cast<std::int64_t>(study.n_constraints))
      .bind(7, static_cast<std::int64_t>(study.n_init))
      .bind(8, static_cast<std::int64_t>(study.n_outputs))
      .bind(9, study.strategy_options)
      .bind(10, now_seconds())
      .run();
  StudyRecord out = study;
  out.id = db_->last_insert_rowid();
  for (const auto& [key, value] : study.attributes) {
    Statement attr(*db_, "INSERT INTO study_attributes (study_id, key, value) VALUES (?, ?, ?)");
    attr.bind(1, out.id).bind(2, key).bind(3, value).run();
  }
  tx.commit();
  return out;
}

std::vector<StudyRecord> SqliteStorage::studies() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<StudyRecord> out;
  Statement q(*db_, "SELECT id, name, space, direction, strategy, seed, n_constraints, n_init, n_outputs, strategy_options "
                    "FROM studies "
                    "ORDER BY id");
  while (q.step()) {
    StudyRecord s;
    s.id = q.int64(0);
    s.name = q.text(1);
    s.space = space_from_json_text(q.text(2));
    s.direction = parse_direction(q.text(3));
    s.strategy = q.text(4);
    s.seed = static_cast<std::uint64_t>(q.int64(5));
    s.n_constraints = static_cast<int>(q.int64(6));
    s.n_init = static_cast<int>(q.int64(7));
    s.n_outputs = static_cast<int>(q.int64(8));
    s.strategy_options = q.text(9);
    out.push_back(std::move(s));
  }
  for (StudyRecord& s : out) {
    Statement attrs(*db_, "SELECT key, value FROM study_attributes WHERE study_id = ?");
    attrs.bind(1, s.id);
    while (attrs.step()) s.attributes[attrs.text(0)] = attrs.text(1);
    spaces_.emplace(s.id, s.space);
  }
  return out;
}

std::optional<StudyRecord> SqliteStorage::find_study(const std::string& name) {
  for (StudyRecord& s : studies())
    if (s.name == name) return std::move(s);
  return std::nullopt;
}

void SqliteStorage::set_study_attribute(std::int64_t study_id, const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  Statement q(*db_, "INSERT OR REPLACE INTO study_attributes (study_id, key, value) VALUES (?, ?, ?)");
  q.bind(1, study_id).bind(2, key).bind(3, value).run();
  tx.commit();
}

const SearchSpace& SqliteStorage::space_of(std::int64_t study_id) {
  auto it = spaces_.find(study_id);
  if (it != spaces_.end()) return it->second;
  Statement q(*db_, "SELECT space FROM studies WHERE id = ?");
  q.bind(1, study_id);
  if (!q.step()) throw NotFound("no study with id " + std::to_string(study_id));
  return spaces_.emplace(study_id, space_from_json_text(q.text(0))).first->second;
}

std::vector<Trial> SqliteStorage::select_trials(std::int64_t study_id, const std::string& where, std::int64_t arg) {
  const SearchSpace& space = space_of(study_id);
  std::vector<Trial> out;
  std::map<std::int64_t, std::size_t> index;
  Statement q(*db_, std::string("SELECT ") + kTrialColumns + " FROM trials WHERE study_id = ?" + where +
                        " ORDER BY number");
  q.bind(1, study_id);
  if (!where.empty()) q.bind(2, arg);
  while (q.step()) {
    Trial t;
    t.id = q.int64(0);
    t.number = q.int64(1);
    t.state = parse_trial_state(q.text(2));
    t.params = params_from_json(json::parse(q.text(3)), space);
    if (!q.is_null(4)) t.value = q.real(4);
    t.constraints = json::parse(q.text(5)).get<std::vector<double>>();
    t.outputs = json::parse(q.text(6)).get<std::vector<double>>();
    index[t.id] = out.size();
    out.push_back(std::move(t));
  }
  if (out.empty()) return out;
  Statement attrs(*db_,
                  "SELECT a.trial_id, a.key, a.value FROM trial_attributes a JOIN trials t ON t.id = a.trial_id "
                  "WHERE t.study_id = ?");
  attrs.bind(1, study_id);
  while (attrs.step()) {
    auto it = index.find(attrs.int64(0));
    if (it != index.end()) out[it->second].attributes[attrs.text(1)] = attrs.text(2);
  }
  return out;
}

std::vector<Trial> SqliteStorage::trials(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_, /*immediate=*/false);  // one consistent snapshot for trials + attributes
  return select_trials(study_id, "", 0);
}

Trial SqliteStorage::trial(std::int64_t study_id, std::int64_t trial_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_, false);
  std::vector<Trial> found = select_trials(study_id, " AND id = ?", trial_id);
  if (found.empty()) throw NotFound("study has no trial with id " + std::to_string(trial_id));
  return found.front();
}

std::int64_t SqliteStorage::count_trials(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement q(*db_, kCountTrials);
  q.bind(1, study_id);
  q.step();
  return q.int64(0);
}

std::vector<Trial> SqliteStorage::insert_trials(std::int64_t study_id, const std::vector<Trial>& trials,
                                                std::int64_t first_number) {
  const SearchSpace& space = space_of(study_id);
  std::vector<Trial> out;
  const double now = now_seconds();
  Statement insert(*db_,
                   "INSERT INTO trials (study_id, number, state, params, value, constraints, outputs, created_at, "
                   "finished_at, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < trials.size(); ++i) {
    Trial t = trials[i];
    space.validate(t.params);
    t.number = first_number + static_cast<std::int64_t>(i);
    const bool finished = t.state == TrialState::kComplete || t.state == TrialState::kFailed;
    insert.reset();
    insert.bind(1, study_id)
        .bind(2, t.number)
        .bind(3, to_string(t.state))
        .bind(4, params_to_json(t.params).dump())
        .bind(5, t.value)
        .bind(6, numbers_text(t.constraints))
        .bind(7, numbers_text(t.outputs))
        .bind(8, now)
        .bind(9, finished ? std::optional<double>(now) : std::nullopt)
        .bind(10, now)
        .run();
    t.id = db_->last_insert_rowid();
    for (const auto& [key, value] : t.attributes) {
      Statement attr(*db_, "INSERT INTO trial_attributes (trial_id, key, value) VALUES (?, ?, ?)");
      attr.bind(1, t.id).bind(2, key).bind(3, value).run();
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::optional<std::vector<Trial>> SqliteStorage::add_trials(std::int64_t study_id, const std::vector<Trial>& trials,
                                                            std::int64_t expected_count) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  Statement q(*db_, kCountTrials);
  q.bind(1, study_id);
  q.step();
  if (q.int64(0) != expected_count) return std::nullopt;
  std::vector<Trial> out = insert_trials(study_id, trials, expected_count);
  tx.commit();
  return out;
}

std::vector<Trial> SqliteStorage::append_trials(std::int64_t study_id, const std::vector<Trial>& trials) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  Statement q(*db_, kCountTrials);
  q.bind(1, study_id);
  q.step();
  std::vector<Trial> out = insert_trials(study_id, trials, q.int64(0));
  tx.commit();
  return out;
}

std::optional<Trial> SqliteStorage::claim_waiting(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  {
    // Most asks find no waiting trial: look without taking the write lock first.
    Statement any(*db_, "SELECT 1 FROM trials WHERE study_id = ? AND state = 'waiting' LIMIT 1");
    any.bind(1, study_id);
    if (!any.step()) return std::nullopt;
  }
  Transaction tx(*db_);
  std::vector<Trial> waiting = select_trials(study_id, " AND state = 'waiting' AND number >= ?", 0);
  if (waiting.empty()) return std::nullopt;
  Trial t = waiting.front();
  Statement q(*db_, "UPDATE trials SET state = 'running', heartbeat = ? WHERE id = ?");
  q.bind(1, now_seconds()).bind(2, t.id).run();
  tx.commit();
  t.state = TrialState::kRunning;
  return t;
}

void SqliteStorage::require_trial(std::int64_t study_id, std::int64_t trial_id, std::string* state,
                                  std::string* fail_reason) {
  Statement q(*db_, "SELECT state, fail_reason FROM trials WHERE id = ? AND study_id = ?");
  q.bind(1, trial_id).bind(2, study_id);
  if (!q.step()) throw NotFound("this study has no trial " + std::to_string(trial_id));
  *state = q.text(0);
  *fail_reason = q.text(1);
}

void SqliteStorage::finish_trial(std::int64_t study_id, std::int64_t trial_id, TrialState state,
                                 std::optional<double> value, const std::vector<double>& constraints,
                                 const std::vector<double>& outputs) {
  if (state != TrialState::kComplete && state != TrialState::kFailed)
    throw InvalidArgument("finish_trial: the new state must be complete or failed");
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  std::string current, reason;
  require_trial(study_id, trial_id, &current, &reason);
  // A trial failed only because its worker fell silent may still deliver its result.
  const bool stale_failure = current == "failed" && reason == "stale";
  if ((current == "complete" || current == "failed") && !stale_failure)
    throw StateError("trial " + std::to_string(trial_id) + " is already " + current + "; a trial is told once");
  Statement q(*db_,
              "UPDATE trials SET state = ?, value = ?, constraints = ?, outputs = ?, finished_at = ?, "
              "fail_reason = ? WHERE id = ?");
  q.bind(1, to_string(state))
      .bind(2, value)
      .bind(3, numbers_text(constraints))
      .bind(4, numbers_text(outputs))
      .bind(5, now_seconds());
  if (state == TrialState::kFailed)
    q.bind(6, std::string("told"));
  else
    q.bind_null(6);
  q.bind(7, trial_id).run();
  tx.commit();
}

void SqliteStorage::set_trial_attribute(std::int64_t study_id, std::int64_t trial_id, const std::string& key,
                                        const std::string& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  std::string state, reason;
  require_trial(study_id, trial_id, &state, &reason);
  Statement q(*db_, "INSERT OR REPLACE INTO trial_attributes (trial_id, key, value) VALUES (?, ?, ?)");
  q.bind(1, trial_id).bind(2, key).bind(3, value).run();
  tx.commit();
}

void SqliteStorage::heartbeat(std::int64_t study_id, std::int64_t trial_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  std::string state, reason;
  require_trial(study_id, trial_id, &state, &reason);
  if (state != "running") throw StateError("trial " + std::to_string(trial_id) + " is " + state + ", not running");
  Statement q(*db_, "UPDATE trials SET heartbeat = ? WHERE id = ?");
  q.bind(1, now_seconds()).bind(2, trial_id).run();
  tx.commit();
}

int SqliteStorage::fail_stale_trials(std::int64_t study_id, double timeout_seconds) {
  if (!(timeout_seconds > 0)) throw InvalidArgument("fail_stale_trials: timeout must be > 0 seconds");
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  const double now = now_seconds();
  Statement q(*db_,
              "UPDATE trials SET state = 'failed', finished_at = ?, fail_reason = 'stale' "
              "WHERE study_id = ? AND state = 'running' AND heartbeat < ?");
  q.bind(1, now).bind(2, study_id).bind(3, now - timeout_seconds).run();
  const int n = db_->changes();
  tx.commit();
  return n;
}

}  // namespace boex
