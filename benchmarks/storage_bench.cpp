// boex-storage-bench: storage throughput and resume latency, SQLite next to PostgreSQL.
// For each backend (an SQLite file in the temporary directory; the PostgreSQL database given by
// --postgres or BOEX_TEST_POSTGRES_URL, e.g. under scripts/with_postgres.sh):
//  1. ask+tell per second with a cheap strategy (random), one process, then --workers processes;
//  2. time to reopen a 10,000-trial study (Study::load + reading every trial);
//  3. wall time of one `boex ask` process on a 100-trial, 6-parameter gp-logei study.
// --robustness: 8 worker processes x 200 trials on one study, one worker SIGKILLed every 2 s and
// replaced; reports duplicates, lost tells, and the killed workers' trials failed by heartbeats.
// --gp-workers: one worker doing 8 x --gp-cycles ask/tell cycles of gp-logei on one SQLite study
// file (Hartmann6), then 2, 4 and 8 worker processes x --gp-cycles: wall time and ask latency
// percentiles against the one worker's (what workers sharing a study cost each other), and
// whether the targets are met.
#include <signal.h>
#include <time.h>
#include <sys/wait.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_stats.h"
#include "core/errors.h"
#include "core/json_io.h"
#include "core/rng.h"
#include "core/sobol.h"
#include "engine/problems.h"
#include "engine/study.h"
#include "support/process.h"  // tests/support: spawning without a shell
#include "support/workers.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

boex::SearchSpace six_floats() { return boex::make_problem("Hartmann6").space; }

boex::Study::Options random_strategy() {
  boex::Study::Options o;
  o.strategy = "random";
  return o;
}

struct Backend {
  std::string name, url;
  bool throughput_only = false;
  // A fresh study name: SQLite gets a new file per run, a server keeps what earlier runs wrote.
  std::string study(const std::string& what) const {
    return "bench-" + what + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  }
};

std::string fresh_sqlite_url(const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() / ("boex-storage-bench-" + name + ".db");
  for (const char* side : {"", "-wal", "-shm", "-lock"}) std::filesystem::remove(path.string() + side);
  return "sqlite:///" + path.string();
}

std::string self_path() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

// The worker processes: ask, evaluate Hartmann6 (taking eval_ms, with a heartbeat every 50 ms),
// tell; "asked"/"told" lines on stdout as tests/support/workers.h reads them.
int run_worker(const std::string& url, const std::string& name, int count, double stale_after, int eval_ms,
               const std::string& strategy) {
  const boex::Problem h6 = boex::make_problem("Hartmann6");
  boex::Study::Options o = random_strategy();
  o.strategy = strategy;
  o.stale_after_seconds = stale_after;
  boex::Study study = boex::Study::open(url, name, six_floats(), o);
  boex::testing::work(study, count, eval_ms, [&](const boex::Params& p) { return h6.evaluate(p).value; });
  return 0;
}

struct Worker {
  pid_t pid = -1;
  boex::testing::TempPath out{".out"}, err{".err"};
};

void start_worker(Worker& w, const std::string& url, const std::string& study, int count, double stale_after = 0,
                  int eval_ms = 0, const std::string& strategy = "random") {
  w.pid = boex::testing::spawn({self_path(), "worker", "--url", url, "--study", study, "--count", std::to_string(count),
                                "--stale-after", std::to_string(stale_after), "--eval-ms", std::to_string(eval_ms),
                                "--strategy", strategy},
                               w.out.path(), w.err.path());
}

