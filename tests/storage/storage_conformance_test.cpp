// The contract of Storage (storage.h), proved on every backend: sqlite:/// files, sqlite::memory:
// and PostgreSQL (a database of its own per test on the server of scripts/with_postgres.sh).
// Sections that need a second connection skip sqlite::memory:, saying so.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <limits>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>
#include <type_traits>

#include "core/errors.h"
#include "support/dump.h"
#include "support/process.h"
#include "support/storage_backends.h"
#include "support/trial_results.h"
#include "support/workers.h"

using namespace boex;
using namespace boex::testing;

namespace {

SearchSpace mixed_space() {
  return SearchSpace({Parameter::Float("x", 0, 1), Parameter::Float("lr", 1e-5, 1e-1, /*log=*/true),
                      Parameter::Int("k", 1, 5), Parameter::Categorical("solvent", {"water", "ethanol", "dmso"})});
}

StudyRecord record(const std::string& name) {
  StudyRecord r;
  r.name = name;
  r.space = mixed_space();
  r.direction = Direction::kMaximize;
  r.strategy = "gp-qlognei";
  r.seed = 0xfedcba9876543210ULL;  // above 2^63: stored through a signed 64-bit column
  r.n_constraints = 2;
  r.n_init = 7;
  r.n_outputs = 3;
  r.strategy_options = R"({"surrogate":{"kernel":"rbf"},"optimizer":{"raw_samples":1024}})";
  r.settings = R"({"objectives":[{"direction":"minimize"},{"direction":"maximize","threshold":0.5}]})";
  r.attributes = {{"owner", "ana"}, {"instrument", "reactor 2"}};
  return r;
}

Trial point(double x, std::int64_t k = 2, TrialState state = TrialState::kRunning) {
  Trial t;
  t.state = state;
  t.params = {{"x", x}, {"lr", 1e-3}, {"k", k}, {"solvent", std::string("dmso")}};
  return t;
}

Trial add_one(Storage& storage, std::int64_t study, double x) {
  auto added = storage.add_trials(study, {point(x)}, storage.count_trials(study));
  REQUIRE(added);
  return added->front();
}

void check_same_study(const StudyRecord& a, const StudyRecord& b) {
  CHECK(a.name == b.name);
  CHECK(a.space == b.space);
  CHECK(a.direction == b.direction);
  CHECK(a.strategy == b.strategy);
  CHECK(a.seed == b.seed);
  CHECK(a.n_constraints == b.n_constraints);
  CHECK(a.n_init == b.n_init);
  CHECK(a.n_outputs == b.n_outputs);
  CHECK(a.strategy_options == b.strategy_options);
  CHECK(a.settings == b.settings);
  CHECK(a.attributes == b.attributes);
}

// Values whose shortest decimal forms differ in every digit a lossy conversion would drop.
const std::vector<double> kAwkward = {0.1, 1.0 / 3.0, -2.5e10, 1e-300, 3.141592653589793,
                                      std::nextafter(1.0, 2.0), 1.7976931348623157e308};

}  // namespace

TEMPLATE_TEST_CASE("a study and its trials round-trip with every field", "[conformance]", SqliteFile, SqliteMemory,
                   Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const StudyRecord created = storage->create_study(record("s"));
  const auto found = storage->find_study("s");
  REQUIRE(found);
  CHECK(found->id == created.id);
  check_same_study(*found, record("s"));

  Trial first = add_one(*storage, created.id, 0.25);
  CHECK(first.number == 0);
  CHECK(first.state == TrialState::kRunning);
  storage->finish_trial(created.id, first.id, told(TrialState::kComplete, 1.5, {-0.2, 0.3}, {3.0, 4.0, 5.0}));
  storage->set_trial_attribute(created.id, first.id, "operator", "ana");
  const Trial second = add_one(*storage, created.id, 0.75);
  CHECK(second.number == 1);

  const auto check_trials = [&](Storage& s) {
    const auto trials = s.trials(created.id);
    REQUIRE(trials.size() == 2);
    CHECK(trials[0].id == first.id);
    CHECK(trials[0].state == TrialState::kComplete);
    CHECK(*trials[0].value == 1.5);
    CHECK(trials[0].constraints == std::vector<double>{-0.2, 0.3});
    CHECK(trials[0].outputs == std::vector<double>{3.0, 4.0, 5.0});
    CHECK(trials[0].params == point(0.25).params);
    CHECK(std::get<std::int64_t>(trials[0].params.at("k")) == 2);
    CHECK(trials[0].attributes == std::map<std::string, std::string>{{"operator", "ana"}});
    CHECK(trials[1].state == TrialState::kRunning);
    CHECK_FALSE(trials[1].value);
    CHECK(s.trial(created.id, second.id).params == point(0.75).params);
    CHECK(s.count_trials(created.id) == 2);
  };
  check_trials(*storage);
  if (!TestType::kShared) return skip_rest("reopening sqlite::memory: gives a new database");
  auto reopened = open_storage(backend.url());
  check_same_study(*reopened->find_study("s"), record("s"));
  check_trials(*reopened);
  CHECK(dump(*reopened) == dump(*storage));
}

