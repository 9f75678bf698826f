// Resume: a study continues from its database as if never stopped, in this process or another.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <sstream>
#include <thread>

#include "core/errors.h"
#include "engine/study.h"
#include "support/process.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

namespace {

SearchSpace space3() {
  return SearchSpace({Parameter::Float("x", -2, 2), Parameter::Float("y", -2, 2), Parameter::Int("k", 0, 10)});
}

// The same objective as the study_worker process.
double objective(const Params& p) {
  const double x = std::get<double>(p.at("x")), y = std::get<double>(p.at("y"));
  const double k = static_cast<double>(std::get<std::int64_t>(p.at("k")));
  return std::pow(x - 0.5, 2) + std::pow(y + 0.25, 2) + 0.1 * std::pow(k - 3, 2);
}

Study::Options options(const std::string& strategy) {
  Study::Options o;
  o.strategy = strategy;
  o.seed = 7;
  return o;
}

// n trials of gp-logei in one process, one Study object: what every resumed run must reproduce.
std::vector<Trial> uninterrupted(const std::string& url, int n) {
  Study straight = Study::open(url, "s", space3(), options("gp-logei"));
  for (int i = 0; i < n; ++i) {
    const Trial t = straight.ask();
    straight.tell(t.id, objective(t.params));
  }
  return straight.trials();
}

}  // namespace

TEST_CASE("a study reopened after every trial suggests exactly what an uninterrupted one does", "[resume]") {
  TempPath a, b;
  const auto x = uninterrupted(a.url(), 14);
  for (int i = 0; i < 14; ++i) {
    Study reopened = Study::open(b.url(), "s", space3(), options("gp-logei"));  // a new connection each time
    const Trial t = reopened.ask();
    reopened.tell(t.id, objective(t.params));
  }
  const auto y = Study::load(b.url(), "s").trials();
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(x[i].params == y[i].params);
}

TEST_CASE("a study continued by a new process after every trial matches one run in a single process", "[resume]") {
  TempPath a, b;
  const auto x = uninterrupted(a.url(), 10);
  for (int i = 0; i < 10; ++i) {
    const ProcessResult r = run({BOEX_STUDY_WORKER, b.url(), "s", "1", "gp-logei", "7"});
    REQUIRE(r.exit_code == 0);
  }
  const auto y = Study::load(b.url(), "s").trials();
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    CHECK(x[i].params == y[i].params);
    CHECK(*x[i].value == *y[i].value);
  }
}

TEST_CASE("running trials of a worker that went silent are failed, and a late result is still kept", "[resume][stale]") {
  TempPath file;
  Study::Options o = options("random");
  o.stale_after_seconds = 0.3;
  Study study = Study::open(file.url(), "s", space3(), o);
  const Trial lost = study.ask();
  const Trial alive = study.ask();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  study.heartbeat(alive.id);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  study.ask();  // fails stale trials first
  CHECK(study.trial(lost.id).state == TrialState::kFailed);
  CHECK(study.trial(alive.id).state == TrialState::kRunning);
  study.tell(lost.id, 1.25);  // the worker was only slow: its result is not thrown away
  CHECK(*study.trial(lost.id).value == 1.25);
  CHECK_THROWS_AS(study.tell(lost.id, 2.0), StateError);
}

TEST_CASE("enqueued points are handed out first, and measured prior data enters the history", "[resume][prior]") {
  Study study = Study::open("sqlite::memory:", "s", space3(), options("gp-logei"));
  const Params first = {{"x", 0.0}, {"y", 0.0}, {"k", std::int64_t{3}}};
  const Trial queued = study.enqueue(first);
  CHECK(queued.state == TrialState::kWaiting);
  const Params measured = {{"x", 0.5}, {"y", -0.25}, {"k", std::int64_t{3}}};
  study.add_measured(measured, objective(measured));
  const Trial t = study.ask();
  CHECK(t.id == queued.id);
  CHECK(t.params == first);
  CHECK(t.state == TrialState::kRunning);
  CHECK(*study.best()->value == 0.0);
  CHECK(study.best()->attributes.at("source") == "measured");
  CHECK_THROWS_AS(study.enqueue({{"x", 9.0}, {"y", 0.0}, {"k", std::int64_t{3}}}), InvalidArgument);
  CHECK_THROWS_AS(study.add_measured(first, NAN), InvalidArgument);
}

TEST_CASE("opening an existing study with a different space is refused", "[resume]") {
  TempPath file;
  Study::open(file.url(), "s", space3());
  CHECK_THROWS_AS(Study::open(file.url(), "s", SearchSpace({Parameter::Float("x", 0, 1)})), StateError);
  CHECK_THROWS_AS(Study::load(file.url(), "other"), NotFound);
}
