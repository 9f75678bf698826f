// Where studies and their trials live. A backend persists StudyRecord and Trial values and makes
// every write one atomic, durable transaction, so that several processes can share a study and a
// crash never loses a result whose tell had returned. Backends know only core types.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/search_space.h"
#include "core/trial.h"

namespace boex {

struct StudyRecord {
  std::int64_t id = -1;
  std::string name;
  SearchSpace space;
  Direction direction = Direction::kMinimize;
  std::string strategy = "gp-logei";
  std::uint64_t seed = 0;
  int n_constraints = 0;
  int n_init = 0;  // 0: the strategy's automatic size
  int n_outputs = 0;  // measured outputs per trial of a composite study (0: the value itself)
  // The strategy's settings as a JSON object, complete with every default at creation, so the
  // study suggests the same way after a default changes. Empty for studies created before
  // schema 4: they use the defaults of that version.
  std::string strategy_options;
  // Study-level settings beyond the columns above, as a JSON object ("{}" when none); each
  // feature owns one key (several objectives, a cost model, ...). Schema 5.
  std::string settings = "{}";
  std::map<std::string, std::string> attributes;  // free-form, user-defined
};

// What finish_trial records: the new state (complete or failed) and what the experiment gave.
struct TrialResult {
  TrialState state = TrialState::kComplete;
  std::optional<double> value;
  std::vector<double> constraints;
  std::vector<double> outputs;
  std::vector<double> values;  // every objective, for studies of several
  std::optional<double> cost;  // a failed experiment may still have cost something
};

// One study as a listing shows it: the record, or why its stored row cannot be read (a corrupt
// space, a name that is not UTF-8 from an older boex), so that one bad row never hides the rest.
struct StudyListing {
  StudyRecord record;   // complete when `problem` is empty; otherwise only id and name are set
  std::string problem;  // "" when the row reads back
  bool readable() const { return problem.empty(); }
};

// A trial with the bookkeeping its backend keeps beside it, so a study can move between backends
// whole (copy_study). Times are seconds since the Unix epoch on the clock of whoever wrote them:
// the process for SQLite, the server for PostgreSQL.
struct StoredTrial {
  Trial trial;
  double created_at = 0.0;
  std::optional<double> finished_at;  // set once complete or failed
  double heartbeat = 0.0;             // last sign of life of a running trial
  std::string fail_reason;            // "told", "stale" (its worker fell silent) or "" when not failed
};

// Every backend serialises the calls on one Storage object (one connection behind a mutex), so
// threads may share it; threads that want to work in parallel open one each.
class Storage {
 public:
  virtual ~Storage() = default;

  // Throws StateError when a study of that name exists.
  virtual StudyRecord create_study(const StudyRecord& study) = 0;
  // nullopt for an unknown name; StorageError naming the problem when the study's row cannot be read.
  virtual std::optional<StudyRecord> find_study(const std::string& name) = 0;
  // Every study in creation order, unreadable ones with their problem.
  virtual std::vector<StudyListing> studies() = 0;
  virtual void set_study_attribute(std::int64_t study_id, const std::string& key, const std::string& value) = 0;

  // All trials of a study, by number. Reading is cheap enough to do before every ask.
  virtual std::vector<Trial> trials(std::int64_t study_id) = 0;
  // Throws NotFound for an id that is not a trial of this study.
  virtual Trial trial(std::int64_t study_id, std::int64_t trial_id) = 0;
  virtual std::int64_t count_trials(std::int64_t study_id) = 0;