TEMPLATE_TEST_CASE("a study name is taken once; a second create is a StateError that writes nothing",
                   "[conformance]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  storage->create_study(record("a"));
  const std::string before = dump(*storage);
  StudyRecord other = record("a");
  other.strategy = "random";
  CHECK_THROWS_AS(storage->create_study(other), StateError);
  CHECK(dump(*storage) == before);
}

TEMPLATE_TEST_CASE("studies lists every study in creation order and find_study misses unknown names",
                   "[conformance]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  CHECK(storage->studies().empty());
  for (const char* name : {"zeta", "alpha", "mid"}) storage->create_study(record(name));
  std::vector<std::string> names;
  for (const StudyListing& s : storage->studies()) names.push_back(s.record.name);
  CHECK(names == std::vector<std::string>{"zeta", "alpha", "mid"});
  CHECK_FALSE(storage->find_study("nope"));
  CHECK_THROWS_AS(storage->trials(987654), NotFound);
}

TEMPLATE_TEST_CASE("add_trials lands only while the count is unchanged and numbers a batch densely", "[conformance]",
                   SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("a")).id;
  REQUIRE(storage->add_trials(id, {point(0.1)}, 0));
  const std::string before = dump(*storage);
  CHECK_FALSE(storage->add_trials(id, {point(0.2)}, 0));  // another writer added one since count 0
  CHECK_FALSE(storage->add_trials(id, {point(0.2)}, 2));
  CHECK(dump(*storage) == before);
  const auto batch = storage->add_trials(id, {point(0.3), point(0.4), point(0.5)}, 1);
  REQUIRE(batch);
  CHECK((*batch)[0].number == 1);
  CHECK((*batch)[2].number == 3);
  CHECK(storage->count_trials(id) == 4);
  // A parameter outside the space is refused whole.
  CHECK_THROWS_AS(storage->add_trials(id, {point(0.6), point(7.0)}, 4), InvalidArgument);
  CHECK(storage->count_trials(id) == 4);
  CHECK_THROWS_AS(storage->add_trials(987654, {point(0.3)}, 0), NotFound);
}

TEMPLATE_TEST_CASE("append_trials adds after the last trial whatever the count, in any state", "[conformance]",
                   SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("a")).id;
  add_one(*storage, id, 0.1);
  Trial measured = point(0.2, 3, TrialState::kComplete);
  measured.value = 2.5;
  measured.constraints = {-1.0, -2.0};
  measured.attributes = {{"source", "notebook"}};
  const auto appended = storage->append_trials(id, {point(0.3, 4, TrialState::kWaiting), measured});
  REQUIRE(appended.size() == 2);
  CHECK(appended[0].number == 1);
  CHECK(appended[1].number == 2);
  const auto trials = storage->trials(id);
  REQUIRE(trials.size() == 3);
  CHECK(trials[1].state == TrialState::kWaiting);
  CHECK(trials[2].state == TrialState::kComplete);
  CHECK(*trials[2].value == 2.5);
  CHECK(trials[2].attributes.at("source") == "notebook");
}

TEMPLATE_TEST_CASE("finish_trial tells a trial once; unknown and told trials are refused, writing nothing",
                   "[conformance]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("a")).id;
  const auto other = storage->create_study(record("b")).id;
  const Trial done = add_one(*storage, id, 0.1);
  const Trial failed = add_one(*storage, id, 0.2);
  const Trial elsewhere = add_one(*storage, other, 0.3);
  storage->finish_trial(id, done.id, told(TrialState::kComplete, 1.0, {0.0, 0.0}, {}));
  storage->finish_trial(id, failed.id, told(TrialState::kFailed, std::nullopt, {}, {}));
  CHECK(storage->trial(id, failed.id).state == TrialState::kFailed);
  const std::string before = dump(*storage);
  CHECK_THROWS_AS(storage->finish_trial(id, done.id, told(TrialState::kComplete, 2.0, {}, {})), StateError);
  CHECK_THROWS_AS(storage->finish_trial(id, failed.id, told(TrialState::kComplete, 2.0, {}, {})), StateError);
  CHECK_THROWS_AS(storage->finish_trial(id, 987654, told(TrialState::kComplete, 2.0, {}, {})), NotFound);
  // A trial of another study is not found through this one.
  CHECK_THROWS_AS(storage->finish_trial(id, elsewhere.id, told(TrialState::kComplete, 2.0, {}, {})), NotFound);
  CHECK_THROWS_AS(storage->trial(id, elsewhere.id), NotFound);
  CHECK_THROWS_AS(storage->heartbeat(id, elsewhere.id), NotFound);
  CHECK_THROWS_AS(storage->set_trial_attribute(id, elsewhere.id, "k", "v"), NotFound);
  CHECK_THROWS_AS(storage->finish_trial(id, elsewhere.id, told(TrialState::kRunning, 2.0, {}, {})), InvalidArgument);
  CHECK(dump(*storage) == before);
}

