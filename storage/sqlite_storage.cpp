#include "storage/sqlite_storage.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/utf8.h"
#include "storage/sqlite_schema.h"
#include "storage/trial_rows.h"

namespace boex {

using nlohmann::json;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

const std::string kCountTrials = std::string(rows::kNextNumberSql) + "?";

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

const char* kTrialColumns =
    "id, number, state, params, value, constraints, outputs, created_at, finished_at, heartbeat, "
    "COALESCE(fail_reason, ''), objective_values, cost";

}  // namespace

SqliteStorage::SqliteStorage(const std::string& path, OpenMode mode)
    : memory_(path == ":memory:"), turns_(path) {
  const bool create = mode == OpenMode::kCreate || memory_;
  if (!memory_) {
    const std::filesystem::path p(path);
    std::error_code ec;
    const bool exists = std::filesystem::exists(p, ec);
    if (!create && !exists)
      throw NotFound("no database file '" + printable(path) + "'" + (ec ? " (" + ec.message() + ")" : std::string()) +
                     "; check the path, or create a study there first");
    if (create && p.has_parent_path()) {
      std::filesystem::create_directories(p.parent_path(), ec);
      if (ec)
        throw StorageError("cannot create the directory of '" + printable(path) + "': " + ec.message());
    }
    if (std::filesystem::is_directory(p, ec))
      throw StorageError("'" + printable(path) + "' is a directory, not a database file");
  }
  db_ = std::make_unique<sqlite::Db>(path, create);
  try {
    // Before anything writes (switching to WAL writes a header into an empty file).
    if (!create && sqlite::schema_version(*db_) == 0) throw NotFound("holds no boex database");
    // A process killed at any point leaves a consistent file in WAL mode; NORMAL sync keeps
    // every committed transaction across a process crash (only power loss could drop the latest).
    if (!memory_) db_->exec("PRAGMA journal_mode = WAL");
    db_->exec("PRAGMA synchronous = NORMAL");
    db_->exec("PRAGMA foreign_keys = ON");
    sqlite::ensure_schema(*db_, create);
  } catch (const SchemaError& e) {
    throw SchemaError("'" + printable(path) + "': " + e.what());
  } catch (const NotFound& e) {
    throw NotFound("'" + printable(path) + "' " + e.what());
  } catch (const StorageError& e) {
    throw StorageError("'" + printable(path) + "' is not a usable boex database: " + e.what());
  }
}

StudyRecord SqliteStorage::insert_study(const StudyRecord& study) {
  Statement exists(*db_, "SELECT id FROM studies WHERE name = ?");
  exists.bind(1, study.name);
  if (exists.step()) throw StateError("a study named '" + study.name + "' already exists");
  Statement insert(*db_,
                   "INSERT INTO studies (name, space, direction, strategy, seed, n_constraints, n_init, n_outputs, "
                   "strategy_options, settings, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, study.name)
      .bind(2, space_to_json(study.space).dump())
      .bind(3, to_string(study.direction))
      .bind(4, study.strategy)
      .bind(5, static_cast<std::int64_t>(study.seed))
      .bind(6, static_cast<std::int64_t>(study.n_constraints))
      .bind(7, static_cast<std::int64_t>(study.n_init))
      .bind(8, static_cast<std::int64_t>(study.n_outputs))
      .bind(9, study.strategy_options)
      .bind(10, study.settings.empty() ? std::string("{}") : study.settings)
      .bind(11, now_seconds())
      .run();
  StudyRecord out = study;
  out.id = db_->last_insert_rowid();
  for (const auto& [key, value] : study.attributes) {
    Statement attr(*db_, "INSERT INTO study_attributes (study_id, key, value) VALUES (?, ?, ?)");
    attr.bind(1, out.id).bind(2, key).bind(3, value).run();
  }
  spaces_.emplace(out.id, out.space);
  return out;
}

StudyRecord SqliteStorage::create_study(const StudyRecord& study) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  StudyRecord out = insert_study(study);
  tx.commit();
  return out;
}

StudyRecord SqliteStorage::import_study(const StudyRecord& study, const std::vector<StoredTrial>& trials,
                                        const std::vector<Params>& candidates) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  StudyRecord out = insert_study(study);
  for (const StoredTrial& t : trials) insert_trial(out.id, t);
  write_candidates(out.id, candidates);
  tx.commit();
  return out;
}

