// The backend for workers on many machines: one PostgreSQL database on a server they all reach.
// Times come from the server's clock, so heartbeats compare across machines without clock skew.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "storage/storage.h"

namespace pqxx {
class transaction_base;
class result;
}

namespace boex {

class PostgresStorage final : public Storage {
 public:
  // url: postgresql://user:password@host:port/dbname (or postgres://, with any libpq URI
  // parameter; connect_timeout defaults to 10 s). Creates or migrates the schema. Throws
  // StorageError naming the URL, its password masked, when the server cannot be used. A call
  // during which the connection breaks (a server restart, a network cut) throws StorageError;
  // the next call connects again.
  // kExisting: NotFound, writing nothing, for a database without boex tables.
  explicit PostgresStorage(const std::string& url, OpenMode mode = OpenMode::kCreate);
  ~PostgresStorage() override;

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
  std::vector<StoredTrial> stored_trials(std::int64_t study_id) override;
  void set_candidates(std::int64_t study_id, const std::vector<Params>& candidates) override;
  std::vector<Params> candidates(std::int64_t study_id) override;
  StudyRecord import_study(const StudyRecord& study, const std::vector<StoredTrial>& trials,
                           const std::vector<Params>& candidates) override;

 private:
  struct Connection;  // keeps libpqxx out of this header
  void connect();
  // Runs body(transaction) in one transaction of type Tx, again when the server rolled it back
  // for a serialisation failure or deadlock (a bounded number of times); maps libpqxx's errors to
  // StorageError naming `what` and the URL.
  template <class Tx, class Body>
  auto transact(const char* what, Body&& body);
  const SearchSpace& space_of(pqxx::transaction_base& tx, std::int64_t study_id);
  std::vector<StoredTrial> select_trials(pqxx::transaction_base& tx, std::int64_t study_id,
                                         std::optional<std::int64_t> trial_id);
  std::vector<StoredTrial> trials_from(const pqxx::result& result, const SearchSpace& space);
  std::vector<StudyListing> listings(const pqxx::result& result);
  // Waits for the study's turn (storage.h) for the rest of the transaction; NotFound.
  void take_turn(pqxx::transaction_base& tx, std::int64_t study_id);
  StudyRecord insert_study(pqxx::transaction_base& tx, const StudyRecord& study);
  std::int64_t insert_trial(pqxx::transaction_base& tx, std::int64_t study_id, const StoredTrial& trial);
  void write_candidates(pqxx::transaction_base& tx, std::int64_t study_id, const std::vector<Params>& candidates);
  // Adds trials numbered from first_number, which must be the study's next number; throws
  // AddedFirst (postgres_storage.cpp) when another writer took it.
  std::vector<Trial> add_rows(pqxx::transaction_base& tx, std::int64_t study_id, const std::vector<Trial>& trials,
                              std::int64_t first_number);
  // The trial's state and fail reason; NotFound.
  std::pair<std::string, std::string> trial_state(pqxx::transaction_base& tx, std::int64_t study_id,
                                                  std::int64_t trial_id);

  std::mutex mutex_;  // one connection, used by one thread at a time
  std::string url_;   // password masked, for messages
  std::string connect_url_;
  std::unique_ptr<Connection> db_;
  std::map<std::int64_t, SearchSpace> spaces_;  // studies never change their space
};

}  // namespace boex