TEMPLATE_TEST_CASE("attributes of studies and trials are set and overwritten; unknown owners are NotFound",
                   "[conformance]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("a")).id;
  const Trial t = add_one(*storage, id, 0.1);
  storage->set_study_attribute(id, "owner", "ben");
  storage->set_study_attribute(id, "notes", "ünïcode, 'quotes' and \"json\" {\"x\": 1}");
  storage->set_trial_attribute(id, t.id, "batch", "1");
  storage->set_trial_attribute(id, t.id, "batch", "2");
  const auto study = storage->find_study("a");
  CHECK(study->attributes.at("owner") == "ben");
  CHECK(study->attributes.at("instrument") == "reactor 2");
  CHECK(study->attributes.at("notes") == "ünïcode, 'quotes' and \"json\" {\"x\": 1}");
  CHECK(storage->trial(id, t.id).attributes == std::map<std::string, std::string>{{"batch", "2"}});
  const std::string before = dump(*storage);
  CHECK_THROWS_AS(storage->set_study_attribute(987654, "k", "v"), NotFound);
  CHECK_THROWS_AS(storage->set_trial_attribute(id, 987654, "k", "v"), NotFound);
  CHECK(dump(*storage) == before);
}

TEMPLATE_TEST_CASE("claim_waiting hands out waiting trials oldest first, each once", "[conformance]", SqliteFile,
                   SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("a")).id;
  CHECK_FALSE(storage->claim_waiting(id));
  add_one(*storage, id, 0.1);
  storage->append_trials(id, {point(0.2, 1, TrialState::kWaiting), point(0.3, 2, TrialState::kWaiting)});
  const auto first = storage->claim_waiting(id);
  REQUIRE(first);
  CHECK(first->number == 1);
  CHECK(first->state == TrialState::kRunning);
  CHECK(first->params == point(0.2, 1).params);
  CHECK(storage->trial(id, first->id).state == TrialState::kRunning);
  const auto second = storage->claim_waiting(id);
  REQUIRE(second);
  CHECK(second->number == 2);
  CHECK_FALSE(storage->claim_waiting(id));
}

TEMPLATE_TEST_CASE("a silent running trial is failed as stale, a live one is not, and a stale one may still be told",
                   "[conformance]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("a")).id;
  const Trial silent = add_one(*storage, id, 0.1);
  const Trial live = add_one(*storage, id, 0.2);
  storage->append_trials(id, {point(0.3, 1, TrialState::kWaiting)});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  storage->heartbeat(id, live.id);
  CHECK(storage->fail_stale_trials(id, 1.0) == 1);
  const auto stored = storage->stored_trials(id);
  CHECK(stored[0].trial.state == TrialState::kFailed);
  CHECK(stored[0].fail_reason == "stale");
  CHECK(stored[1].trial.state == TrialState::kRunning);
  CHECK(stored[1].heartbeat > stored[1].created_at + 1.0);
  CHECK(stored[2].trial.state == TrialState::kWaiting);  // never handed out: nobody to fall silent
  CHECK(storage->fail_stale_trials(id, 1.0) == 0);
  // The worker was only slow: its result still counts, once.
  storage->finish_trial(id, silent.id, told(TrialState::kComplete, 0.5, {-1.0, -1.0}, {}));
  CHECK(*storage->trial(id, silent.id).value == 0.5);
  CHECK_THROWS_AS(storage->finish_trial(id, silent.id, told(TrialState::kComplete, 0.5, {}, {})), StateError);
  CHECK_THROWS_AS(storage->heartbeat(id, silent.id), StateError);
  CHECK_THROWS_AS(storage->heartbeat(id, 987654), NotFound);
  CHECK_THROWS_AS(storage->fail_stale_trials(id, 0.0), InvalidArgument);
  // A trial told as failed stays failed.
  storage->finish_trial(id, live.id, told(TrialState::kFailed, std::nullopt, {}, {}));
  CHECK(storage->stored_trials(id)[1].fail_reason == "told");
  CHECK_THROWS_AS(storage->finish_trial(id, live.id, told(TrialState::kComplete, 0.5, {}, {})), StateError);
}

TEMPLATE_TEST_CASE("values, constraints and outputs round-trip bit for bit", "[conformance]", SqliteFile,
                   SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("a")).id;
  std::vector<std::int64_t> ids;
  for (double v : kAwkward) {
    const Trial t = add_one(*storage, id, 0.5);
    storage->finish_trial(id, t.id, told(TrialState::kComplete, v, {v, -v}, {v, 0.5 * v, 0.1}));
    ids.push_back(t.id);
  }
  const auto check = [&](Storage& s) {
    const auto trials = s.trials(id);
    REQUIRE(trials.size() == kAwkward.size());
    for (std::size_t i = 0; i < kAwkward.size(); ++i) {
      INFO(kAwkward[i]);
      CHECK(*trials[i].value == kAwkward[i]);
      CHECK(trials[i].constraints == std::vector<double>{kAwkward[i], -kAwkward[i]});
      CHECK(trials[i].outputs == std::vector<double>{kAwkward[i], 0.5 * kAwkward[i], 0.1});
    }
    const double x = std::get<double>(trials[0].params.at("x"));
    CHECK(x == 0.5);
  };
  check(*storage);
  if (!TestType::kShared) return skip_rest("reopening sqlite::memory: gives a new database");
  check(*open_storage(backend.url()));
}

