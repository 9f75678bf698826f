// One benchmark run: a method (a strategy name) on a problem with a seed and a budget (of
// evaluations, or of total cost), through the public Study API, recorded as design.md's JSONL row.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/problems.h"

namespace boex::bench {

struct RunSpec {
  std::string problem;
  std::string method;
  std::uint64_t seed = 0;
  int budget = 30;         // evaluations at most
  double cost_budget = 0;  // > 0: also stop once the evaluations' total cost reaches it
  int n_init = 0;          // 0: the strategy's default
  // Multi-fidelity problems: a cost other than the problem's own (its cost_curve and the study's
  // declared cost both use it).
  std::optional<AffineCost> cost;
  std::string strategy_options;  // JSON text of the strategy's settings overrides ("": its defaults)
  int batch = 1;                 // points per ask, all measured before the next ask
};

struct RunRecord {
  RunSpec spec;
  int n_init = 0;  // the size actually used
  double optimal_value = 0.0;
  // Best feasible value after i + 1 evaluations (inf: none yet). Multi-fidelity problems: the
  // best value at the target fidelity; with a strategy that models the fidelity, the true
  // target-fidelity value of the point the study recommends (Study::recommend) then.
  std::vector<double> best_curve;
  std::vector<double> cost_curve;       // total cost after i + 1 evaluations (1 each without a cost model)
  std::vector<double> suggest_seconds;  // wall time of each ask (of `batch` points) after the initial design
  int n_done = 0;
  int n_failed = 0;  // evaluations without a value (told as failed)

  double final_gap() const { return best_curve.empty() ? INFINITY : best_curve.back() - optimal_value; }
  // The gap after the last evaluation whose total cost is at most `cost` (inf: none).
  double gap_at_cost(double cost) const;
  // {"problem": ..., "best_curve": [...]} with Infinity written as a bare literal, like Python's json.
  std::string to_jsonl() const;
};

RunRecord run(const RunSpec& spec);

// Default budgets: 30 evaluations for d <= 2 and for constrained problems, else 60.
int default_budget(const Problem& problem);

}  // namespace boex::bench
