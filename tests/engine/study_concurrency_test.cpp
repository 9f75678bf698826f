// Many workers on one study, on every backend that several processes can share (an SQLite file,
// a PostgreSQL database): processes and threads asking and telling concurrently, and processes
// killed with SIGKILL at arbitrary points.
#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "engine/study.h"
#include "support/process.h"
#include "support/storage_backends.h"
#include "support/workers.h"

using namespace boex;
using namespace boex::testing;

namespace {

SearchSpace worker_space() {
  return SearchSpace({Parameter::Float("x", -2, 2), Parameter::Float("y", -2, 2), Parameter::Int("k", 0, 10)});
}

void check_consistent(Study& study, std::size_t expected_complete) {
  const auto trials = study.trials();
  std::set<std::int64_t> ids, numbers;
  std::set<Params> points;
  std::size_t complete = 0;
  for (const Trial& t : trials) {
    CHECK(ids.insert(t.id).second);
    CHECK(numbers.insert(t.number).second);
    CHECK(points.insert(t.params).second);  // no point handed out twice
    complete += t.is_complete();
  }
  CHECK(complete == expected_complete);
  CHECK(static_cast<std::size_t>(*numbers.rbegin() + 1) == trials.size());  // numbers 0..n-1, no gaps
}

// Every result a worker reported as told is stored, complete, with its value.
void check_told_kept(Study& study, const std::map<std::int64_t, double>& told) {
  for (const auto& [id, v] : told) {
    const Trial t = study.trial(id);
    CHECK(t.state == TrialState::kComplete);
    CHECK(*t.value == v);
  }
}

}  // namespace

TEMPLATE_TEST_CASE("4 processes x 25 trials on one study lose and duplicate nothing", "[concurrency]", SqliteFile,
                   Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  Study::open(backend.url(), "shared", worker_space());  // created once; workers resume it
  std::vector<pid_t> pids;
  std::vector<TempPath> outs(4), errs(4);
  for (int w = 0; w < 4; ++w)
    pids.push_back(
        spawn({BOEX_STUDY_WORKER, backend.url(), "shared", "25", "gp-logei", "0"}, outs[w].path(), errs[w].path()));
  std::map<std::int64_t, double> told;
  for (int w = 0; w < 4; ++w) {
    INFO(slurp(errs[w].path()));
    CHECK(wait_for(pids[w]) == 0);
    const auto lines = told_lines(slurp(outs[w].path()));
    CHECK(lines.size() == 25);
    for (const auto& [id, v] : lines) CHECK(told.emplace(id, v).second);  // no trial went to two workers
  }
  Study study = Study::load(backend.url(), "shared");
  check_consistent(study, 100);
  check_told_kept(study, told);
}

TEMPLATE_TEST_CASE("threads with their own connections and threads sharing one lose and duplicate nothing",
                   "[concurrency]", SqliteFile, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  auto shared = std::shared_ptr<Storage>(open_storage(backend.url()));
  Study::Options o;
  o.strategy = "gp-logei";
  Study::open(shared, "threads", worker_space(), o);
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      try {
        // Two threads open their own connection, two share one Storage object.
        Study study = w < 2 ? Study::load(backend.url(), "threads") : Study::load(shared, "threads");
        for (int i = 0; i < 10; ++i) {
          const Trial t = study.ask();
          study.tell(t.id, std::get<double>(t.params.at("x")));
        }
      } catch (...) {
        ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors == 0);
  Study study = Study::load(backend.url(), "threads");
  check_consistent(study, 40);
}

TEMPLATE_TEST_CASE("a process killed with SIGKILL at any point loses no result that tell had returned for",
                   "[concurrency][crash]", SqliteFile, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  std::map<std::int64_t, double> told;
  for (int round = 0; round < 6; ++round) {
    TempPath out, err;
    const char* strategy = round % 2 ? "gp-logei" : "random";
    const pid_t pid =
        spawn({BOEX_STUDY_WORKER, backend.url(), "crash", "100000", strategy, "1"}, out.path(), err.path());
    // Once the worker has told something (however slow the machine is today, however long a
    // server takes to open), kill it at a moment that varies from round to round.
    for (int wait = 0; wait < 3000 && told_lines(slurp(out.path())).empty(); ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(7 + 37 * round));
    kill(pid, SIGKILL);
    CHECK(wait_for(pid) == -SIGKILL);
    const auto lines = told_lines(slurp(out.path()));
    CHECK(!lines.empty());
    told.insert(lines.begin(), lines.end());
    // The database opens cleanly and holds every result reported as told so far.
    Study study = Study::load(backend.url(), "crash");
    check_told_kept(study, told);
  }
}