TEMPLATE_TEST_CASE("threads sharing one Storage object never share a trial and never lose a tell", "[conformance]",
                   SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("a")).id;
  for (int i = 0; i < 20; ++i) storage->append_trials(id, {point(0.01 * i, 1, TrialState::kWaiting)});
  std::vector<std::map<std::int64_t, double>> told(4);
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      try {
        for (int i = 0; i < 10; ++i) {
          // Alternately claim a waiting trial and add a new one.
          std::optional<Trial> t = i % 2 ? storage->claim_waiting(id) : std::nullopt;
          if (!t) {
            std::optional<std::vector<Trial>> added;
            while (!added) added = storage->add_trials(id, {point(0.5 + 0.001 * (10 * w + i))}, storage->count_trials(id));
            t = added->front();
          }
          const double value = w + 0.01 * i;
          storage->finish_trial(id, t->id, boex::testing::told(TrialState::kComplete, value));
          told[w][t->id] = value;
        }
      } catch (...) {
        ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors == 0);
  std::map<std::int64_t, double> all;
  for (const auto& lines : told)
    for (const auto& [trial, value] : lines) CHECK(all.emplace(trial, value).second);
  CHECK(all.size() == 40);
  const auto trials = storage->trials(id);
  for (std::size_t i = 0; i < trials.size(); ++i) CHECK(trials[i].number == static_cast<std::int64_t>(i));
  for (const auto& [trial, value] : all) CHECK(*storage->trial(id, trial).value == value);
}

TEMPLATE_TEST_CASE("worker processes never share a trial and never lose a tell", "[conformance][processes]",
                   SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("second process")) return;
  TestType backend;
  std::int64_t id;
  {
    auto storage = open_storage(backend.url());
    id = storage->create_study(record("shared")).id;
    for (int i = 0; i < 40; ++i) storage->append_trials(id, {point(0.02 * i, 1, TrialState::kWaiting)});
  }
  // Four workers add trials under the optimistic rule while four claim the waiting ones.
  constexpr int kWorkers = 8, kAdds = 30;
  std::vector<pid_t> pids;
  std::vector<TempPath> outs(kWorkers), errs(kWorkers);
  for (int w = 0; w < kWorkers; ++w) {
    const char* mode = w % 2 ? "claim" : "add";
    pids.push_back(spawn({BOEX_STORAGE_WORKER, backend.url(), "shared", mode, std::to_string(kAdds), std::to_string(w)},
                         outs[w].path(), errs[w].path()));
  }
  std::map<std::int64_t, double> told;
  for (int w = 0; w < kWorkers; ++w) {
    INFO(slurp(errs[w].path()));
    CHECK(wait_for(pids[w]) == 0);
    const auto lines = told_lines(slurp(outs[w].path()));
    if (w % 2 == 0) CHECK(lines.size() == kAdds);
    for (const auto& [trial, value] : lines) CHECK(told.emplace(trial, value).second);  // no trial went to two
  }
  auto storage = open_storage(backend.url());
  const auto trials = storage->trials(id);
  CHECK(trials.size() == 40 + kAdds * kWorkers / 2);
  CHECK(told.size() == trials.size());  // every waiting trial claimed, every trial told
  for (std::size_t i = 0; i < trials.size(); ++i) {
    CHECK(trials[i].number == static_cast<std::int64_t>(i));
    CHECK(trials[i].state == TrialState::kComplete);
    REQUIRE(told.count(trials[i].id));
    CHECK(*trials[i].value == told.at(trials[i].id));
  }
}

TEMPLATE_TEST_CASE("a database of a newer schema is refused and left untouched", "[conformance][schema]", SqliteFile,
                   SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("schema to edit from outside")) return;
  TestType backend;
  {
    auto storage = open_storage(backend.url());
    const auto id = storage->create_study(record("a")).id;
    add_one(*storage, id, 0.1);
  }
  backend.exec("UPDATE boex_meta SET value = '99' WHERE key = 'schema_version'");
  CHECK_THROWS_AS(open_storage(backend.url()), SchemaError);
  CHECK_THROWS_WITH(open_storage(backend.url()),
                    Catch::Matchers::Contains("newer") && Catch::Matchers::Contains("upgrade boex"));
  CHECK(backend.query("SELECT value FROM boex_meta WHERE key = 'schema_version'") == "99");
  CHECK(backend.query("SELECT COUNT(*) FROM trials") == "1");
}

TEMPLATE_TEST_CASE("a database of foreign tables is refused as not a boex database and left untouched",
                   "[conformance][schema]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("schema to edit from outside")) return;
  TestType backend;
  backend.exec("CREATE TABLE samples (id INTEGER)");
  CHECK_THROWS_AS(open_storage(backend.url()), SchemaError);
  CHECK_FALSE(backend.table_exists("boex_meta"));
  CHECK(backend.table_exists("samples"));
}

