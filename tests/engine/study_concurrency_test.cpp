// Many workers on one study file: processes and threads asking and telling concurrently, and
// processes killed with SIGKILL at arbitrary points.
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "engine/study.h"
#include "support/process.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

namespace {

SearchSpace worker_space() {
  return SearchSpace({Parameter::Float("x", -2, 2), Parameter::Float("y", -2, 2), Parameter::Int("k", 0, 10)});
}

// "told <id> <value>" lines of a worker's output.
std::map<std::int64_t, double> told_lines(const std::string& text) {
  std::map<std::int64_t, double> out;
  std::istringstream in(text);
  std::string word, line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    long long id;
    double value;
    if (fields >> word >> id >> value && word == "told") out[id] = value;
  }
  return out;
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

}  // namespace

TEST_CASE("4 processes x 25 trials on one file lose and duplicate nothing", "[concurrency]") {
  TempPath file;
  Study::open(file.url(), "shared", worker_space());  // created once; workers resume it
  std::vector<pid_t> pids;
  std::vector<TempPath> outs(4), errs(4);
  for (int w = 0; w < 4; ++w)
    pids.push_back(spawn({BOEX_STUDY_WORKER, file.url(), "shared", "25", "gp-logei", "0"}, outs[w].path(), errs[w].path()));
  std::map<std::int64_t, double> told;
  for (int w = 0; w < 4; ++w) {
    INFO(slurp(errs[w].path()));
    CHECK(wait_for(pids[w]) == 0);
    const auto lines = told_lines(slurp(outs[w].path()));
    CHECK(lines.size() == 25);
    for (const auto& [id, v] : lines) CHECK(told.emplace(id, v).second);  // no trial went to two workers
  }
  Study study = Study::load(file.url(), "shared");
  check_consistent(study, 100);
  for (const auto& [id, v] : told) CHECK(*study.trial(id).value == v);
}

TEST_CASE("threads with their own connections and threads sharing one lose and duplicate nothing",
          "[concurrency]") {
  TempPath file;
  auto shared = std::shared_ptr<Storage>(open_storage(file.url()));
  Study::Options o;
  o.strategy = "gp-logei";
  Study::open(shared, "threads", worker_space(), o);
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      try {
        // Two threads open their own connection, two share one Storage object.
        Study study = w < 2 ? Study::load(file.url(), "threads") : Study::load(shared, "threads");
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
  Study study = Study::load(file.url(), "threads");
  check_consistent(study, 40);
}

TEST_CASE("a process killed with SIGKILL at any point loses no result that tell had returned for",
          "[concurrency][crash]") {
  TempPath file;
  std::map<std::int64_t, double> told;
  for (int round = 0; round < 6; ++round) {
    TempPath out, err;
    const char* strategy = round % 2 ? "gp-logei" : "random";
    const pid_t pid = spawn({BOEX_STUDY_WORKER, file.url(), "crash", "100000", strategy, "1"}, out.path(), err.path());
    // Once the worker has told something (however slow the machine is today), kill it at a
    // moment that varies from round to round.
    for (int wait = 0; wait < 3000 && told_lines(slurp(out.path())).empty(); ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(7 + 37 * round));
    kill(pid, SIGKILL);
    CHECK(wait_for(pid) == -SIGKILL);
    const auto lines = told_lines(slurp(out.path()));
    CHECK(!lines.empty());
    told.insert(lines.begin(), lines.end());
    // The file opens cleanly and holds every result reported as told so far.
    Study study = Study::load(file.url(), "crash");
    for (const auto& [id, v] : told) {
      const Trial t = study.trial(id);
      CHECK(t.state == TrialState::kComplete);
      CHECK(*t.value == v);
    }
  }
}
