// boex-bench: methods x problems x seeds, measured for sample efficiency (final gap to the known
// optimum) and speed (wall time per suggestion). Rows go to --output as JSONL; a summary table
// with medians and quartiles goes to stdout, a progress line (runs done, best gap, ETA) to stderr
// when it is a terminal. For multi-fidelity problems, a second table gives the median gap at the
// target fidelity against the total cost, and the cost at which each method first reaches
// gp-logei's final median gap.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

#include "benchmarks/bench_run.h"
#include "benchmarks/bench_stats.h"
#include "benchmarks/multi_objective_bench.h"
#include "benchmarks/multi_objective_problems.h"
#include "benchmarks/parallel_runs.h"
#include "core/errors.h"
#include "core/progress_line.h"
#include "engine/problems.h"
#include "engine/strategy.h"

namespace {

using Groups = std::map<std::pair<std::string, std::string>, std::vector<const boex::bench::RunRecord*>>;

// Median over the runs of the gap after the last evaluation within `cost`.
double median_gap_at(const std::vector<const boex::bench::RunRecord*>& runs, double cost) {
  std::vector<double> gaps;
  for (const auto* r : runs) gaps.push_back(r->gap_at_cost(cost));
  return boex::bench::quantile(gaps, 0.5);
}

// Multi-fidelity problems: median gap against total cost, and the cost at which each method's
// median gap first reaches gp-logei's final one.
void print_cost_table(const Groups& groups) {
  std::map<std::string, double> reference;  // gp-logei's final median gap per problem
  std::map<std::string, double> largest;    // the largest total cost of any run per problem
  for (const auto& [key, runs] : groups) {
    if (!boex::make_problem(key.first).cost) continue;
    for (const auto* r : runs) largest[key.first] = std::max(largest[key.first], r->cost_curve.empty() ? 0.0 : r->cost_curve.back());
    if (key.second == "gp-logei") {
      std::vector<double> gaps;
      for (const auto* r : runs) gaps.push_back(r->final_gap());
      reference[key.first] = boex::bench::quantile(gaps, 0.5);
    }
  }
  if (largest.empty()) return;
  std::printf("\n%-20s %-12s %10s %10s %10s %10s %10s %16s %12s\n", "problem", "method", "cost", "gap@25%",
              "gap@50%", "gap@75%", "gap@100%", "cost to ref gap", "ref gap");
  for (const auto& [key, runs] : groups) {
    auto it = largest.find(key.first);
    if (it == largest.end()) continue;
    std::vector<double> totals, points;
    for (const auto* r : runs) {
      totals.push_back(r->cost_curve.empty() ? 0.0 : r->cost_curve.back());
      points.insert(points.end(), r->cost_curve.begin(), r->cost_curve.end());
    }
    std::sort(points.begin(), points.end());
    const double C = it->second;
    const auto ref = reference.find(key.first);
    double reach = INFINITY;
    if (ref != reference.end())
      for (double c : points)
        if (median_gap_at(runs, c) <= ref->second) {
          reach = c;
          break;
        }
    std::printf("%-20s %-12s %10.1f %10.4g %10.4g %10.4g %10.4g %16.1f %12.4g\n", key.first.c_str(), key.second.c_str(),
                boex::bench::quantile(totals, 0.5), median_gap_at(runs, 0.25 * C), median_gap_at(runs, 0.5 * C),
                median_gap_at(runs, 0.75 * C), median_gap_at(runs, C), reach,
                ref != reference.end() ? ref->second : NAN);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex-bench: sample efficiency and speed of boex's strategies on problems with known optima"};
  std::string problems = "Branin,Hartmann6", methods = "gp-logei", output, strategy_options;
  int seeds = 10, budget = 0, n_init = 0, jobs = 1, batch = 1;
  double cost_budget = 0;
  std::vector<double> cost;
  app.add_option("--problem", problems,
                 "comma-separated problem names (Branin, Hartmann6, Ackley5, SpeedReducer, AugmentedHartmann, ..., "
                 "NK6, landscape:FILE.csv for a variant,fitness table)");
  app.add_option("--method", methods, "comma-separated strategy names, e.g. gp-logei,random,sobol");
  app.add_option("--seeds", seeds, "seeds 0 .. N-1");
  app.add_option("--budget", budget, "evaluations per run (0: 30 for d <= 2 and constrained problems, else 60)");
  app.add_option("--cost-budget", cost_budget,
                 "stop a run once its evaluations' total cost reaches this (multi-fidelity problems: cost 5 + s; "
                 "others: 1 per evaluation)");
  app.add_option("--cost", cost,
                 "multi-fidelity problems: FIXED,WEIGHT, an evaluation at fidelity s costs FIXED + WEIGHT x s (default: "
                 "the problem's, 5 + s)")
      ->delimiter(',')
      ->expected(2);
  app.add_option("--n-init", n_init, "initial-design size (0: the strategy's default)");
  app.add_option("--batch", batch, "points per ask, all measured before the next ask")->check(CLI::PositiveNumber);
  app.add_option("--jobs", jobs, "runs in parallel (suggestion times are per run; use 1 for clean timings)");
  app.add_option("--strategy-options", strategy_options,
                 "JSON overrides of every method's settings, as boex create takes them, e.g. "
                 "'{\"output_warping\": {\"method\": \"power\"}}'");
  app.add_option("--output", output, "append one JSON line per run to this file");
  int time_at = 0;
  app.add_option("--time-at", time_at,
                 "multi-objective problems: also time one suggestion after this many observations (e.g. 100)");
  CLI11_PARSE(app, argc, argv);

  // Multi-objective problems (BraninCurrin, DTLZ2, ConstrainedBraninCurrin) have rows and a table
  // of their own (multi_objective_bench.h); the rest continue below.
  std::vector<std::string> several, single;
  for (const std::string& p : boex::bench::split_list(problems)) (boex::bench::is_multi_objective_problem(p) ? several : single).push_back(p);
  if (!several.empty()) {
    try {
      for (const std::string& m : boex::bench::split_list(methods)) boex::make_strategy(m, strategy_options);
      boex::bench::run_multi_objective_bench(several, boex::bench::split_list(methods), seeds, budget, n_init, jobs, strategy_options, output,
                                             time_at);
    } catch (const boex::Error& e) {
      std::fprintf(stderr, "boex-bench: %s\n", e.what());
      return 2;
    }
    if (single.empty()) return 0;
  }

  std::vector<boex::bench::RunSpec> specs;
  try {
    for (const std::string& p : single) {
      const boex::Problem problem = boex::make_problem(p);
      for (const std::string& m : boex::bench::split_list(methods)) {
        boex::make_strategy(m, strategy_options);  // bad names and options fail here, before any run
        for (int s = 0; s < seeds; ++s)
          specs.push_back({p, m, static_cast<std::uint64_t>(s),
                           budget > 0 ? budget : cost_budget > 0 ? 100000 : boex::bench::default_budget(problem),
                           cost_budget, n_init,
                           cost.empty() ? std::nullopt : std::optional<boex::AffineCost>(boex::AffineCost{cost[0], cost[1]}),
                           strategy_options, batch});
      }
    }
  } catch (const boex::Error& e) {
    std::fprintf(stderr, "boex-bench: %s\n", e.what());
    return 2;
  }

  std::vector<boex::bench::RunRecord> records(specs.size());
  int done = 0;
  std::mutex io;
  std::ofstream out;
  if (!output.empty()) out.open(output, std::ios::app);
  boex::ProgressLine line("runs", static_cast<int>(specs.size()), "best gap");
  std::optional<double> best_gap;
  line.update(0);
  boex::bench::run_in_parallel(specs.size(), jobs, [&](std::size_t i) {
    records[i] = boex::bench::run(specs[i]);
    std::lock_guard<std::mutex> lock(io);
    if (out) out << records[i].to_jsonl() << '\n' << std::flush;
    const double gap = records[i].final_gap();
    if (std::isfinite(gap) && (!best_gap || gap < *best_gap)) best_gap = gap;
    line.update(++done, best_gap);
  });
  line.finish();

  Groups groups;
  for (const auto& r : records) groups[{r.spec.problem, r.spec.method}].push_back(&r);
  std::printf("%-26s %-10s %5s %6s %12s %12s %12s %9s %12s\n", "problem", "method", "seeds", "budget", "median gap",
              "q1 gap", "q3 gap", "feasible", "suggest ms");
  for (const auto& [key, runs] : groups) {
    std::vector<double> gaps, suggest;
    int feasible = 0;
    for (const auto* r : runs) {
      gaps.push_back(r->final_gap());
      feasible += std::isfinite(r->final_gap());
      suggest.insert(suggest.end(), r->suggest_seconds.begin(), r->suggest_seconds.end());
    }
    std::printf("%-26s %-10s %5zu %6d %12.4g %12.4g %12.4g %6d/%-2zu %12.2f\n", key.first.c_str(), key.second.c_str(),
                runs.size(), runs.front()->spec.budget, boex::bench::quantile(gaps, 0.5), boex::bench::quantile(gaps, 0.25), boex::bench::quantile(gaps, 0.75),
                feasible, runs.size(), 1e3 * boex::bench::quantile(suggest, 0.5));
  }
  print_cost_table(groups);
  return 0;
}