  // Trials are added to a study in turns: one writer at a time per study (a lock that dies with
  // its holder's connection or process; it does not block tells, heartbeats, reads, or other
  // studies' turns on PostgreSQL), so numbers are assigned densely and whoever adds sees every
  // trial added before.
  //
  // In the study's turn, `choose` gets the trials numbered `since` and above as they are now (by
  // number; the caller read the ones below before) and returns trials to append, numbered from
  // since + their count; they are appended in one transaction and returned with ids and numbers.
  // This lets a worker fit its models outside the turn and choose its points inside it, seeing
  // every point the others added meanwhile: no work is redone and no pending point handed out
  // twice. `choose` must not call this Storage object; what it throws propagates, nothing added.
  using ChooseTrials = std::function<std::vector<Trial>(const std::vector<Trial>& added_since)>;
  virtual std::vector<Trial> add_trials_in_turn(std::int64_t study_id, std::int64_t since, const ChooseTrials& choose) = 0;
  // Appends trials (numbers assigned in order) only if the study still holds exactly
  // `expected_count` trials; returns nullopt when another writer added one first.
  virtual std::optional<std::vector<Trial>> add_trials(std::int64_t study_id, const std::vector<Trial>& trials,
                                                       std::int64_t expected_count) = 0;
  // Appends trials whatever the count (enqueued points, prior data).
  virtual std::vector<Trial> append_trials(std::int64_t study_id, const std::vector<Trial>& trials) = 0;
  // Atomically moves the oldest waiting trial to running and returns it; nullopt if none waits.
  virtual std::optional<Trial> claim_waiting(std::int64_t study_id) = 0;
  // running/waiting -> complete or failed. NotFound for an unknown id, StateError for a finished
  // trial; InvalidArgument for a state that is neither; nothing is written then.
  virtual void finish_trial(std::int64_t study_id, std::int64_t trial_id, const TrialResult& result) = 0;
  // An intermediate value of a running trial (a learning curve's point at `step`). NotFound for
  // an unknown trial; StateError for one that is not running or a step it already reported.
  virtual void report(std::int64_t study_id, std::int64_t trial_id, std::int64_t step, double value) = 0;
  virtual void set_trial_attribute(std::int64_t study_id, std::int64_t trial_id, const std::string& key,
                                   const std::string& value) = 0;

  // Liveness of running trials: a worker calls heartbeat while it evaluates; fail_stale marks
  // running trials silent for longer than timeout_seconds as failed and returns how many.
  // heartbeat throws NotFound for an unknown trial and StateError for one that is not running.
  virtual void heartbeat(std::int64_t study_id, std::int64_t trial_id) = 0;
  virtual int fail_stale_trials(std::int64_t study_id, double timeout_seconds) = 0;

  // The points a study may suggest from (its candidate pool, in order), replacing any before, in
  // one transaction; an empty pool means any point of the space. Each is checked against the space.
  virtual void set_candidates(std::int64_t study_id, const std::vector<Params>& candidates) = 0;
  virtual std::vector<Params> candidates(std::int64_t study_id) = 0;

  // Moving studies between backends: every trial with its bookkeeping, by number; and a new study
  // holding exactly such trials (numbers, states, times, reports kept; ids are the destination's)
  // and candidates, written in one transaction. import_study throws StateError, writing nothing,
  // when the name is taken.
  virtual std::vector<StoredTrial> stored_trials(std::int64_t study_id) = 0;
  virtual StudyRecord import_study(const StudyRecord& study, const std::vector<StoredTrial>& trials,
                                   const std::vector<Params>& candidates) = 0;
};

// Whether opening may create a database: kCreate makes a missing SQLite file (with its directories)
// and the boex tables in an empty database; kExisting, for commands that read or continue a study,
// writes nothing where there is no boex database and throws NotFound instead.
enum class OpenMode { kCreate, kExisting };

// "sqlite:///relative/path.db", "sqlite:////absolute/path.db", "sqlite::memory:", or
// "postgresql://user:password@host:port/dbname" (also postgres://, any libpq URI parameter).
// Throws InvalidArgument for an unknown scheme, NotFound (kExisting) where there is no boex
// database, StorageError/SchemaError for an unusable database or a build without PostgreSQL.
std::unique_ptr<Storage> open_storage(const std::string& url, OpenMode mode = OpenMode::kCreate);

// The URL with any password replaced by "***", fit for messages and logs.
std::string masked_url(const std::string& url);

}  // namespace boex
