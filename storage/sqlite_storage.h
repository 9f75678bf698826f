// The embedded default backend: one SQLite file (WAL mode, busy timeout, one transaction per
// write) that several processes and threads may share, or an in-memory database.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "storage/file_turns.h"
#include "storage/sqlite_handle.h"
#include "storage/storage.h"

namespace boex {

class SqliteStorage final : public Storage {
 public:
  // path: a file or ":memory:". kCreate makes a missing file with its directories; kExisting
  // throws NotFound, creating nothing, when there is no file or it holds no boex tables.
  explicit SqliteStorage(const std::string& path, OpenMode mode = OpenMode::kCreate);

  StudyRecord create_study(const StudyRecord& study) override;
  std::optional<StudyRecord> find_study(const std::string& name) override;
  std::vector<StudyListing> studies() override;
  void set_study_attribute(std::int64_t study_id, const std::string& key, const std::string& value) override;

  std::vector<Trial> trials(std::int64_t study_id) override;
  Trial trial(std::int64_t study_id, std::int64_t trial_id) override;
  std::int64_t count_trials(std::int64_t study_id) override;
  std::vector<Trial> add_trials_in_turn(std::int64_t study_id, std::int64_t since, const ChooseTrials& choose) override;
  std::optional<std::vector<Trial>> add_trials(std::int64_t study_id, const std::vector<Trial>& trials,
                                               std::int64_t expected_count) override;
  std::vector<Trial> append_trials(std::int64_t study_id, const std::vector<Trial>& trials) override;
  std::optional<Trial> claim_waiting(std::int64_t study_id) override;
  void finish_trial(std::int64_t study_id, std::int64_t trial_id, const TrialResult& result) override;
  void report(std::int64_t study_id, std::int64_t trial_id, std::int64_t step, double value) override;
  void set_trial_attribute(std::int64_t study_id, std::int64_t trial_id, const std::string& key,
                           const std::string& value) override;
  void heartbeat(std::int64_t study_id, std::int64_t trial_id) override;
  int fail_stale_trials(std::int64_t study_id, double timeout_seconds) override;
  void set_candidates(std::int64_t study_id, const std::vector<Params>& candidates) override;
  std::vector<Params> candidates(std::int64_t study_id) override;
  std::vector<StoredTrial> stored_trials(std::int64_t study_id) override;
  StudyRecord import_study(const StudyRecord& study, const std::vector<StoredTrial>& trials,
                           const std::vector<Params>& candidates) override;

 private:
  const SearchSpace& space_of(std::int64_t study_id);
  // Studies by one query ("" for all, or " WHERE ..." binding `name`), attributes included.
  std::vector<StudyListing> select_studies(const std::string& where, const std::string& name);
  StudyRecord insert_study(const StudyRecord& study);
  std::int64_t insert_trial(std::int64_t study_id, const StoredTrial& trial);  // returns its id
  std::vector<Trial> insert_trials(std::int64_t study_id, const std::vector<Trial>& trials, std::int64_t first_number);
  std::int64_t next_number(std::int64_t study_id);
  std::vector<StoredTrial> select_trials(std::int64_t study_id, const std::string& where, std::int64_t arg);
  void require_trial(std::int64_t study_id, std::int64_t trial_id, std::string* state, std::string* fail_reason);
  void write_candidates(std::int64_t study_id, const std::vector<Params>& candidates);

  std::mutex mutex_;  // one connection, used by one thread at a time
  std::unique_ptr<sqlite::Db> db_;
  bool memory_ = false;
  FileTurns turns_;  // unused for ":memory:", which no other connection sees
  std::map<std::int64_t, SearchSpace> spaces_;  // studies never change their space
};

}  // namespace boex