TEMPLATE_TEST_CASE("a version-1 database is migrated forward and keeps its data", "[conformance][schema]",
                   SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("schema to build from outside")) return;
  TestType backend;
  backend.exec(TestType::schema_sql(1));
  backend.exec(R"sql(
    INSERT INTO studies (name, space, direction, strategy, seed, n_constraints, n_init, created_at)
      VALUES ('old', '{"parameters":[{"name":"x","type":"float","low":0,"high":1}]}', 'minimize', 'gp-logei', 3, 0, 0, 100);
    INSERT INTO trials (study_id, number, state, params, value, constraints, created_at, finished_at)
      VALUES ((SELECT id FROM studies WHERE name = 'old'), 0, 'complete', '{"x":0.25}', 1.5, '[]', 100, 101),
             ((SELECT id FROM studies WHERE name = 'old'), 1, 'running', '{"x":0.75}', NULL, '[]', 102, NULL);)sql");
  auto storage = open_storage(backend.url());
  CHECK(backend.query("SELECT value FROM boex_meta WHERE key = 'schema_version'") ==
        std::to_string(TestType::kSchemaVersion));
  const auto study = storage->find_study("old");
  REQUIRE(study);
  CHECK(study->seed == 3);
  const auto stored = storage->stored_trials(study->id);
  REQUIRE(stored.size() == 2);
  CHECK(*stored[0].trial.value == 1.5);
  CHECK(stored[1].trial.state == TrialState::kRunning);
  CHECK(stored[1].heartbeat == 102);  // version 2: a trial's first heartbeat is its creation
  // What version 2 added works on the migrated database: attributes, heartbeats.
  storage->set_trial_attribute(study->id, stored[1].trial.id, "operator", "ana");
  storage->heartbeat(study->id, stored[1].trial.id);
  CHECK(storage->trial(study->id, stored[1].trial.id).attributes.at("operator") == "ana");
  // Version 3: measured outputs, none on the old trials.
  CHECK(study->n_outputs == 0);
  CHECK(stored[0].trial.outputs.empty());
  storage->finish_trial(study->id, stored[1].trial.id, told(TrialState::kComplete, 0.5, {}, {120.0, 0.25}));
  CHECK(storage->trial(study->id, stored[1].trial.id).outputs == std::vector<double>{120.0, 0.25});
  // Version 4: strategy settings; an old study has none stored (it uses version 4's defaults).
  CHECK(study->strategy_options.empty());
  // A second open finds the current version and changes nothing.
  const std::string before = dump(*storage);
  CHECK(dump(*open_storage(backend.url())) == before);
}

TEMPLATE_TEST_CASE("import_study recreates a study with its trials' states, times and attributes", "[conformance]",
                   SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  std::vector<StoredTrial> trials(4);
  const std::vector<TrialState> states = {TrialState::kComplete, TrialState::kFailed, TrialState::kRunning,
                                          TrialState::kWaiting};
  for (int i = 0; i < 4; ++i) {
    StoredTrial& s = trials[i];
    s.trial = point(0.1 * i, 1 + i, states[i]);
    s.trial.number = i;
    s.created_at = 1.7e9 + i + 0.125;
    s.heartbeat = 1.7e9 + i + 0.5;
    if (i < 2) s.finished_at = 1.7e9 + i + 0.75;
    s.fail_reason = i == 1 ? "stale" : "";
    s.trial.attributes = {{"i", std::to_string(i)}};
  }
  trials[0].trial.value = 4.25;
  trials[0].trial.constraints = {-1.0, 0.5};
  trials[0].trial.outputs = {1.0, 2.0, 3.0};
  const StudyRecord imported = storage->import_study(record("copy"), trials, {});
  check_same_study(*storage->find_study("copy"), record("copy"));
  const auto stored = storage->stored_trials(imported.id);
  REQUIRE(stored.size() == 4);
  for (int i = 0; i < 4; ++i) {
    CHECK(stored[i].trial.number == i);
    CHECK(stored[i].trial.state == states[i]);
    CHECK(stored[i].trial.params == trials[i].trial.params);
    CHECK(stored[i].trial.attributes == trials[i].trial.attributes);
    CHECK(stored[i].created_at == trials[i].created_at);
    CHECK(stored[i].heartbeat == trials[i].heartbeat);
    CHECK(stored[i].finished_at == trials[i].finished_at);
    CHECK(stored[i].fail_reason == trials[i].fail_reason);
  }
  CHECK(*stored[0].trial.value == 4.25);
  CHECK(stored[0].trial.outputs == trials[0].trial.outputs);
  // The imported study is an ordinary one: its stale-failed trial may still be told.
  storage->finish_trial(imported.id, stored[1].trial.id, told(TrialState::kComplete, 1.0, {-1.0, -1.0}, {}));
  CHECK(storage->claim_waiting(imported.id)->number == 3);
  // A taken name is refused whole.
  const std::string before = dump(*storage);
  CHECK_THROWS_AS(storage->import_study(record("copy"), trials, {}), StateError);
  std::vector<StoredTrial> bad = trials;
  bad[3].trial.params["x"] = 5.0;  // outside the space: nothing of the study may land
  CHECK_THROWS_AS(storage->import_study(record("other"), bad, {}), InvalidArgument);
  CHECK(dump(*storage) == before);
}