// One gp-logei worker of the --gp-workers table: `count` ask/tell cycles (no evaluation time, so
// it is always asking), one line per ask: "ask <trial number> <latency s> <CPU s of this process
// during the ask> <trials added meanwhile> <model fits in the turn> <acquisition searches in the
// turn> <s waiting for the turn> <s holding it>" (Study::last_turn).
int run_gp_worker(const std::string& url, const std::string& name, int count) {
  const boex::Problem h6 = boex::make_problem("Hartmann6");
  boex::Study study = boex::Study::load(url, name);
  const auto cpu_seconds = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  };
  for (int i = 0; i < count; ++i) {
    const auto start = Clock::now();
    const double cpu = cpu_seconds();
    const boex::Trial t = study.ask();
    const double latency = seconds_since(start), used = cpu_seconds() - cpu;
    const boex::Study::TurnReport& turn = study.last_turn();
    std::printf("ask %lld %.6f %.6f %lld %lld %lld %.6f %.6f\n", static_cast<long long>(t.number), latency, used,
                static_cast<long long>(turn.added_meanwhile), static_cast<long long>(turn.model_fits),
                static_cast<long long>(turn.acquisition_searches), turn.wait_seconds, turn.held_seconds);
    std::fflush(stdout);
    study.tell(t.id, h6.evaluate(t.params).value);
  }
  return 0;
}

struct AskLine {
  long long number = 0, added = 0, fits = 0, searches = 0;
  double latency = 0, cpu = 0, wait = 0, held = 0;
};

std::vector<AskLine> ask_lines(const std::string& text) {
  std::vector<AskLine> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string word;
    AskLine a;
    if (fields >> word >> a.number >> a.latency >> a.cpu >> a.added >> a.fits >> a.searches >> a.wait >> a.held &&
        word == "ask")
      out.push_back(a);
  }
  return out;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  double one = 0, five = 0, fifteen = 0;
  in >> one >> five >> fifteen;
  char text[64];
  std::snprintf(text, sizeof(text), "%.1f %.1f %.1f", one, five, fifteen);
  return text;
}

struct GpRow {
  double wall = 0, p50 = 0, max = 0;
  std::map<long long, double> latency_at;  // trial number -> the ask's latency
};

// `workers` processes x `cycles` ask/tell cycles of gp-logei on one fresh study file (seeded by 10
// Sobol points so every ask fits a GP). `single`: the one-worker row to compare with (nullptr for
// that row itself).
GpRow gp_workers_row(int workers, int cycles, const GpRow* single) {
  const std::string url = fresh_sqlite_url("gp-workers-" + std::to_string(workers));
  const boex::Problem h6 = boex::make_problem("Hartmann6");
  {
    boex::Study::Options o;
    o.strategy = "gp-logei";
    o.seed = 5;
    boex::Study study = boex::Study::open(url, "gp", six_floats(), o);
    const Eigen::MatrixXd X = boex::sobol_points(10, 6, 2);
    for (int i = 0; i < 10; ++i) {
      const boex::Params p = six_floats().decode(X.row(i).transpose());
      study.add_measured(p, h6.evaluate(p).value);
    }
  }
  const std::string load_before = load_average();
  std::vector<Worker> pool(workers);
  const auto start = Clock::now();
  for (Worker& w : pool)
    w.pid = boex::testing::spawn({self_path(), "gp-worker", "--url", url, "--study", "gp", "--count", std::to_string(cycles)},
                                 w.out.path(), w.err.path());
  for (Worker& w : pool)
    if (boex::testing::wait_for(w.pid) != 0)
      throw boex::StorageError("a worker failed: " + boex::testing::slurp(w.err.path()));
  GpRow row;
  row.wall = seconds_since(start);
  std::vector<double> latencies, cpus, matched, waits, helds;
  long long amended = 0, fits = 0, searches = 0;
  for (Worker& w : pool)
    for (const AskLine& a : ask_lines(boex::testing::slurp(w.out.path()))) {
      latencies.push_back(a.latency);
      cpus.push_back(a.cpu);
      waits.push_back(a.wait);
      helds.push_back(a.held);
      row.latency_at[a.number] = a.latency;
      amended += a.added > 0;
      fits += a.fits;
      searches += a.searches;
      if (single && single->latency_at.count(a.number)) matched.push_back(a.latency / single->latency_at.at(a.number));
    }
  const std::size_t complete = boex::Study::load(url, "gp").trials().size() - 10;
  row.p50 = boex::bench::median(latencies);
  row.max = *std::max_element(latencies.begin(), latencies.end());
  const auto ratio = [](double a, double b) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.2fx", a / b);
    return std::string(text);
  };
  std::printf("%7d | %6d | %8zu | %7.1f | %7s | %6.2f | %6.2f | %6.2f | %8s | %9s | %6.2f | %5.3f / %5.2f | %5.3f / %5.2f | %7lld | %5lld | %8lld | %s -> %s\n",
              workers, cycles, complete, row.wall, single ? ratio(row.wall, single->wall).c_str() : "-", row.p50,
              boex::bench::quantile(latencies, 0.9), row.max, ratio(row.max, single ? single->p50 : row.p50).c_str(),
              matched.empty() ? "-" : ratio(boex::bench::median(matched), 1.0).c_str(), boex::bench::median(cpus),
              boex::bench::median(waits), *std::max_element(waits.begin(), waits.end()), boex::bench::median(helds),
              *std::max_element(helds.begin(), helds.end()), amended,
              fits, searches, load_before.c_str(), load_average().c_str());
  std::fflush(stdout);
  return row;
}