std::vector<StudyListing> SqliteStorage::select_studies(const std::string& where, const std::string& name) {
  std::vector<StudyListing> out;
  Transaction tx(*db_, /*immediate=*/false);  // studies and their attributes from one snapshot
  Statement q(*db_, "SELECT id, name, space, direction, strategy, seed, n_constraints, n_init, n_outputs, strategy_options, "
                    "settings FROM studies" + where + " ORDER BY id");
  if (!where.empty()) q.bind(1, name);
  while (q.step()) {
    rows::StudyText row;
    row.id = q.int64(0);
    row.name = q.text(1);
    row.space = q.text(2);
    row.direction = q.text(3);
    row.strategy = q.text(4);
    row.seed = q.int64(5);
    row.n_constraints = q.int64(6);
    row.n_init = q.int64(7);
    row.n_outputs = q.int64(8);
    row.strategy_options = q.text(9);
    row.settings = q.text(10);
    out.push_back(rows::parse_study(row));
  }
  for (StudyListing& s : out) {
    if (!s.readable()) continue;
    Statement attrs(*db_, "SELECT key, value FROM study_attributes WHERE study_id = ?");
    attrs.bind(1, s.record.id);
    while (attrs.step()) s.record.attributes[attrs.text(0)] = attrs.text(1);
    spaces_.emplace(s.record.id, s.record.space);
  }
  return out;
}

std::vector<StudyListing> SqliteStorage::studies() {
  std::lock_guard<std::mutex> lock(mutex_);
  return select_studies("", "");
}

std::optional<StudyRecord> SqliteStorage::find_study(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<StudyListing> found = select_studies(" WHERE name = ?", name);
  if (found.empty()) return std::nullopt;
  return rows::readable(std::move(found.front()));
}

void SqliteStorage::set_study_attribute(std::int64_t study_id, const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  space_of(study_id);  // NotFound for an unknown study
  Statement q(*db_, "INSERT OR REPLACE INTO study_attributes (study_id, key, value) VALUES (?, ?, ?)");
  q.bind(1, study_id).bind(2, key).bind(3, value).run();
  tx.commit();
}

const SearchSpace& SqliteStorage::space_of(std::int64_t study_id) {
  auto it = spaces_.find(study_id);
  if (it != spaces_.end()) return it->second;
  Statement q(*db_, "SELECT space FROM studies WHERE id = ?");
  q.bind(1, study_id);
  if (!q.step()) throw rows::no_study(study_id);
  return spaces_.emplace(study_id, rows::stored_space(study_id, q.text(0))).first->second;
}

std::vector<StoredTrial> SqliteStorage::select_trials(std::int64_t study_id, const std::string& where,
                                                     std::int64_t arg) {
  const SearchSpace& space = space_of(study_id);
  std::vector<StoredTrial> out;
  std::map<std::int64_t, std::size_t> index;
  Statement q(*db_, std::string("SELECT ") + kTrialColumns + " FROM trials WHERE study_id = ?" + where +
                        " ORDER BY number");
  q.bind(1, study_id);
  if (!where.empty()) q.bind(2, arg);
  while (q.step()) {
    rows::TrialText row;
    row.id = q.int64(0);
    row.number = q.int64(1);
    row.state = q.text(2);
    row.params = q.text(3);
    if (!q.is_null(4)) row.value = q.real(4);
    row.constraints = q.text(5);
    row.outputs = q.text(6);
    row.created_at = q.real(7);
    if (!q.is_null(8)) row.finished_at = q.real(8);
    row.heartbeat = q.real(9);
    row.fail_reason = q.text(10);
    row.values = q.text(11);
    if (!q.is_null(12)) row.cost = q.real(12);
    index[row.id] = out.size();
    out.push_back(rows::parse_trial(row, space));
  }
  if (out.empty()) return out;
  Statement attrs(*db_,
                  "SELECT a.trial_id, a.key, a.value FROM trial_attributes a JOIN trials t ON t.id = a.trial_id "
                  "WHERE t.study_id = ?");
  attrs.bind(1, study_id);
  while (attrs.step()) {
    auto it = index.find(attrs.int64(0));
    if (it != index.end()) out[it->second].trial.attributes[attrs.text(1)] = attrs.text(2);
  }
  Statement reports(*db_,
                    "SELECT r.trial_id, r.step, r.value FROM trial_reports r JOIN trials t ON t.id = r.trial_id "
                    "WHERE t.study_id = ?");
  reports.bind(1, study_id);
  while (reports.step()) {
    auto it = index.find(reports.int64(0));
    if (it != index.end()) out[it->second].trial.reports[reports.int64(1)] = reports.real(2);
  }
  return out;
}