TEMPLATE_TEST_CASE("workers killed one after another leave their running trials failed by the heartbeat rule and "
                   "every told result kept",
                   "[concurrency][crash][stale]", SqliteFile, Postgres) {
  if (unavailable<TestType>()) return;
  TestType backend;
  constexpr double kStaleAfter = 1.0;
  constexpr int kWorkers = 4, kKills = 3;
  Study::Options options;
  options.strategy = "random";
  Study::open(backend.url(), "kills", worker_space(), options);
  // Each evaluation takes 50 ms with heartbeats; the workers fail silent trials before each ask.
  const auto start = [&](TempPath& out, TempPath& err, int seed) {
    return spawn({BOEX_STUDY_WORKER, backend.url(), "kills", "40", "random", std::to_string(seed),
                  std::to_string(kStaleAfter), "50"},
                 out.path(), err.path());
  };
  std::vector<TempPath> outs(kWorkers + kKills), errs(kWorkers + kKills);
  std::vector<pid_t> pids;
  for (int w = 0; w < kWorkers; ++w) pids.push_back(start(outs[w], errs[w], w));
  // Worker 0 is killed every 0.7 s and replaced by a fresh process.
  std::vector<std::size_t> killed;
  for (int k = 0; k < kKills; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    const std::size_t victim = k == 0 ? 0 : kWorkers + k - 1;
    kill(pids[victim], SIGKILL);
    CHECK(wait_for(pids[victim]) == -SIGKILL);
    killed.push_back(victim);
    pids.push_back(start(outs[kWorkers + k], errs[kWorkers + k], 100 + k));
  }
  std::map<std::int64_t, double> told;
  std::set<std::int64_t> held_when_killed;  // asked, never told
  for (std::size_t w = 0; w < pids.size(); ++w) {
    INFO(slurp(errs[w].path()));
    const bool was_killed = std::find(killed.begin(), killed.end(), w) != killed.end();
    if (!was_killed) CHECK(wait_for(pids[w]) == 0);
    const std::string out = slurp(outs[w].path());
    const auto lines = told_lines(out);
    for (const auto& [id, v] : lines) CHECK(told.emplace(id, v).second);  // no trial went to two workers
    if (was_killed)
      for (const auto& [id, v] : worker_lines(out, "asked"))
        if (!lines.count(id)) held_when_killed.insert(id);
  }
  // A killed worker's trial was failed by a later ask once silent for kStaleAfter; one killed
  // near the end is failed by the same rule applied now.
  std::this_thread::sleep_for(std::chrono::duration<double>(kStaleAfter + 0.2));
  Study::load(backend.url(), "kills").fail_stale_trials(kStaleAfter);
  auto storage = open_storage(backend.url());
  const std::int64_t id = storage->find_study("kills")->id;
  std::size_t failed = 0;
  for (const StoredTrial& s : storage->stored_trials(id)) {
    const Trial& t = s.trial;
    INFO("trial " << t.id << " " << to_string(t.state));
    if (told.count(t.id)) {
      CHECK(t.state == TrialState::kComplete);
      CHECK(*t.value == told.at(t.id));
    } else {
      // Held by a killed worker (or handed out just before the kill, before it could say so).
      CHECK(t.state == TrialState::kFailed);
      CHECK(s.fail_reason == "stale");
      ++failed;
    }
  }
  for (std::int64_t held : held_when_killed) CHECK(storage->trial(id, held).state == TrialState::kFailed);
  CHECK(failed >= held_when_killed.size());
  CHECK(failed <= static_cast<std::size_t>(kKills));
  CHECK(told.size() >= static_cast<std::size_t>((kWorkers - 1) * 40));
}