TEMPLATE_TEST_CASE("objective values, costs and intermediate reports round-trip; bad reports write nothing",
                   "[conformance]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const std::int64_t id = storage->create_study(record("s")).id;
  const Trial running = add_one(*storage, id, 0.25);
  for (std::int64_t step : {1, 2, 10}) storage->report(id, running.id, step, kAwkward[static_cast<std::size_t>(step % 7)]);
  const std::string before = dump(*storage);
  CHECK_THROWS_AS(storage->report(id, running.id, 2, 0.5), StateError);  // a step reported twice
  CHECK_THROWS_AS(storage->report(id, running.id, 3, NAN), InvalidArgument);
  CHECK_THROWS_AS(storage->report(id, 987654, 3, 0.5), NotFound);
  CHECK(dump(*storage) == before);
  TrialResult result;
  result.value = 1.5;
  result.constraints = {-1.0, 0.0};
  result.outputs = {1.0, 2.0, 3.0};
  result.values = kAwkward;
  result.cost = 12.5;
  storage->finish_trial(id, running.id, result);
  CHECK_THROWS_AS(storage->report(id, running.id, 11, 0.5), StateError);  // finished trials report nothing
  const Trial t = storage->trial(id, running.id);
  CHECK(t.values == kAwkward);
  CHECK(t.cost == 12.5);
  CHECK(t.reports == std::map<std::int64_t, double>{{1, kAwkward[1]}, {2, kAwkward[2]}, {10, kAwkward[3]}});
  CHECK(storage->trials(id).front().reports == t.reports);
  // A failed experiment may still have cost something; a trial without cost has none.
  const Trial other = add_one(*storage, id, 0.5);
  TrialResult failed;
  failed.state = TrialState::kFailed;
  failed.cost = 3.0;
  storage->finish_trial(id, other.id, failed);
  CHECK(storage->trial(id, other.id).cost == 3.0);
  CHECK_FALSE(add_one(*storage, id, 0.75).cost.has_value());
}

TEMPLATE_TEST_CASE("a study's candidate pool is stored in order, replaced whole, and checked against the space",
                   "[conformance]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const std::int64_t id = storage->create_study(record("s")).id;
  CHECK(storage->candidates(id).empty());
  std::vector<Params> pool;
  for (int i = 0; i < 5; ++i) pool.push_back(point(0.1 * i, 1 + i).params);
  storage->set_candidates(id, pool);
  CHECK(storage->candidates(id) == pool);
  const std::string before = dump(*storage);
  std::vector<Params> bad = {point(0.5).params, point(7.0).params};  // x = 7 is outside [0, 1]
  CHECK_THROWS_AS(storage->set_candidates(id, bad), InvalidArgument);
  CHECK(dump(*storage) == before);
  storage->set_candidates(id, {pool[3]});
  CHECK(storage->candidates(id) == std::vector<Params>{pool[3]});
  storage->set_candidates(id, {});
  CHECK(storage->candidates(id).empty());
  CHECK_THROWS_AS(storage->candidates(987654), NotFound);
}

TEMPLATE_TEST_CASE("import_study carries reports, costs, objective values and the candidate pool", "[conformance]",
                   SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const std::int64_t id = storage->create_study(record("s")).id;
  const Trial t = add_one(*storage, id, 0.3);
  storage->report(id, t.id, 5, 0.25);
  TrialResult result;
  result.value = 2.0;
  result.values = {2.0, -1.0};
  result.cost = 7.0;
  storage->finish_trial(id, t.id, result);
  storage->set_candidates(id, {point(0.1).params, point(0.2).params});
  const StudyRecord copy = storage->import_study(record("copy"), storage->stored_trials(id), storage->candidates(id));
  const Trial imported = storage->trials(copy.id).front();
  CHECK(imported.reports == std::map<std::int64_t, double>{{5, 0.25}});
  CHECK(imported.values == std::vector<double>{2.0, -1.0});
  CHECK(imported.cost == 7.0);
  CHECK(storage->candidates(copy.id) == storage->candidates(id));
  check_same_study(*storage->find_study("copy"), record("copy"));
}