std::vector<StoredTrial> SqliteStorage::stored_trials(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_, /*immediate=*/false);  // one consistent snapshot for trials + attributes
  return select_trials(study_id, "", 0);
}

std::vector<Trial> SqliteStorage::trials(std::int64_t study_id) { return rows::plain_trials(stored_trials(study_id)); }

Trial SqliteStorage::trial(std::int64_t study_id, std::int64_t trial_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_, false);
  std::vector<StoredTrial> found = select_trials(study_id, " AND id = ?", trial_id);
  if (found.empty()) throw rows::no_trial(trial_id);
  return found.front().trial;
}

std::int64_t SqliteStorage::count_trials(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement q(*db_, kCountTrials);
  q.bind(1, study_id);
  q.step();
  return q.int64(0);
}

std::int64_t SqliteStorage::insert_trial(std::int64_t study_id, const StoredTrial& stored) {
  const Trial& t = stored.trial;
  space_of(study_id).validate(t.params);
  Statement insert(*db_,
                   "INSERT INTO trials (study_id, number, state, params, value, constraints, outputs, created_at, "
                   "finished_at, heartbeat, fail_reason, objective_values, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, study_id)
      .bind(2, t.number)
      .bind(3, to_string(t.state))
      .bind(4, params_to_json(t.params).dump())
      .bind(5, t.value)
      .bind(6, rows::numbers_text(t.constraints))
      .bind(7, rows::numbers_text(t.outputs))
      .bind(8, stored.created_at)
      .bind(9, stored.finished_at)
      .bind(10, stored.heartbeat);
  insert.bind(11, stored.fail_reason.empty() ? std::nullopt : std::optional<std::string>(stored.fail_reason))
      .bind(12, rows::numbers_text(t.values))
      .bind(13, t.cost)
      .run();
  const std::int64_t id = db_->last_insert_rowid();
  for (const auto& [key, value] : t.attributes) {
    Statement attr(*db_, "INSERT INTO trial_attributes (trial_id, key, value) VALUES (?, ?, ?)");
    attr.bind(1, id).bind(2, key).bind(3, value).run();
  }
  for (const auto& [step, value] : t.reports) {
    Statement report(*db_, "INSERT INTO trial_reports (trial_id, step, value) VALUES (?, ?, ?)");
    report.bind(1, id).bind(2, step).bind(3, value).run();
  }
  return id;
}

std::vector<Trial> SqliteStorage::insert_trials(std::int64_t study_id, const std::vector<Trial>& trials,
                                                std::int64_t first_number) {
  std::vector<Trial> out;
  for (StoredTrial& s : rows::new_trials(trials, first_number, now_seconds())) {
    s.trial.id = insert_trial(study_id, s);
    out.push_back(std::move(s.trial));
  }
  return out;
}

std::int64_t SqliteStorage::next_number(std::int64_t study_id) {
  Statement q(*db_, kCountTrials);
  q.bind(1, study_id);
  q.step();
  return q.int64(0);
}

std::vector<Trial> SqliteStorage::add_trials_in_turn(std::int64_t study_id, std::int64_t since, const ChooseTrials& choose) {
  std::lock_guard<std::mutex> lock(mutex_);
  space_of(study_id);  // NotFound before anything waits
  const auto turn = memory_ ? std::nullopt : std::optional<FileTurns::Turn>(turns_.take(study_id));
  // Only a writer that takes no turn (an older boex on the same file) can add a trial between the
  // read and the insert; the choice is then made again with it.
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::vector<Trial> added;
    {
      Transaction read(*db_, /*immediate=*/false);
      added = rows::plain_trials(select_trials(study_id, " AND number >= ?", since));
    }
    const std::vector<Trial> chosen = choose(added);
    Transaction tx(*db_);
    const std::int64_t first = since + static_cast<std::int64_t>(added.size());
    if (next_number(study_id) != first) continue;
    std::vector<Trial> out = insert_trials(study_id, chosen, first);
    tx.commit();
    return out;
  }
  throw StorageError("add_trials_in_turn: trials keep being added to study " + std::to_string(study_id) +
                     " by a writer that takes no turns");
}

