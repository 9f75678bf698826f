#include <catch2/catch.hpp>

#include "core/errors.h"
#include "storage/sqlite_storage.h"
#include "support/temp_path.h"

using namespace boex;
using boex::testing::TempPath;

namespace {

StudyRecord record(const std::string& name) {
  StudyRecord r;
  r.name = name;
  r.space = SearchSpace({Parameter::Float("x", 0, 1), Parameter::Int("k", 1, 5)});
  r.seed = 42;
  r.n_constraints = 1;
  r.n_outputs = 2;
  r.strategy_options = R"({"surrogate":{"kernel":"rbf"}})";
  return r;
}

Trial running(double x) {
  Trial t;
  t.params = {{"x", x}, {"k", std::int64_t{2}}};
  return t;
}

}  // namespace

TEST_CASE("a study and its trials round-trip through a file", "[sqlite]") {
  TempPath file;
  std::int64_t id;
  {
    auto storage = open_storage(file.url());
    id = storage->create_study(record("a")).id;
    auto added = storage->add_trials(id, {running(0.25)}, 0);
    REQUIRE(added);
    storage->finish_trial(id, added->front().id, TrialState::kComplete, 1.5, {-0.2}, {3.0, 4.0});
    storage->set_trial_attribute(id, added->front().id, "operator", "ana");
  }
  auto storage = open_storage(file.url());
  const auto study = storage->find_study("a");
  REQUIRE(study);
  CHECK(study->id == id);
  CHECK(study->space == record("a").space);
  CHECK(study->seed == 42);
  CHECK(study->n_outputs == 2);
  CHECK(study->strategy_options == record("a").strategy_options);
  const auto trials = storage->trials(id);
  REQUIRE(trials.size() == 1);
  CHECK(trials[0].state == TrialState::kComplete);
  CHECK(*trials[0].value == 1.5);
  CHECK(trials[0].constraints == std::vector<double>{-0.2});
  CHECK(trials[0].outputs == std::vector<double>{3.0, 4.0});
  CHECK(std::get<std::int64_t>(trials[0].params.at("k")) == 2);
  CHECK(trials[0].attributes.at("operator") == "ana");
}

TEST_CASE("add_trials refuses when another writer added a trial first", "[sqlite]") {
  auto storage = open_storage("sqlite::memory:");
  const auto id = storage->create_study(record("a")).id;
  REQUIRE(storage->add_trials(id, {running(0.1)}, 0));
  CHECK_FALSE(storage->add_trials(id, {running(0.2)}, 0));
  CHECK(storage->count_trials(id) == 1);
}

TEST_CASE("a duplicate study name is a StateError", "[sqlite]") {
  auto storage = open_storage("sqlite::memory:");
  storage->create_study(record("a"));
  CHECK_THROWS_AS(storage->create_study(record("a")), StateError);
}

TEST_CASE("unknown storage URLs are rejected with the accepted forms", "[sqlite]") {
  CHECK_THROWS_WITH(open_storage("mysql://x"), Catch::Matchers::Contains("sqlite:///"));
}