TEMPLATE_TEST_CASE("add_trials_in_turn shows the choice the trials added since, numbers its trials after them, and "
                   "adds nothing when the choice throws",
                   "[conformance][turns]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("a")).id;
  add_one(*storage, id, 0.1);
  const std::int64_t since = storage->count_trials(id);  // a worker reads the history here ...
  const Trial other = add_one(*storage, id, 0.2);          // ... another adds a trial meanwhile
  storage->append_trials(id, {point(0.3, 1, TrialState::kWaiting)});
  int calls = 0;
  const auto added = storage->add_trials_in_turn(id, since, [&](const std::vector<Trial>& seen) {
    ++calls;
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].id == other.id);
    CHECK(seen[0].params == point(0.2).params);
    CHECK(seen[1].state == TrialState::kWaiting);
    return std::vector<Trial>{point(0.4), point(0.5)};
  });
  CHECK(calls == 1);
  REQUIRE(added.size() == 2);
  CHECK(added[0].number == 3);
  CHECK(added[1].number == 4);
  CHECK(storage->trial(id, added[1].id).params == point(0.5).params);
  // Nothing new since: the choice sees nothing.
  storage->add_trials_in_turn(id, storage->count_trials(id), [&](const std::vector<Trial>& seen) {
    CHECK(seen.empty());
    return std::vector<Trial>{point(0.6)};
  });
  const std::string before = dump(*storage);
  CHECK_THROWS_AS(storage->add_trials_in_turn(id, 0, [](const std::vector<Trial>&) -> std::vector<Trial> {
    throw InvalidArgument("the strategy failed");
  }), InvalidArgument);
  CHECK_THROWS_AS(storage->add_trials_in_turn(id, 0, [](const std::vector<Trial>&) {
    return std::vector<Trial>{point(7.0)};  // outside the space
  }), InvalidArgument);
  CHECK_THROWS_AS(storage->add_trials_in_turn(987654, 0, [](const std::vector<Trial>&) { return std::vector<Trial>{}; }),
                  NotFound);
  CHECK(dump(*storage) == before);
  // The turn was given back each time: the next adder is not kept waiting.
  CHECK(storage->append_trials(id, {point(0.7)}).front().number == 6);
}