// The comparison: one worker doing every cycle of the largest row, then 2, 4 and 8 workers
// x `cycles` each on the same kind of study; each row's asks against the one worker's.
void gp_workers(int cycles) {
  std::printf("gp-logei, Hartmann6, one SQLite file, 10 prior points, no evaluation time (every worker always asks); "
              "wall includes process start; ask latency and the asking process's CPU time per ask\n");
  std::printf("1w = the one worker doing all %d cycles; matched = median of latency / 1w's latency at the same trial "
              "number; amended = asks whose turn found trials added meanwhile; turn fits/searches: work done inside "
              "the turns (all asks)\n",
              8 * cycles);
  std::printf("workers | cycles | complete | wall(s) | wall/1w | p50(s) | p90(s) | max(s) | max/1w-p50 | matched | "
              "cpu p50 | turn wait p50/max | turn held p50/max | amended | fits  | searches | load before -> after\n");
  const GpRow single = gp_workers_row(1, 8 * cycles, nullptr);
  GpRow last;
  for (int w : {2, 4, 8}) last = gp_workers_row(w, cycles, &single);
  std::printf("target: 8 workers' wall (%.1f s) <= 1 worker's (%.1f s): %s; every ask <= 5 x the 1-worker median "
              "(%.2f s): max %.2f s = %.2fx: %s\n",
              last.wall, single.wall, last.wall <= single.wall ? "met" : "NOT met", single.p50, last.max,
              last.max / single.p50, last.max <= 5 * single.p50 ? "met" : "NOT met");
}

void throughput(const Backend& b, int n, int workers) {
  const boex::Problem h6 = boex::make_problem("Hartmann6");
  {
    const std::string name = b.study("one");
    boex::Study study = boex::Study::open(b.url, name, six_floats(), random_strategy());
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
      const boex::Trial t = study.ask();
      study.tell(t.id, h6.evaluate(t.params).value);
    }
    const double s = seconds_since(start);
    std::printf("%s: ask+tell, random strategy, 1 process:   %6d in %6.2f s = %6.0f per second\n", b.name.c_str(), n, s,
                n / s);
  }
  const std::string name = b.study("many");
  boex::Study::open(b.url, name, six_floats(), random_strategy());  // created before the workers race
  std::vector<Worker> pool(workers);
  const auto start = Clock::now();
  for (Worker& w : pool) start_worker(w, b.url, name, n / workers);
  for (Worker& w : pool)
    if (boex::testing::wait_for(w.pid) != 0)
      throw boex::StorageError("a worker failed: " + boex::testing::slurp(w.err.path()));
  const double s = seconds_since(start);
  const std::size_t told = boex::Study::load(b.url, name).trials().size();
  std::printf("%s: ask+tell, random strategy, %d processes: %6zu in %6.2f s = %6.0f per second (process start "
              "included)\n",
              b.name.c_str(), workers, told, s, told / s);
}

