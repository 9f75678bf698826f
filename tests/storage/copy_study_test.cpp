// copy_studies moves studies whole between backends: from an SQLite file to every backend and
// back, every field of the study and of every trial (times included) arrives unchanged; a copy
// onto a taken name writes nothing.
#include <catch2/catch.hpp>
#include <thread>

#include "core/errors.h"
#include "storage/copy_study.h"
#include "support/dump.h"
#include "support/storage_backends.h"
#include "support/trial_results.h"

using namespace boex;
using namespace boex::testing;

namespace {

StudyRecord record(const std::string& name) {
  StudyRecord r;
  r.name = name;
  r.space = SearchSpace({Parameter::Float("x", 0, 1), Parameter::Int("k", 1, 5),
                         Parameter::Categorical("solvent", {"water", "dmso"})});
  r.direction = Direction::kMaximize;
  r.seed = 99;
  r.n_constraints = 1;
  r.n_outputs = 2;
  r.strategy_options = R"({"surrogate":{"kernel":"rbf"}})";
  r.attributes = {{"lab", "north"}};
  return r;
}

Trial point(double x, TrialState state = TrialState::kRunning) {
  Trial t;
  t.state = state;
  t.params = {{"x", x}, {"k", std::int64_t{3}}, {"solvent", std::string("water")}};
  return t;
}

// A study with a trial in every state and every kind of field set.
std::int64_t fill(Storage& storage, const std::string& name) {
  const auto id = storage.create_study(record(name)).id;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(storage.add_trials(id, {point(0.1 * i)}, i)->front().id);
  storage.finish_trial(id, ids[1], told(TrialState::kComplete, 2.5, {-0.5}, {1.25, 3.0}));
  storage.finish_trial(id, ids[2], told(TrialState::kFailed, std::nullopt, {}, {}));
  storage.set_trial_attribute(id, ids[1], "operator", "ana");
  storage.append_trials(id, {point(0.9, TrialState::kWaiting)});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  storage.heartbeat(id, ids[4]);
  storage.fail_stale_trials(id, 0.2);  // trials 0, 3 and 5 fell silent; 4 was kept alive
  storage.set_study_attribute(id, "owner", "ben");
  return id;
}

void check_same_trials(const std::vector<StoredTrial>& a, const std::vector<StoredTrial>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("trial number " << a[i].trial.number);
    CHECK(a[i].trial.number == b[i].trial.number);
    CHECK(a[i].trial.state == b[i].trial.state);
    CHECK(a[i].trial.params == b[i].trial.params);
    CHECK(a[i].trial.value == b[i].trial.value);
    CHECK(a[i].trial.constraints == b[i].trial.constraints);
    CHECK(a[i].trial.outputs == b[i].trial.outputs);
    CHECK(a[i].trial.attributes == b[i].trial.attributes);
    CHECK(a[i].created_at == b[i].created_at);
    CHECK(a[i].finished_at == b[i].finished_at);
    CHECK(a[i].heartbeat == b[i].heartbeat);
    CHECK(a[i].fail_reason == b[i].fail_reason);
  }
}

}  // namespace

TEMPLATE_TEST_CASE("a study copied from an SQLite file to a backend and back arrives whole", "[copy]", SqliteFile,
                   SqliteMemory, Postgres) {
  if (unavailable<TestType>()) return;
  SqliteFile source;
  TestType destination;
  auto from = open_storage(source.url());
  const auto id = fill(*from, "lab");
  fill(*from, "other");
  auto to = open_storage(destination.url());
  const auto copied = copy_studies(*from, *to, "lab");
  REQUIRE(copied.size() == 1);
  CHECK(copied[0].n_trials == 7);
  REQUIRE(to->studies().size() == 1);
  const StudyRecord arrived = *to->find_study("lab");
  CHECK(arrived.space == record("lab").space);
  CHECK(arrived.seed == 99);
  CHECK(arrived.n_outputs == 2);
  CHECK(arrived.strategy_options == record("lab").strategy_options);
  CHECK(arrived.attributes == std::map<std::string, std::string>{{"lab", "north"}, {"owner", "ben"}});
  const auto original = from->stored_trials(id);
  CHECK(original[3].fail_reason == "stale");
  CHECK(original[2].fail_reason == "told");
  CHECK(original[4].trial.state == TrialState::kRunning);
  check_same_trials(to->stored_trials(arrived.id), original);
  // And back again, into a third database.
  auto back = open_storage("sqlite::memory:");
  copy_studies(*to, *back);
  check_same_trials(back->stored_trials(back->find_study("lab")->id), original);
  CHECK(dump(*back) == dump(*to));
}

TEMPLATE_TEST_CASE("copying onto a taken name or an unknown study writes nothing", "[copy]", SqliteFile, SqliteMemory,
                   Postgres) {
  if (unavailable<TestType>()) return;
  SqliteFile source;
  TestType destination;
  auto from = open_storage(source.url());
  fill(*from, "a");
  fill(*from, "b");
  auto to = open_storage(destination.url());
  to->create_study(record("b"));
  const std::string before = dump(*to);
  CHECK_THROWS_AS(copy_studies(*from, *to), StateError);  // "a" would fit, "b" does not: neither lands
  CHECK_THROWS_AS(copy_studies(*from, *to, "b"), StateError);
  CHECK_THROWS_AS(copy_studies(*from, *to, "nope"), NotFound);
  CHECK(dump(*to) == before);
  CHECK(copy_studies(*from, *to, "a").size() == 1);
  CHECK(to->studies().size() == 2);
}