TEMPLATE_TEST_CASE("a study's turn keeps its other adders waiting, but not tells, heartbeats, reads or other studies",
                   "[conformance][turns]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("second connection")) return;
  TestType backend;
  auto holder = open_storage(backend.url());
  const auto id = holder->create_study(record("a")).id;
  const auto elsewhere = holder->create_study(record("b")).id;
  const Trial running = add_one(*holder, id, 0.1);
  const Trial to_tell = add_one(*holder, id, 0.2);
  std::atomic<bool> inside{false}, others_done{false}, waiter_started{false};
  std::atomic<int> waiter_saw{-1};
  std::thread turn([&] {
    holder->add_trials_in_turn(id, 2, [&](const std::vector<Trial>&) {
      inside = true;
      // Hold the turn until the other connection's writes are through (a minute at most).
      for (int i = 0; i < 6000 && !others_done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the waiter is queued by now
      return std::vector<Trial>{point(0.3)};
    });
  });
  while (!inside) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto other = open_storage(backend.url());
  other->finish_trial(id, to_tell.id, told(TrialState::kComplete, 1.0, {0.0, 0.0}, {}));
  other->heartbeat(id, running.id);
  CHECK(other->trials(id).size() == 2);
  CHECK(other->add_trials_in_turn(elsewhere, 0, [](const std::vector<Trial>&) {
          return std::vector<Trial>{point(0.9)};
        }).front().number == 0);
  CHECK_FALSE(others_done);  // all of the above went through while the turn was held
  auto waiter_storage = open_storage(backend.url());
  std::thread waiter([&] {
    waiter_started = true;
    waiter_storage->add_trials_in_turn(id, 2, [&](const std::vector<Trial>& seen) {
      waiter_saw = static_cast<int>(seen.size());
      return std::vector<Trial>{point(0.4)};
    });
  });
  while (!waiter_started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  others_done = true;
  turn.join();
  waiter.join();
  CHECK(waiter_saw == 1);  // it waited for the holder and saw its trial
  const auto trials = holder->trials(id);
  REQUIRE(trials.size() == 4);
  CHECK(trials[2].params == point(0.3).params);
  CHECK(trials[3].params == point(0.4).params);
}

TEMPLATE_TEST_CASE("worker processes adding in turns choose once per trial, each seeing every trial added before it",
                   "[conformance][turns][processes]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("second process")) return;
  TestType backend;
  std::int64_t id;
  {
    auto storage = open_storage(backend.url());
    id = storage->create_study(record("turns")).id;
  }
  constexpr int kWorkers = 6, kAdds = 20;
  std::vector<pid_t> pids;
  std::vector<TempPath> outs(kWorkers), errs(kWorkers);
  for (int w = 0; w < kWorkers; ++w)
    pids.push_back(spawn({BOEX_STORAGE_WORKER, backend.url(), "turns", "turns", std::to_string(kAdds), std::to_string(w)},
                         outs[w].path(), errs[w].path()));
  std::size_t choices = 0, adds = 0;
  std::map<std::int64_t, double> told;
  for (int w = 0; w < kWorkers; ++w) {
    INFO(slurp(errs[w].path()));
    CHECK(wait_for(pids[w]) == 0);
    std::istringstream lines(slurp(outs[w].path()));
    std::string line, word;
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      fields >> word;
      if (word == "chose") ++choices;
      if (word != "added") continue;
      long long number = -1, since = -1, seen = -1;
      fields >> number >> since >> seen;
      CHECK(number == since + seen);  // the choice saw every trial added after the worker's read
      ++adds;
    }
    for (const auto& [trial, value] : told_lines(slurp(outs[w].path()))) CHECK(told.emplace(trial, value).second);
  }
  CHECK(adds == kWorkers * kAdds);
  CHECK(choices == adds);  // no choice was made twice
  auto storage = open_storage(backend.url());
  const auto trials = storage->trials(id);
  CHECK(trials.size() == kWorkers * kAdds);
  for (std::size_t i = 0; i < trials.size(); ++i) CHECK(trials[i].number == static_cast<std::int64_t>(i));
  CHECK(told.size() == trials.size());
}

TEMPLATE_TEST_CASE("a turn held by a process that is killed is given back with its connection", "[conformance][turns][crash]",
                   SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("second process")) return;
  TestType backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study(record("held")).id;
  add_one(*storage, id, 0.1);
  TempPath out, err;
  const pid_t pid = spawn({BOEX_STORAGE_WORKER, backend.url(), "held", "hold", "0", "0"}, out.path(), err.path());
  for (int wait = 0; wait < 3000 && slurp(out.path()).find("holding") == std::string::npos; ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  INFO(slurp(err.path()));
  REQUIRE(slurp(out.path()).find("holding") != std::string::npos);
  kill(pid, SIGKILL);
  CHECK(wait_for(pid) == -SIGKILL);
  // The dead worker left nothing behind: no trial, and the turn is free.
  const auto added = storage->add_trials_in_turn(id, 1, [](const std::vector<Trial>& seen) {
    CHECK(seen.empty());
    return std::vector<Trial>{point(0.2)};
  });
  CHECK(added.front().number == 1);
  CHECK(storage->count_trials(id) == 2);
}

TEMPLATE_TEST_CASE("a study whose stored row cannot be read is listed with its problem and hides no other study",
                   "[conformance][hostile]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("rows to damage from outside")) return;
  TestType backend;
  {
    auto storage = open_storage(backend.url());
    for (const char* name : {"first", "damaged", "last"}) add_one(*storage, storage->create_study(record(name)).id, 0.5);
  }
  backend.exec("UPDATE studies SET space = '{\"parameters\": [{\"name\": \"x\", \"type\"' WHERE name = 'damaged'");
  auto storage = open_storage(backend.url());
  const auto listed = storage->studies();
  REQUIRE(listed.size() == 3);
  CHECK(listed[0].readable());
  CHECK(listed[2].readable());
  CHECK_FALSE(listed[1].readable());
  CHECK(listed[1].record.name == "damaged");
  CHECK_THAT(listed[1].problem, Catch::Matchers::Contains("search space"));
  check_same_study(listed[2].record, record("last"));
  CHECK(storage->trials(listed[2].record.id).size() == 1);
  CHECK_THROWS_AS(storage->find_study("damaged"), StorageError);
  CHECK_THROWS_WITH(storage->find_study("damaged"), Catch::Matchers::Contains("'damaged'"));
  CHECK_THROWS_AS(storage->trials(listed[1].record.id), StorageError);
  CHECK(storage->find_study("first"));
  // A damaged trial row makes its own study unreadable as a StorageError naming the trial, no other.
  backend.exec("UPDATE trials SET params = '{\"x\": \"warm\"}' WHERE study_id = " + std::to_string(listed[0].record.id));
  CHECK_THROWS_WITH(storage->trials(listed[0].record.id), Catch::Matchers::Contains("cannot be read"));
  CHECK(storage->trials(listed[2].record.id).size() == 1);
}

TEMPLATE_TEST_CASE("a schema_version that is not a number is a SchemaError, the database untouched",
                   "[conformance][schema][hostile]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("schema to edit from outside")) return;
  TestType backend;
  open_storage(backend.url())->create_study(record("a"));
  backend.exec("UPDATE boex_meta SET value = 'abc' WHERE key = 'schema_version'");
  CHECK_THROWS_AS(open_storage(backend.url()), SchemaError);
  CHECK_THROWS_WITH(open_storage(backend.url()), Catch::Matchers::Contains("'abc'"));
  CHECK(backend.query("SELECT value FROM boex_meta WHERE key = 'schema_version'") == "abc");
}

TEMPLATE_TEST_CASE("opening an existing database only (OpenMode::kExisting) creates nothing where there is none",
                   "[conformance][hostile]", SqliteFile, SqliteMemory, Postgres) {
  if (unavailable<TestType>() || not_shared<TestType>("database to look at from outside")) return;
  TestType backend;
  CHECK_THROWS_AS(open_storage(backend.url(), OpenMode::kExisting), NotFound);
  if constexpr (std::is_same_v<TestType, SqliteFile>)
    CHECK_FALSE(std::filesystem::exists(backend.file.path()));
  else
    CHECK_FALSE(backend.table_exists("boex_meta"));
  open_storage(backend.url())->create_study(record("a"));
  CHECK(open_storage(backend.url(), OpenMode::kExisting)->find_study("a"));
}
