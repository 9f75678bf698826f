// boex-landscape-bench: strategies on a measured fitness landscape (a `variant,fitness` CSV such as
// the GB1 four-site table of Wu et al. 2016), as a protein-engineering campaign runs: random
// initial variants, then batches asked and measured. A variant absent from the table is told as
// failed (a lab's failed synthesis). Prints the best fitness found, how many of the landscape's
// top-100 variants were found and the wall time per batch, per method (medians over seeds).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "benchmarks/bench_stats.h"
#include "benchmarks/parallel_runs.h"
#include "core/errors.h"
#include "core/rng.h"
#include "engine/landscape_problem.h"
#include "engine/strategy.h"

namespace {

// The landscape with its 100 fittest variants, the campaign's "found a top variant" count.
struct Landscape : boex::Landscape {
  explicit Landscape(boex::Landscape l) : boex::Landscape(std::move(l)), maximum(boex::Landscape::maximum()) {
    for (const std::string& v : boex::Landscape::top(100)) top.insert(v);
  }
  double maximum;
  std::set<std::string> top;
};

struct Result {
  double best = -INFINITY;
  int top_found = 0;
  std::vector<double> batch_seconds;
};

struct Campaign {
  int initial = 100, batches = 10, batch = 20;
};

Result run(const Landscape& land, const boex::SearchSpace& space, const std::string& method, const std::string& options,
           std::uint64_t seed, const Campaign& c) {
  const auto strategy = boex::make_strategy(method, boex::resolve_strategy_options(method, options));
  boex::History h;
  h.X.resize(0, space.dimension());
  h.X_pending.resize(0, space.dimension());
  h.X_failed.resize(0, space.dimension());
  h.C.resize(0, 0);
  std::set<std::string> measured;
  Result r;
  auto tell = [&](const Eigen::VectorXd& x) {
    const std::string v = std::get<std::string>(space.decode(x).at("variant"));
    ++h.num_trials;
    auto it = land.fitness.find(v);
    Eigen::MatrixXd& M = it == land.fitness.end() ? h.X_failed : h.X;
    M.conservativeResize(M.rows() + 1, Eigen::NoChange);
    M.bottomRows(1) = x.transpose();
    if (it == land.fitness.end()) return;
    h.y.conservativeResize(h.y.size() + 1);
    h.y(h.y.size() - 1) = it->second;
    h.C.conservativeResize(h.y.size(), 0);
    r.best = std::max(r.best, it->second);
    if (land.top.count(v) && measured.insert(v).second) ++r.top_found;
  };
  // Random initial variants, uniform over the space (the same for every method of a seed).
  boex::Rng rng(boex::mix_seed(seed, 0x1a7d));
  std::set<std::string> initial;
  while (static_cast<int>(initial.size()) < c.initial) {
    std::string v(static_cast<std::size_t>(land.length), ' ');
    for (char& ch : v) ch = land.alphabet[rng.index(land.alphabet.size())];
    if (initial.insert(v).second) tell(space.encode({{"variant", v}}));
  }
  boex::SuggestRequest request;
  request.space = &space;
  request.study_seed = seed;
  request.n_init = c.initial;
  request.count = c.batch;
  for (int b = 0; b < c.batches; ++b) {
    request.history = h;
    const auto start = std::chrono::steady_clock::now();
    const std::vector<Eigen::VectorXd> points = strategy->suggest(request);
    r.batch_seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    for (const Eigen::VectorXd& x : points) tell(x);
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex-landscape-bench: strategies on a measured variant,fitness landscape (maximise fitness)"};
  std::string path = std::string(BOEX_REPO_DIR) + "/data/landscapes/gb1.csv";
  std::string methods = "gp-gameopt,gp-gameopt-ibr,gp-logei,random", options, output;
  int seeds = 10, jobs = 1;
  Campaign c;
  app.add_option("landscape", path, "the variant,fitness CSV (default: data/landscapes/gb1.csv, shipped with boex)");
  app.add_option("--method", methods, "comma-separated strategy names");
  app.add_option("--options", options, "strategy options (JSON) for the gp-gameopt methods, e.g. {\"game\": {\"rounds\": 200}}");
  app.add_option("--seeds", seeds, "seeds 0 .. N-1");
  app.add_option("--initial", c.initial, "random initial variants");
  app.add_option("--batches", c.batches, "batches after the initial ones");
  app.add_option("--batch", c.batch, "variants per batch");
  app.add_option("--jobs", jobs, "runs in parallel (times are per run; 1 for clean timings)");
  app.add_option("--output", output, "append one JSON line per run to this file");
  CLI11_PARSE(app, argc, argv);
  try {
    const Landscape land(boex::Landscape::from_csv_file(path));
    const boex::SearchSpace space({boex::Parameter::Sequence("variant", land.length, land.alphabet)});
    std::printf("%s: %zu variants of %d sites over %zu letters; maximum %.4g\n", path.c_str(), land.fitness.size(), land.length,
                land.alphabet.size(), land.maximum);
    struct Job {
      std::string method;
      std::uint64_t seed;
      Result result;
    };
    std::vector<Job> runs;
    for (const std::string& m : boex::bench::split_list(methods))
      for (int s = 0; s < seeds; ++s) runs.push_back({m, static_cast<std::uint64_t>(s), {}});
    std::mutex lock;
    boex::bench::run_in_parallel(runs.size(), jobs, [&](std::size_t i) {
      Job& job = runs[i];
      const std::string o = job.method.rfind("gp-gameopt", 0) == 0 ? options : "";
      job.result = run(land, space, job.method, o, job.seed, c);
      std::lock_guard<std::mutex> g(lock);
      std::fprintf(stderr, "%s seed %llu: best %.4g, top-100 found %d, %.2f s/batch\n", job.method.c_str(),
                   static_cast<unsigned long long>(job.seed), job.result.best, job.result.top_found,
                   boex::bench::median(job.result.batch_seconds));
    });
    if (!output.empty()) {
      std::ofstream out(output, std::ios::app);
      for (const Job& j : runs) {
        out << "{\"landscape\": \"" << path << "\", \"method\": \"" << j.method << "\", \"seed\": " << j.seed
            << ", \"initial\": " << c.initial << ", \"batches\": " << c.batches << ", \"batch\": " << c.batch
            << ", \"best\": " << j.result.best << ", \"top100_found\": " << j.result.top_found << ", \"batch_seconds\": [";
        for (std::size_t k = 0; k < j.result.batch_seconds.size(); ++k) out << (k ? ", " : "") << j.result.batch_seconds[k];
        out << "]}\n";
      }
    }
    std::printf("%-16s %5s %6s %12s %12s %12s %10s %12s\n", "method", "seeds", "evals", "median best", "best q25",
                "global max", "top-100", "s/batch");
    for (const std::string& m : boex::bench::split_list(methods)) {
      std::vector<double> best, top, secs;
      int at_max = 0;
      for (const Job& j : runs) {
        if (j.method != m) continue;
        best.push_back(j.result.best);
        top.push_back(j.result.top_found);
        secs.push_back(boex::bench::median(j.result.batch_seconds));
        at_max += j.result.best == land.maximum;
      }
      std::vector<double> sorted = best;
      std::sort(sorted.begin(), sorted.end());
      std::printf("%-16s %5zu %6d %12.4g %12.4g %9d/%-2zu %10.1f %12.3f\n", m.c_str(), best.size(),
                  c.initial + c.batches * c.batch, boex::bench::median(best), sorted[sorted.size() / 4], at_max, best.size(),
                  boex::bench::median(top), boex::bench::median(secs));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