void reopen(const Backend& b, int n) {
  const boex::Problem h6 = boex::make_problem("Hartmann6");
  const std::string name = b.study("reopen");
  {
    // Built in one transaction: the rows are those ask/tell would write, without the wait.
    auto storage = boex::open_storage(b.url);
    boex::StudyRecord record;
    record.name = name;
    record.space = six_floats();
    record.strategy = "random";
    const Eigen::MatrixXd X = boex::sobol_points(n, 6, 3);
    std::vector<boex::StoredTrial> trials(n);
    for (int i = 0; i < n; ++i) {
      boex::Trial& t = trials[i].trial;
      t.number = i;
      t.state = boex::TrialState::kComplete;
      t.params = record.space.decode(X.row(i).transpose());
      t.value = h6.evaluate(t.params).value;
      trials[i].created_at = trials[i].heartbeat = 1.7e9 + i;
      trials[i].finished_at = 1.7e9 + i + 0.5;
    }
    storage->import_study(record, trials, {});
  }
  std::vector<double> times;
  std::size_t count = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto start = Clock::now();
    boex::Study study = boex::Study::load(b.url, name);
    count = study.trials().size();
    times.push_back(seconds_since(start));
  }
  std::printf("%s: reopen a %zu-trial study and read every trial: median %.1f ms (5 runs, connection included)\n",
              b.name.c_str(), count, 1e3 * boex::bench::median(times));
}

void cli_ask(const Backend& b) {
  const boex::Problem h6 = boex::make_problem("Hartmann6");
  const std::string name = b.study("cli");
  boex::Study study = boex::Study::open(b.url, name, six_floats());
  const Eigen::MatrixXd X = boex::sobol_points(100, 6, 1);
  for (int i = 0; i < 100; ++i) {
    const boex::Params p = six_floats().decode(X.row(i).transpose());
    study.add_measured(p, h6.evaluate(p).value);
  }
  std::vector<double> times;
  for (int rep = 0; rep < 7; ++rep) {
    const auto start = Clock::now();
    const boex::testing::ProcessResult r = boex::testing::run({BOEX_CLI, "ask", "--storage", b.url, "--study", name});
    if (r.exit_code != 0) throw boex::StorageError("boex ask failed: " + r.err);
    times.push_back(seconds_since(start));
    const auto trial = nlohmann::json::parse(r.out)["trials"][0];
    const boex::Params p = boex::params_from_json(trial["params"], study.space());
    study.tell(trial["trial"].get<std::int64_t>(), h6.evaluate(p).value);  // keep n at ~100 complete
  }
  std::printf("%s: one `boex ask` process (GP fit + acquisition), %zu trials, 6 parameters: median %.1f ms (7 runs)\n",
              b.name.c_str(), study.trials().size(), 1e3 * boex::bench::median(times));
}

