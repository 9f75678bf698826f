#include "storage/postgres_storage.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "core/errors.h"
#include "core/json_io.h"
#include "storage/postgres_schema.h"
#include "storage/trial_rows.h"

namespace boex {

using nlohmann::json;

namespace {

// A transaction the server rolled back for a serialisation failure or a deadlock wrote nothing
// and may run again; past this many attempts the study is too contended to keep trying.
constexpr int kMaxAttempts = 20;

// Losing the race for a number waits for the winner's commit, so retries do not spin; a writer
// that loses this often in a row gives up.
constexpr int kMaxAppendAttempts = 1000;

// Thrown inside a transaction when another writer added a trial first (add_trials: nullopt).
struct AddedFirst {};

// The first key of the advisory locks that are studies' turns ("turn").
constexpr int kTurnLockClass = 0x7475726e;

// The server's clock in the unit every backend stores (seconds since the epoch), so workers on
// machines whose clocks disagree still judge heartbeats alike.
const std::string kNow = "EXTRACT(EPOCH FROM now())::DOUBLE PRECISION";

// Trial columns, then the trial's attributes as one JSON object (NULL for none).
const std::string kTrialColumns =
    "t.id, t.number, t.state, t.params, t.value, t.constraints, t.outputs, t.created_at, t.finished_at, "
    "t.heartbeat, COALESCE(t.fail_reason, ''), t.objective_values, t.cost, ";
const std::string kAttributesOf = "json_object_agg(a.key, a.value)::TEXT";

const std::string kStudyColumns =
    "s.id, s.name, s.space, s.direction, s.strategy, s.seed, s.n_constraints, s.n_init, s.n_outputs, "
    "s.strategy_options, s.settings, (SELECT " + kAttributesOf + " FROM study_attributes a WHERE a.study_id = s.id)";
// A trial's reports as one JSON object {"step": value} (NULL for none).
const std::string kReportsOf = "json_object_agg(r.step, r.value)::TEXT";

// Every statement the backend runs, prepared once per connection.
const std::map<std::string, std::string>& statements() {
  static const std::map<std::string, std::string> all = {
      {"studies", "SELECT " + kStudyColumns + " FROM studies s ORDER BY s.id"},
      {"study_named", "SELECT " + kStudyColumns + " FROM studies s WHERE s.name = $1"},
      // A study's turn to add trials (storage.h): a lock of the transaction, released at its end or
      // when its connection dies; the two-key form keeps it apart from the schema lock.
      {"take_turn", "SELECT pg_advisory_xact_lock(" + std::to_string(kTurnLockClass) + ", ($1::BIGINT % 2147483647)::INTEGER)"},
      {"trials_since", "SELECT " + kTrialColumns + "(SELECT " + kAttributesOf +
                           " FROM trial_attributes a WHERE a.trial_id = t.id) FROM trials t WHERE t.study_id = $1 AND "
                           "t.number >= $2 ORDER BY t.number"},
      {"study_by_name", "SELECT id FROM studies WHERE name = $1"},
      {"study_space", "SELECT space FROM studies WHERE id = $1"},
      {"insert_study",
       "INSERT INTO studies (name, space, direction, strategy, seed, n_constraints, n_init, n_outputs, "
       "strategy_options, settings, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, " +
           kNow + ") RETURNING id"},
      {"set_study_attribute",
       "INSERT INTO study_attributes (study_id, key, value) VALUES ($1, $2, $3) "
       "ON CONFLICT (study_id, key) DO UPDATE SET value = EXCLUDED.value"},
      // One statement, so trials and attributes come from one snapshot; the attributes of the whole
      // study are grouped once rather than looked up trial by trial.
      {"trials", "SELECT " + kTrialColumns + "a.attributes, r.reports FROM trials t LEFT JOIN (SELECT a.trial_id, " +
                     kAttributesOf + " AS attributes FROM trial_attributes a JOIN trials s ON s.id = a.trial_id "
                     "WHERE s.study_id = $1 GROUP BY a.trial_id) a ON a.trial_id = t.id LEFT JOIN (SELECT r.trial_id, " +
                     kReportsOf + " AS reports FROM trial_reports r JOIN trials s ON s.id = r.trial_id "
                     "WHERE s.study_id = $1 GROUP BY r.trial_id) r ON r.trial_id = t.id WHERE t.study_id = $1 "
                     "ORDER BY t.number"},
      {"trial", "SELECT " + kTrialColumns + "(SELECT " + kAttributesOf +
                    " FROM trial_attributes a WHERE a.trial_id = t.id), (SELECT " + kReportsOf +
                    " FROM trial_reports r WHERE r.trial_id = t.id) FROM trials t WHERE t.study_id = $1 AND t.id = $2"},
      {"count_trials", std::string(rows::kNextNumberSql) + "$1"},
      // "Add only if the count is unchanged" without a lock: the row lands only as the study's
      // next number, and of two writers that read the same count, the second waits on the
      // (study_id, number) index until the first commits, then adds nothing (no error to log).
      {"add_trial",
       "INSERT INTO trials (study_id, number, state, params, value, constraints, outputs, created_at, "
       "finished_at, heartbeat, fail_reason) SELECT $1::BIGINT, $2::BIGINT, $3::TEXT, $4::TEXT, "
       "$5::DOUBLE PRECISION, $6::TEXT, $7::TEXT, " +
           kNow + ", CASE WHEN $8::BOOLEAN THEN " + kNow + " END, " + kNow + ", $9::TEXT WHERE (" +
           rows::kNextNumberSql + "$1) = $2 ON CONFLICT (study_id, number) DO NOTHING RETURNING id"},
      {"insert_trial",
       "INSERT INTO trials (study_id, number, state, params, value, constraints, outputs, created_at, "
       "finished_at, heartbeat, fail_reason, objective_values, cost) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
       "$11, $12, $13) RETURNING id"},
      {"insert_report", "INSERT INTO trial_reports (trial_id, step, value) VALUES ($1, $2, $3)"},
      {"add_report",
       "INSERT INTO trial_reports (trial_id, step, value) SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM trials "
       "WHERE id = $1 AND study_id = $4 AND state = 'running') ON CONFLICT (trial_id, step) DO NOTHING RETURNING step"},
      {"clear_candidates", "DELETE FROM study_candidates WHERE study_id = $1"},
      {"insert_candidate", "INSERT INTO study_candidates (study_id, position, params) VALUES ($1, $2, $3)"},
      {"candidates", "SELECT params FROM study_candidates WHERE study_id = $1 ORDER BY position"},
      {"set_trial_attribute",
       "INSERT INTO trial_attributes (trial_id, key, value) VALUES ($1, $2, $3) "
       "ON CONFLICT (trial_id, key) DO UPDATE SET value = EXCLUDED.value"},
      // Concurrent claimers skip each other's locked rows instead of queueing behind them.
      {"claim_waiting",
       "UPDATE trials SET state = 'running', heartbeat = " + kNow +
           " WHERE id = (SELECT id FROM trials WHERE study_id = $1 AND state = 'waiting' "
           "ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id"},
      {"trial_state", "SELECT state, COALESCE(fail_reason, '') FROM trials WHERE id = $1 AND study_id = $2"},
      // Telling and heartbeats are one statement each: the row changes only in a state that
      // allows it, and an unchanged row is explained afterwards (trial_state).
      {"finish_trial",
       "UPDATE trials SET state = $3, value = $4, constraints = $5, outputs = $6, objective_values = $8, cost = $9, "
       "finished_at = " + kNow + ", fail_reason = $7 WHERE id = $1 AND study_id = $2 AND " + rows::kCanFinishSql +
           " RETURNING id"},
      {"heartbeat",
       "UPDATE trials SET heartbeat = " + kNow + " WHERE id = $1 AND study_id = $2 AND state = 'running' RETURNING id"},
      {"fail_stale",
       "UPDATE trials SET state = 'failed', finished_at = " + kNow +
           ", fail_reason = 'stale' WHERE study_id = $1 AND state = 'running' AND heartbeat < " + kNow + " - $2"},
  };
  return all;
}

// libpq waits for an unreachable host as long as TCP does (minutes); a worker should hear sooner.
std::string with_connect_timeout(const std::string& url) {
  if (url.find("connect_timeout=") != std::string::npos) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=10";
}

// libpq's messages end in newlines and tabs that break a one-line JSON error.
std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::map<std::string, std::string> attributes_from(const pqxx::field& field) {
  if (field.is_null()) return {};
  return json::parse(field.as<std::string>()).get<std::map<std::string, std::string>>();
}

std::optional<double> optional_double(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<double>();
}

std::optional<std::string> optional_text(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

std::map<std::int64_t, double> reports_from(const pqxx::field& field) {
  std::map<std::int64_t, double> out;
  if (field.is_null()) return out;
  const json reports = json::parse(field.as<std::string>());  // named: items() refers into it
  for (const auto& [step, value] : reports.items()) out[std::stoll(step)] = value.get<double>();
  return out;
}

}  // namespace

struct PostgresStorage::Connection {
  explicit Connection(const std::string& url) : connection(url) {
    for (const auto& [name, sql] : statements()) connection.prepare(name, sql);
    // A worker's machine that vanishes (power, network) while it holds a study's turn would keep
    // the turn until the server noticed its dead connection, by default after two hours of
    // silence; the server probes this session's socket after 30 s instead. (A killed process
    // closes its socket and frees the turn at once.)
    pqxx::nontransaction tx(connection);
    tx.exec("SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3");
  }
  pqxx::connection connection;
  bool broken = false;  // lost mid-call: the next call connects afresh
};

void PostgresStorage::connect() {
  try {
    db_ = std::make_unique<Connection>(connect_url_);
  } catch (const pqxx::failure& e) {
    db_.reset();
    throw StorageError("cannot connect to " + url_ + ": " + one_line(e.what()));
  }
}

PostgresStorage::PostgresStorage(const std::string& url, OpenMode mode)
    : url_(masked_url(url)), connect_url_(with_connect_timeout(url)) {
  connect();
  try {
    postgres::ensure_schema(db_->connection, mode == OpenMode::kCreate);
  } catch (const SchemaError& e) {
    throw SchemaError(url_ + ": " + e.what());
  } catch (const NotFound& e) {
    throw NotFound(url_ + " " + e.what());
  } catch (const pqxx::failure& e) {
    throw StorageError(url_ + " is not a usable boex database: " + one_line(e.what()));
  }
}

PostgresStorage::~PostgresStorage() = default;

template <class Tx, class Body>
auto PostgresStorage::transact(const char* what, Body&& body) {
  thread_local std::minstd_rand jitter(std::random_device{}());
  if (!db_ || db_->broken) connect();
  for (int attempt = 1;; ++attempt) {
    try {
      Tx tx(db_->connection);
      auto out = body(tx);
      tx.commit();
      return out;
    } catch (const pqxx::transaction_rollback& e) {
      if (attempt == kMaxAttempts)
        throw StorageError(std::string(what) + " on " + url_ + " was rolled back " + std::to_string(kMaxAttempts) +
                           " times (serialisation failures or deadlocks): " + one_line(e.what()));
      // Contending writers back off by different, growing amounts so they stop colliding.
      const int cap_ms = std::min(100, 1 << std::min(attempt, 7));
      std::this_thread::sleep_for(std::chrono::milliseconds(1 + jitter() % cap_ms));
    } catch (const pqxx::broken_connection& e) {
      db_->broken = true;
      throw StorageError("lost the connection to " + url_ + " during " + what + ": " + one_line(e.what()));
    } catch (const pqxx::in_doubt_error& e) {
      db_->broken = true;
      throw StorageError("the connection to " + url_ + " broke while committing " + what +
                         "; the server may or may not have recorded it: " + one_line(e.what()));
    } catch (const pqxx::failure& e) {
      throw StorageError(std::string(what) + " failed on " + url_ + ": " + one_line(e.what()));
    }
  }
}

StudyRecord PostgresStorage::insert_study(pqxx::transaction_base& tx, const StudyRecord& study) {
  if (!tx.exec_prepared("study_by_name", study.name).empty())
    throw StateError("a study named '" + study.name + "' already exists");
  StudyRecord out = study;
  try {
    out.id = tx.exec_prepared1("insert_study", study.name, space_to_json(study.space).dump(),
                               to_string(study.direction), study.strategy, static_cast<std::int64_t>(study.seed),
                               study.n_constraints, study.n_init, study.n_outputs, study.strategy_options,
                               study.settings.empty() ? std::string("{}") : study.settings)[0]
                 .as<std::int64_t>();
  } catch (const pqxx::unique_violation&) {  // another writer took the name since the check
    throw StateError("a study named '" + study.name + "' already exists");
  }
  for (const auto& [key, value] : study.attributes) tx.exec_prepared0("set_study_attribute", out.id, key, value);
  return out;
}

StudyRecord PostgresStorage::create_study(const StudyRecord& study) {
  std::lock_guard<std::mutex> lock(mutex_);
  StudyRecord out = transact<pqxx::work>("create_study", [&](pqxx::work& tx) { return insert_study(tx, study); });
  spaces_.emplace(out.id, out.space);
  return out;
}

StudyRecord PostgresStorage::import_study(const StudyRecord& study, const std::vector<StoredTrial>& trials,
                                          const std::vector<Params>& candidates) {
  std::lock_guard<std::mutex> lock(mutex_);
  StudyRecord out = transact<pqxx::work>("import_study", [&](pqxx::work& tx) {
    StudyRecord created = insert_study(tx, study);
    spaces_.emplace(created.id, created.space);
    for (const StoredTrial& t : trials) insert_trial(tx, created.id, t);
    write_candidates(tx, created.id, candidates);
    return created;
  });
  return out;
}

std::vector<StudyListing> PostgresStorage::listings(const pqxx::result& result) {
  std::vector<StudyListing> out;
  for (const pqxx::row& row : result) {
    rows::StudyText text;
    text.id = row[0].as<std::int64_t>();
    text.name = row[1].as<std::string>();
    text.space = row[2].as<std::string>();
    text.direction = row[3].as<std::string>();
    text.strategy = row[4].as<std::string>();
    text.seed = row[5].as<std::int64_t>();
    text.n_constraints = row[6].as<std::int64_t>();
    text.n_init = row[7].as<std::int64_t>();
    text.n_outputs = row[8].as<std::int64_t>();
    text.strategy_options = row[9].as<std::string>();
    text.settings = row[10].as<std::string>();
    StudyListing s = rows::parse_study(text);
    if (s.readable()) {
      s.record.attributes = attributes_from(row[11]);
      spaces_.emplace(s.record.id, s.record.space);
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<StudyListing> PostgresStorage::studies() {
  std::lock_guard<std::mutex> lock(mutex_);
  return listings(transact<pqxx::nontransaction>(
      "studies", [&](pqxx::nontransaction& tx) { return tx.exec_prepared("studies"); }));
}

std::optional<StudyRecord> PostgresStorage::find_study(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<StudyListing> found = listings(transact<pqxx::nontransaction>(
      "find_study", [&](pqxx::nontransaction& tx) { return tx.exec_prepared("study_named", name); }));
  if (found.empty()) return std::nullopt;
  return rows::readable(std::move(found.front()));
}

const SearchSpace& PostgresStorage::space_of(pqxx::transaction_base& tx, std::int64_t study_id) {
  auto it = spaces_.find(study_id);
  if (it != spaces_.end()) return it->second;
  const pqxx::result r = tx.exec_prepared("study_space", study_id);
  if (r.empty()) throw rows::no_study(study_id);
  return spaces_.emplace(study_id, rows::stored_space(study_id, r[0][0].as<std::string>())).first->second;
}

void PostgresStorage::set_study_attribute(std::int64_t study_id, const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  transact<pqxx::work>("set_study_attribute", [&](pqxx::work& tx) {
    space_of(tx, study_id);  // NotFound for an unknown study
    tx.exec_prepared0("set_study_attribute", study_id, key, value);
    return 0;
  });
}

std::vector<StoredTrial> PostgresStorage::select_trials(pqxx::transaction_base& tx, std::int64_t study_id,
                                                        std::optional<std::int64_t> trial_id) {
  const SearchSpace& space = space_of(tx, study_id);
  // One statement: trials and their attributes come from one snapshot.
  return trials_from(trial_id ? tx.exec_prepared("trial", study_id, *trial_id) : tx.exec_prepared("trials", study_id),
                     space);
}

std::vector<StoredTrial> PostgresStorage::trials_from(const pqxx::result& result, const SearchSpace& space) {
  std::vector<StoredTrial> out;
  out.reserve(result.size());
  for (const pqxx::row& row : result) {
    rows::TrialText text;
    text.id = row[0].as<std::int64_t>();
    text.number = row[1].as<std::int64_t>();
    text.state = row[2].as<std::string>();
    text.params = row[3].as<std::string>();
    text.value = optional_double(row[4]);
    text.constraints = row[5].as<std::string>();
    text.outputs = row[6].as<std::string>();
    text.created_at = row[7].as<double>();
    text.finished_at = optional_double(row[8]);
    text.heartbeat = row[9].as<double>();
    text.fail_reason = row[10].as<std::string>();
    text.values = row[11].as<std::string>();
    text.cost = optional_double(row[12]);
    StoredTrial s = rows::parse_trial(text, space);
    s.trial.attributes = attributes_from(row[13]);
    s.trial.reports = reports_from(row[14]);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<StoredTrial> PostgresStorage::stored_trials(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return transact<pqxx::nontransaction>(
      "trials", [&](pqxx::nontransaction& tx) { return select_trials(tx, study_id, std::nullopt); });
}

std::vector<Trial> PostgresStorage::trials(std::int64_t study_id) { return rows::plain_trials(stored_trials(study_id)); }

Trial PostgresStorage::trial(std::int64_t study_id, std::int64_t trial_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<StoredTrial> found = transact<pqxx::nontransaction>(
      "trial", [&](pqxx::nontransaction& tx) { return select_trials(tx, study_id, trial_id); });
  if (found.empty()) throw rows::no_trial(trial_id);
  return found.front().trial;
}

std::int64_t PostgresStorage::count_trials(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return transact<pqxx::nontransaction>("count_trials", [&](pqxx::nontransaction& tx) {
    return tx.exec_prepared1("count_trials", study_id)[0].as<std::int64_t>();
  });
}

std::int64_t PostgresStorage::insert_trial(pqxx::transaction_base& tx, std::int64_t study_id, const StoredTrial& stored) {
  const Trial& t = stored.trial;
  space_of(tx, study_id).validate(t.params);
  const std::int64_t id =
      tx.exec_prepared1("insert_trial", study_id, t.number, to_string(t.state), params_to_json(t.params).dump(),
                        t.value, rows::numbers_text(t.constraints), rows::numbers_text(t.outputs), stored.created_at,
                        stored.finished_at, stored.heartbeat, optional_text(stored.fail_reason),
                        rows::numbers_text(t.values), t.cost)[0]
          .as<std::int64_t>();
  for (const auto& [key, value] : t.attributes) tx.exec_prepared0("set_trial_attribute", id, key, value);
  for (const auto& [step, value] : t.reports) tx.exec_prepared0("insert_report", id, step, value);
  return id;
}

void PostgresStorage::write_candidates(pqxx::transaction_base& tx, std::int64_t study_id,
                                       const std::vector<Params>& candidates) {
  const SearchSpace& space = space_of(tx, study_id);
  tx.exec_prepared0("clear_candidates", study_id);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    space.validate(candidates[i]);
    tx.exec_prepared0("insert_candidate", study_id, static_cast<std::int64_t>(i), params_to_json(candidates[i]).dump());
  }
}

void PostgresStorage::set_candidates(std::int64_t study_id, const std::vector<Params>& candidates) {
  std::lock_guard<std::mutex> lock(mutex_);
  transact<pqxx::work>("set_candidates", [&](pqxx::work& tx) {
    write_candidates(tx, study_id, candidates);
    return 0;
  });
}

std::vector<Params> PostgresStorage::candidates(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return transact<pqxx::nontransaction>("candidates", [&](pqxx::nontransaction& tx) {
    const SearchSpace& space = space_of(tx, study_id);
    std::vector<Params> out;
    for (const pqxx::row& row : tx.exec_prepared("candidates", study_id))
      out.push_back(params_from_json(json::parse(row[0].as<std::string>()), space));
    return out;
  });
}

std::vector<Trial> PostgresStorage::add_rows(pqxx::transaction_base& tx, std::int64_t study_id,
                                             const std::vector<Trial>& trials, std::int64_t first_number) {
  const SearchSpace& space = space_of(tx, study_id);
  std::vector<Trial> out;
  for (StoredTrial& s : rows::new_trials(trials, first_number, /*now: the server's*/ 0.0)) {
    const Trial& t = s.trial;
    space.validate(t.params);
    const pqxx::result added =
        tx.exec_prepared("add_trial", study_id, t.number, to_string(t.state), params_to_json(t.params).dump(), t.value,
                         rows::numbers_text(t.constraints), rows::numbers_text(t.outputs), s.finished_at.has_value(),
                         optional_text(s.fail_reason));
    if (added.empty()) throw AddedFirst{};
    s.trial.id = added[0][0].as<std::int64_t>();
    for (const auto& [key, value] : t.attributes) tx.exec_prepared0("set_trial_attribute", s.trial.id, key, value);
    out.push_back(std::move(s.trial));
  }
  return out;
}

void PostgresStorage::take_turn(pqxx::transaction_base& tx, std::int64_t study_id) {
  space_of(tx, study_id);  // NotFound before anything waits
  tx.exec_prepared("take_turn", study_id);
}

std::vector<Trial> PostgresStorage::add_trials_in_turn(std::int64_t study_id, std::int64_t since,
                                                       const ChooseTrials& choose) {
  std::lock_guard<std::mutex> lock(mutex_);
  return transact<pqxx::work>("add_trials_in_turn", [&](pqxx::work& tx) {
    take_turn(tx, study_id);
    // Only a writer that takes no turn (an older boex) can add a trial between the read and the
    // insert (which then adds nothing, AddedFirst); the choice is then made again with it. Each
    // statement of this READ COMMITTED transaction sees what committed before it.
    for (int attempt = 0; attempt < kMaxAppendAttempts; ++attempt) {
      const std::vector<Trial> added =
          rows::plain_trials(trials_from(tx.exec_prepared("trials_since", study_id, since), space_of(tx, study_id)));
      const std::vector<Trial> chosen = choose(added);
      try {
        return add_rows(tx, study_id, chosen, since + static_cast<std::int64_t>(added.size()));
      } catch (const AddedFirst&) {
      }
    }
    throw StorageError("add_trials_in_turn on " + url_ + ": trials keep being added by a writer that takes no turns");
  });
}

std::optional<std::vector<Trial>> PostgresStorage::add_trials(std::int64_t study_id, const std::vector<Trial>& trials,
                                                              std::int64_t expected_count) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    return transact<pqxx::work>("add_trials", [&](pqxx::work& tx) {
      take_turn(tx, study_id);
      return add_rows(tx, study_id, trials, expected_count);
    });
  } catch (const AddedFirst&) {
    return std::nullopt;
  }
}

std::vector<Trial> PostgresStorage::append_trials(std::int64_t study_id, const std::vector<Trial>& trials) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (int attempt = 0; attempt < kMaxAppendAttempts; ++attempt) {
    try {
      return transact<pqxx::work>("append_trials", [&](pqxx::work& tx) {
        take_turn(tx, study_id);
        return add_rows(tx, study_id, trials, tx.exec_prepared1("count_trials", study_id)[0].as<std::int64_t>());
      });
    } catch (const AddedFirst&) {  // a writer that takes no turns took the number: read again
    }
  }
  throw StorageError("append_trials on " + url_ + ": another writer took the next trial number " +
                     std::to_string(kMaxAppendAttempts) + " times in a row; the study is under heavy contention");
}

std::optional<Trial> PostgresStorage::claim_waiting(std::int64_t study_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  // One statement claims atomically; most asks find nothing waiting and write nothing.
  const pqxx::result claimed = transact<pqxx::nontransaction>(
      "claim_waiting", [&](pqxx::nontransaction& tx) { return tx.exec_prepared("claim_waiting", study_id); });
  if (claimed.empty()) return std::nullopt;
  const std::int64_t id = claimed[0][0].as<std::int64_t>();
  std::vector<StoredTrial> found = transact<pqxx::nontransaction>(
      "claim_waiting", [&](pqxx::nontransaction& tx) { return select_trials(tx, study_id, id); });
  return found.front().trial;
}

std::pair<std::string, std::string> PostgresStorage::trial_state(pqxx::transaction_base& tx, std::int64_t study_id,
                                                                 std::int64_t trial_id) {
  const pqxx::result r = tx.exec_prepared("trial_state", trial_id, study_id);
  if (r.empty()) throw rows::no_trial(trial_id);
  return {r[0][0].as<std::string>(), r[0][1].as<std::string>()};
}

void PostgresStorage::finish_trial(std::int64_t study_id, std::int64_t trial_id, const TrialResult& result) {
  rows::check_finish_state(result.state);
  std::lock_guard<std::mutex> lock(mutex_);
  transact<pqxx::nontransaction>("finish_trial", [&](pqxx::nontransaction& tx) {
    if (tx.exec_prepared("finish_trial", trial_id, study_id, to_string(result.state), result.value,
                         rows::numbers_text(result.constraints), rows::numbers_text(result.outputs),
                         rows::told_fail_reason(result.state), rows::numbers_text(result.values), result.cost)
            .empty()) {
      const auto [current, reason] = trial_state(tx, study_id, trial_id);  // NotFound
      rows::check_can_finish(trial_id, current, reason);                     // StateError
    }
    return 0;
  });
}

void PostgresStorage::report(std::int64_t study_id, std::int64_t trial_id, std::int64_t step, double value) {
  std::lock_guard<std::mutex> lock(mutex_);
  transact<pqxx::nontransaction>("report", [&](pqxx::nontransaction& tx) {
    if (!std::isfinite(value)) rows::check_report(trial_id, "running", value);  // InvalidArgument
    if (tx.exec_prepared("add_report", trial_id, step, value, study_id).empty()) {
      rows::check_report(trial_id, trial_state(tx, study_id, trial_id).first, value);  // NotFound, StateError
      throw rows::reported_twice(trial_id, step);
    }
    return 0;
  });
}

void PostgresStorage::set_trial_attribute(std::int64_t study_id, std::int64_t trial_id, const std::string& key,
                                          const std::string& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  transact<pqxx::work>("set_trial_attribute", [&](pqxx::work& tx) {
    trial_state(tx, study_id, trial_id);  // NotFound
    tx.exec_prepared0("set_trial_attribute", trial_id, key, value);
    return 0;
  });
}

void PostgresStorage::heartbeat(std::int64_t study_id, std::int64_t trial_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  transact<pqxx::nontransaction>("heartbeat", [&](pqxx::nontransaction& tx) {
    if (tx.exec_prepared("heartbeat", trial_id, study_id).empty())
      rows::check_running(trial_id, trial_state(tx, study_id, trial_id).first);
    return 0;
  });
}

int PostgresStorage::fail_stale_trials(std::int64_t study_id, double timeout_seconds) {
  rows::check_stale_timeout(timeout_seconds);
  std::lock_guard<std::mutex> lock(mutex_);
  return transact<pqxx::nontransaction>("fail_stale_trials", [&](pqxx::nontransaction& tx) {
    return static_cast<int>(tx.exec_prepared("fail_stale", study_id, timeout_seconds).affected_rows());
  });
}

}  // namespace boex
