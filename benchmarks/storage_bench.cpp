// boex-storage-bench: storage throughput and resume latency on a real SQLite file.
//  1. ask+tell per second with a cheap strategy (random), one process;
//  2. time to reopen a 10,000-trial study (Study::load + reading every trial);
//  3. wall time of one `boex ask` process on a 100-trial, 6-parameter gp-logei study.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/json_io.h"
#include "core/sobol.h"
#include "engine/problems.h"
#include "engine/study.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

boex::SearchSpace six_floats() { return boex::make_problem("Hartmann6").space; }

std::string fresh_file(const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() / ("boex-storage-bench-" + name + ".db");
  for (const char* side : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + side);
  return path.string();
}

}  // namespace

int main(int argc, char** argv) {
  const int n_throughput = argc > 1 ? std::stoi(argv[1]) : 5000;
  const boex::Problem h6 = boex::make_problem("Hartmann6");
  boex::Study::Options random;
  random.strategy = "random";

  {  // 1. ask + tell throughput
    const std::string file = fresh_file("throughput");
    boex::Study study = boex::Study::open("sqlite:///" + file, "throughput", six_floats(), random);
    const auto start = Clock::now();
    for (int i = 0; i < n_throughput; ++i) {
      const boex::Trial t = study.ask();
      study.tell(t.id, h6.evaluate(t.params).value);
    }
    const double s = seconds_since(start);
    std::printf("ask+tell, random strategy, file database: %d in %.3f s = %.0f per second\n", n_throughput, s,
                n_throughput / s);
  }

  {  // 2. reopen a 10,000-trial study
    const std::string file = fresh_file("reopen"), url = "sqlite:///" + file;
    {
      boex::Study study = boex::Study::open(url, "big", six_floats(), random);
      for (int i = 0; i < 10000; ++i) {
        const boex::Trial t = study.ask();
        study.tell(t.id, h6.evaluate(t.params).value);
      }
    }
    std::vector<double> times;
    std::size_t count = 0;
    for (int rep = 0; rep < 5; ++rep) {
      const auto start = Clock::now();
      boex::Study study = boex::Study::load(url, "big");
      count = study.trials().size();
      times.push_back(seconds_since(start));
    }
    std::printf("reopen a %zu-trial study and read every trial: median %.1f ms (5 runs)\n", count, 1e3 * median(times));
  }

  {  // 3. one `boex ask` process on a 100-trial, 6-parameter study
    const std::string file = fresh_file("cli"), url = "sqlite:///" + file;
    boex::Study study = boex::Study::open(url, "cli", six_floats());
    const Eigen::MatrixXd X = boex::sobol_points(100, 6, 1);
    for (int i = 0; i < 100; ++i) {
      const boex::Params p = six_floats().decode(X.row(i).transpose());
      study.add_measured(p, h6.evaluate(p).value);
    }
    std::vector<double> times;
    const std::string command = std::string(BOEX_CLI) + " ask --storage " + url + " --study cli";
    for (int rep = 0; rep < 7; ++rep) {
      const auto start = Clock::now();
      FILE* pipe = popen(command.c_str(), "r");
      std::string out;
      char buffer[4096];
      while (pipe && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
      if (!pipe || pclose(pipe) != 0) return std::fprintf(stderr, "boex ask failed: %s\n", out.c_str()), 1;
      times.push_back(seconds_since(start));
      const auto trial = nlohmann::json::parse(out)["trials"][0];
      const boex::Params p = boex::params_from_json(trial["params"], study.space());
      study.tell(trial["trial"].get<std::int64_t>(), h6.evaluate(p).value);  // keep n at ~100 complete
    }
    std::printf("one `boex ask` process (GP fit + acquisition) on a %zu-trial 6-parameter study: median %.1f ms (7 runs)\n",
                study.trials().size(), 1e3 * median(times));
  }
  return 0;
}
