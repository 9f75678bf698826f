#include "benchmarks/multi_objective_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "benchmarks/bench_stats.h"
#include "benchmarks/multi_objective_problems.h"
#include "benchmarks/parallel_runs.h"
#include "core/hypervolume.h"
#include "core/rng.h"
#include "engine/study.h"

namespace boex::bench {
namespace {

Study open_study(const MultiObjectiveProblem& problem, const std::string& method, std::uint64_t seed, int n_init,
                 const std::string& strategy_options) {
  Study::Options options;
  options.strategy = method;
  options.seed = seed;
  options.n_init = n_init;
  options.n_constraints = problem.n_constraints;
  options.strategy_options = strategy_options;
  // BoTorch's reference point is the threshold: worse than it adds no hypervolume.
  for (int j = 0; j < problem.n_objectives; ++j)
    options.objectives.push_back({"f" + std::to_string(j + 1), Direction::kMinimize, problem.reference[static_cast<std::size_t>(j)]});
  return Study::open("sqlite::memory:", problem.name, problem.space, options);
}

}  // namespace

double MultiObjectiveRunRecord::log_hypervolume_difference() const {
  const double hv = hypervolume_curve.empty() ? 0.0 : hypervolume_curve.back();
  return std::log10(std::max(max_hypervolume - hv, 0.0));
}

std::string MultiObjectiveRunRecord::to_jsonl() const {
  nlohmann::json row = {{"problem", spec.problem},
                        {"method", spec.method},
                        {"seed", spec.seed},
                        {"n_init", n_init},
                        {"budget", static_cast<int>(values.size())},
                        {"reference", reference},
                        {"max_hypervolume", max_hypervolume},
                        {"values", values},
                        {"feasible", feasible},
                        {"hypervolume_curve", hypervolume_curve},
                        {"log_hv_difference", log_hypervolume_difference()},
                        {"suggest_seconds", suggest_seconds}};
  return row.dump();
}

MultiObjectiveRunRecord run_multi_objective(const MultiObjectiveRunSpec& spec) {
  const MultiObjectiveProblem problem = make_multi_objective_problem(spec.problem);
  Study study = open_study(problem, spec.method, spec.seed, spec.n_init, spec.strategy_options);
  MultiObjectiveRunRecord record;
  record.spec = spec;
  record.n_init = spec.n_init > 0 ? spec.n_init : default_n_init(problem.space);
  record.reference = problem.reference;
  record.max_hypervolume = problem.max_hypervolume;
  const int budget = spec.budget > 0 ? spec.budget : problem.budget;
  const Eigen::VectorXd reference = -Eigen::Map<const Eigen::VectorXd>(problem.reference.data(), problem.n_objectives);
  Eigen::MatrixXd front(0, problem.n_objectives);  // feasible points so far, maximising
  for (int i = 0; i < budget; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const Trial t = study.ask();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (i >= record.n_init) record.suggest_seconds.push_back(seconds);
    const MultiObjectiveEvaluation e = problem.evaluate(t.params);
    study.tell_values(t.id, e.values, e.constraints);
    const bool feasible = std::all_of(e.constraints.begin(), e.constraints.end(), [](double c) { return c <= 0.0; });
    record.values.push_back(e.values);
    record.feasible.push_back(feasible);
    if (feasible) {
      front.conservativeResize(front.rows() + 1, Eigen::NoChange);
      for (int j = 0; j < problem.n_objectives; ++j) front(front.rows() - 1, j) = -e.values[static_cast<std::size_t>(j)];
    }
    record.hypervolume_curve.push_back(hypervolume(front, reference));
  }
  return record;
}

SuggestionTime time_one_suggestion(const std::string& problem_name, const std::string& method, int observations, std::uint64_t seed) {
  const MultiObjectiveProblem problem = make_multi_objective_problem(problem_name);
  Study study = open_study(problem, method, seed, 0, "");
  const Eigen::MatrixXd design = problem.space.sobol(observations, mix_seed(seed, 17));
  for (Eigen::Index i = 0; i < design.rows(); ++i) {
    const Params params = problem.space.decode(design.row(i).transpose());
    const MultiObjectiveEvaluation e = problem.evaluate(params);
    study.add_measured_values(params, e.values, e.constraints);
  }
  const auto thread_cpu = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
  };
  const double cpu_start = thread_cpu();
  const auto start = std::chrono::steady_clock::now();
  study.ask();
  SuggestionTime out;
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.cpu_seconds = thread_cpu() - cpu_start;
  return out;
}

int run_multi_objective_bench(const std::vector<std::string>& problems, const std::vector<std::string>& methods, int seeds,
                              int budget, int n_init, int jobs, const std::string& strategy_options,
                              const std::string& output, int time_at) {
  std::vector<MultiObjectiveRunSpec> specs;
  for (const std::string& p : problems)
    for (const std::string& m : methods)
      for (int s = 0; s < seeds; ++s) specs.push_back({p, m, static_cast<std::uint64_t>(s), budget, n_init, strategy_options});
  std::vector<MultiObjectiveRunRecord> records(specs.size());
  std::mutex io;
  std::ofstream out;
  if (!output.empty()) out.open(output, std::ios::app);
  run_in_parallel(specs.size(), jobs, [&](std::size_t i) {
    records[i] = run_multi_objective(specs[i]);
    std::lock_guard<std::mutex> lock(io);
    if (out) out << records[i].to_jsonl() << '\n' << std::flush;
  });
  std::map<std::pair<std::string, std::string>, std::vector<const MultiObjectiveRunRecord*>> groups;
  for (const auto& r : records) groups[{r.spec.problem, r.spec.method}].push_back(&r);
  std::printf("%-24s %-14s %5s %6s %14s %10s %10s %12s\n", "problem", "method", "seeds", "budget", "median log HVd",
              "q1", "q3", "suggest ms");
  for (const auto& [key, runs] : groups) {
    std::vector<double> gaps, suggest;
    for (const auto* r : runs) {
      gaps.push_back(r->log_hypervolume_difference());
      suggest.insert(suggest.end(), r->suggest_seconds.begin(), r->suggest_seconds.end());
    }
    std::printf("%-24s %-14s %5zu %6zu %14.3f %10.3f %10.3f %12.1f\n", key.first.c_str(), key.second.c_str(), runs.size(),
                runs.front()->values.size(), quantile(gaps, 0.5), quantile(gaps, 0.25), quantile(gaps, 0.75), 1e3 * quantile(suggest, 0.5));
  }
  if (time_at > 0) {
    std::printf("\none suggestion after %d observations (s):\n%-24s %-14s %8s %8s\n", time_at, "problem", "method", "wall",
                "cpu");
    for (const std::string& p : problems)
      for (const std::string& m : methods) {
        const SuggestionTime t = time_one_suggestion(p, m, time_at, 0);
        std::printf("%-24s %-14s %8.3f %8.3f\n", p.c_str(), m.c_str(), t.wall_seconds, t.cpu_seconds);
      }
  }
  return 0;
}

}  // namespace boex::bench