// 8 workers x 200 trials, one killed every kill_every seconds and replaced by a worker that does
// what the killed one had left.
int robustness(const Backend& b, int workers, int per_worker, double kill_every, double stale_after, int eval_ms) {
  const std::string name = b.study("robust");
  boex::Study::open(b.url, name, six_floats(), random_strategy());
  std::vector<std::unique_ptr<Worker>> pool;
  std::vector<int> slot_of;       // pool index -> worker slot
  std::vector<int> current(workers);  // slot -> pool index of its live process
  std::vector<int> remaining(workers, per_worker);
  for (int s = 0; s < workers; ++s) {
    pool.push_back(std::make_unique<Worker>());
    start_worker(*pool.back(), b.url, name, per_worker, stale_after, eval_ms);
    slot_of.push_back(s);
    current[s] = s;
  }
  boex::Rng rng(7);
  std::set<std::int64_t> held_when_killed;
  int kills = 0;
  const auto start = Clock::now();
  auto next_kill = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(kill_every));
  std::vector<bool> done(workers, false);
  while (std::count(done.begin(), done.end(), true) < workers) {
    for (int s = 0; s < workers; ++s) {
      if (done[s]) continue;
      int status = 0;
      if (waitpid(pool[current[s]]->pid, &status, WNOHANG) == pool[current[s]]->pid) {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
          throw boex::StorageError("a worker failed: " + boex::testing::slurp(pool[current[s]]->err.path()));
        done[s] = true;
      }
    }
    if (Clock::now() >= next_kill) {
      next_kill += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(kill_every));
      std::vector<int> live;
      for (int s = 0; s < workers; ++s)
        if (!done[s]) live.push_back(s);
      if (!live.empty()) {
        const int s = live[static_cast<std::size_t>(rng.uniform() * live.size()) % live.size()];
        Worker& victim = *pool[current[s]];
        kill(victim.pid, SIGKILL);
        boex::testing::wait_for(victim.pid);
        ++kills;
        const std::string out = boex::testing::slurp(victim.out.path());
        const auto told = boex::testing::told_lines(out);
        for (const auto& [id, v] : boex::testing::worker_lines(out, "asked"))
          if (!told.count(id)) held_when_killed.insert(id);
        remaining[s] -= static_cast<int>(told.size());
        pool.push_back(std::make_unique<Worker>());
        start_worker(*pool.back(), b.url, name, remaining[s], stale_after, eval_ms);
        slot_of.push_back(s);
        current[s] = static_cast<int>(pool.size()) - 1;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double wall = seconds_since(start);
  // Every told line of every process, live or killed.
  std::map<std::int64_t, double> told;
  std::size_t duplicates = 0;
  for (const auto& w : pool)
    for (const auto& [id, v] : boex::testing::told_lines(boex::testing::slurp(w->out.path())))
      duplicates += !told.emplace(id, v).second;
  auto storage = boex::open_storage(b.url);
  const std::int64_t study_id = storage->find_study(name)->id;
  std::size_t failed_during_run = 0;
  for (const boex::StoredTrial& s : storage->stored_trials(study_id))
    failed_during_run += s.trial.state == boex::TrialState::kFailed;
  std::this_thread::sleep_for(std::chrono::duration<double>(stale_after + 0.5));
  const int failed_at_end = storage->fail_stale_trials(study_id, stale_after);
  std::size_t lost = 0, complete = 0, failed = 0, running = 0, stale_held = 0;
  const auto trials = storage->stored_trials(study_id);
  for (const boex::StoredTrial& s : trials) {
    const boex::Trial& t = s.trial;
    complete += t.state == boex::TrialState::kComplete;
    failed += t.state == boex::TrialState::kFailed;
    running += t.state == boex::TrialState::kRunning;
    if (told.count(t.id) && (t.state != boex::TrialState::kComplete || *t.value != told.at(t.id))) ++lost;
    if (held_when_killed.count(t.id) && t.state == boex::TrialState::kFailed && s.fail_reason == "stale") ++stale_held;
  }
  std::printf("%s: robustness: %d workers x %d trials (%d ms evaluations, heartbeats every 50 ms, stale after %.1f s), "
              "one SIGKILLed every %.1f s: %d kills, %.1f s\n",
              b.name.c_str(), workers, per_worker, eval_ms, stale_after, kill_every, kills, wall);
  std::printf("%s:   %zu trials: %zu complete, %zu failed (%zu by workers' heartbeat rule during the run, %d by the "
              "same rule after it), %zu running; told %zu, lost tells %zu, trials told twice %zu; trials held by killed "
              "workers %zu, of them failed as stale %zu\n",
              b.name.c_str(), trials.size(), complete, failed, failed_during_run, failed_at_end, running, told.size(), lost,
              duplicates, held_when_killed.size(), stale_held);
  const bool ok = lost == 0 && duplicates == 0 && running == 0 && told.size() == complete &&
                  told.size() == static_cast<std::size_t>(workers * per_worker) && stale_held == held_when_killed.size();
  std::printf("%s:   %s\n", b.name.c_str(), ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex-storage-bench: ask+tell throughput and reopen latency of the storage backends"};
  int n = 5000, workers = 8, reopen_trials = 10000;
  std::string postgres = std::getenv("BOEX_TEST_POSTGRES_URL") ? std::getenv("BOEX_TEST_POSTGRES_URL") : "";
  bool no_sqlite = false, with_robustness = false, robustness_only = false, gp_only = false;
  int gp_cycles = 40;
  app.add_option("--trials", n, "ask+tell cycles per throughput row")->capture_default_str();
  app.add_option("--workers", workers, "worker processes of the parallel row")->capture_default_str();
  app.add_option("--reopen-trials", reopen_trials, "trials of the study to reopen")->capture_default_str();
  app.add_option("--postgres", postgres,
                 "PostgreSQL URL to measure too (default: $BOEX_TEST_POSTGRES_URL); the bench leaves its studies "
                 "(bench-*) there");
  app.add_flag("--no-sqlite", no_sqlite, "measure PostgreSQL only");
  app.add_flag("--robustness", with_robustness, "also run the kill test (8 x 200 trials) on every backend");
  app.add_flag("--robustness-only", robustness_only, "run only the kill test");
  app.add_flag("--gp-workers", gp_only, "run only the gp-logei workers table (1, 2, 4, 8 workers on one SQLite file)");
  app.add_option("--gp-cycles", gp_cycles, "ask/tell cycles per worker of the gp-logei table")->capture_default_str();
  CLI::App* worker = app.add_subcommand("worker", "(internal) one worker process");
  std::string url, study;
  int count = 0, eval_ms = 0;
  double stale_after = 0;
  std::string strategy = "random";
  worker->add_option("--url", url)->required();
  worker->add_option("--study", study)->required();
  worker->add_option("--count", count)->required();
  worker->add_option("--stale-after", stale_after);
  worker->add_option("--eval-ms", eval_ms);
  worker->add_option("--strategy", strategy);
  worker->group("");  // not shown in --help
  CLI::App* gp_worker = app.add_subcommand("gp-worker", "(internal) one worker of the gp-logei table");
  gp_worker->add_option("--url", url)->required();
  gp_worker->add_option("--study", study)->required();
  gp_worker->add_option("--count", count)->required();
  gp_worker->group("");
  CLI11_PARSE(app, argc, argv);
  try {
    if (worker->parsed()) return run_worker(url, study, count, stale_after, eval_ms, strategy);
    if (gp_worker->parsed()) return run_gp_worker(url, study, count);
    if (gp_only) {
      gp_workers(gp_cycles);
      return 0;
    }
    std::vector<Backend> backends;
    if (!no_sqlite) backends.push_back({"sqlite", ""});
    if (!postgres.empty()) {
      backends.push_back({"postgresql", postgres});
      // The same server, the connection's commits not waiting for the disk (libpq's options
      // parameter): a server crash may lose its last fraction of a second, as SQLite's
      // synchronous=NORMAL may on a power cut.
      const std::string async = std::string(postgres.find('?') == std::string::npos ? "?" : "&") +
                                "options=-csynchronous_commit%3Doff";
      backends.push_back({"postgresql, synchronous_commit=off", postgres + async, true});
    }
    int status = 0;
    for (Backend& b : backends) {
      const bool sqlite = b.name == "sqlite";
      if (!robustness_only) {
        if (sqlite) b.url = fresh_sqlite_url("throughput");
        throughput(b, n, workers);
        if (b.throughput_only) continue;
        if (sqlite) b.url = fresh_sqlite_url("reopen");
        reopen(b, reopen_trials);
        if (sqlite) b.url = fresh_sqlite_url("cli");
        cli_ask(b);
      }
      if ((with_robustness || robustness_only) && !b.throughput_only) {
        if (sqlite) b.url = fresh_sqlite_url("robustness");
        status |= robustness(b, 8, 200, 2.0, 2.0, 50);
      }
    }
    return status;
  } catch (const boex::Error& e) {
    std::fprintf(stderr, "%s: %s\n", e.kind(), e.what());
    return 1;
  }
}