std::optional<std::vector<Trial>> SqliteStorage::add_trials(std::int64_t study_id, const std::vector<Trial>& trials,
                                                            std::int64_t expected_count) {
  std::lock_guard<std::mutex> lock(mutex_);
  space_of(study_id);
  const auto turn = memory_ ? std::nullopt : std::optional<FileTurns::Turn>(turns_.take(study_id));
  Transaction tx(*db_);
  if (next_number(study_id) != expected_count) return std::nullopt;
  std::vector<Trial> out = insert_trials(study_id, trials, expected_count);
  tx.commit();
  return out;
}

std::vector<Trial> SqliteStorage::append_trials(std::int64_t study_id, const std::vector<Trial>& trials) {
  std::lock_guard<std::mutex> lock(mutex_);
  space_of(study_id);
  const auto turn = memory_ ? std::nullopt : std::optional<FileTurns::Turn>(turns_.take(study_id));
  Transaction tx(*db_);
  std::vector<Trial> out = insert_trials(study_id, trials, next_number(study_id));
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
  std::vector<StoredTrial> waiting = select_trials(study_id, " AND state = 'waiting' AND number >= ?", 0);
  if (waiting.empty()) return std::nullopt;
  Trial t = waiting.front().trial;
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
  if (!q.step()) throw rows::no_trial(trial_id);
  *state = q.text(0);
  *fail_reason = q.text(1);
}

void SqliteStorage::finish_trial(std::int64_t study_id, std::int64_t trial_id, const TrialResult& result) {
  rows::check_finish_state(result.state);
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  std::string current, reason;
  require_trial(study_id, trial_id, &current, &reason);
  rows::check_can_finish(trial_id, current, reason);
  Statement q(*db_,
              "UPDATE trials SET state = ?, value = ?, constraints = ?, outputs = ?, objective_values = ?, cost = ?, "
              "finished_at = ?, fail_reason = ? WHERE id = ?");
  q.bind(1, to_string(result.state))
      .bind(2, result.value)
      .bind(3, rows::numbers_text(result.constraints))
      .bind(4, rows::numbers_text(result.outputs))
      .bind(5, rows::numbers_text(result.values))
      .bind(6, result.cost)
      .bind(7, now_seconds())
      .bind(8, rows::told_fail_reason(result.state))
      .bind(9, trial_id)
      .run();
  tx.commit();
}

void SqliteStorage::report(std::int64_t study_id, std::int64_t trial_id, std::int64_t step, double value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  std::string state, reason;
  require_trial(study_id, trial_id, &state, &reason);
  rows::check_report(trial_id, state, value);
  Statement q(*db_, "INSERT OR IGNORE INTO trial_reports (trial_id, step, value) VALUES (?, ?, ?)");
  q.bind(1, trial_id).bind(2, step).bind(3, value).run();
  if (db_->changes() == 0) throw rows::reported_twice(trial_id, step);
  tx.commit();
}

void SqliteStorage::write_candidates(std::int64_t study_id, const std::vector<Params>& candidates) {
  const SearchSpace& space = space_of(study_id);
  Statement clear(*db_, "DELETE FROM study_candidates WHERE study_id = ?");
  clear.bind(1, study_id).run();
  Statement insert(*db_, "INSERT INTO study_candidates (study_id, position, params) VALUES (?, ?, ?)");
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    space.validate(candidates[i]);
    insert.reset();
    insert.bind(1, study_id).bind(2, static_cast<std::int64_t>(i)).bind(3, params_to_json(candidates[i]).dump()).run();
  }
}

void SqliteStorage::set_candidates(std::int64_t study_id, const std::vector<Params>& candidates) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_);
  write_candidates(study_id, candidates);
  tx.commit();
}

std::vector<Params> SqliteStorage::candidates(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(*db_, false);
  const SearchSpace& space = space_of(study_id);
  Statement q(*db_, "SELECT params FROM study_candidates WHERE study_id = ? ORDER BY position");
  q.bind(1, study_id);
  std::vector<Params> out;
  while (q.step()) out.push_back(params_from_json(json::parse(q.text(0)), space));
  return out;
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
  rows::check_running(trial_id, state);
  Statement q(*db_, "UPDATE trials SET heartbeat = ? WHERE id = ?");
  q.bind(1, now_seconds()).bind(2, trial_id).run();
  tx.commit();
}

int SqliteStorage::fail_stale_trials(std::int64_t study_id, double timeout_seconds) {
  rows::check_stale_timeout(timeout_seconds);
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
