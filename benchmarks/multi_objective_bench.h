// boex-bench's multi-objective rows: a strategy on a multi-objective problem with a seed, through
// the public Study API, recorded with every evaluated objective vector (minimisation units), its
// feasibility, and the log10 hypervolume difference to the true front after the budget.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace boex::bench {

struct MultiObjectiveRunSpec {
  std::string problem;
  std::string method;
  std::uint64_t seed = 0;
  int budget = 0;  // 0: the problem's
  int n_init = 0;  // 0: the strategy's default
  std::string strategy_options;
};

struct MultiObjectiveRunRecord {
  MultiObjectiveRunSpec spec;
  int n_init = 0;
  std::vector<double> reference;
  double max_hypervolume = 0.0;
  std::vector<std::vector<double>> values;  // per evaluation, in order
  std::vector<bool> feasible;               // per evaluation
  std::vector<double> hypervolume_curve;    // of the feasible points after i + 1 evaluations
  std::vector<double> suggest_seconds;      // each ask after the initial design

  // log10(max HV - HV) after the budget; -inf if the run's hypervolume reaches the estimate.
  double log_hypervolume_difference() const;
  std::string to_jsonl() const;
};

MultiObjectiveRunRecord run_multi_objective(const MultiObjectiveRunSpec& spec);

// One ask of `method` on `problem` after `observations` complete trials (a scrambled-Sobol design
// told with the problem's values): the suggestion time at that size, as wall time and as the
// calling thread's CPU time (which a loaded, shared machine inflates far less).
struct SuggestionTime {
  double wall_seconds = 0.0, cpu_seconds = 0.0;
};
SuggestionTime time_one_suggestion(const std::string& problem, const std::string& method, int observations, std::uint64_t seed);

// Every problem x method x seed in `jobs` threads; rows appended to `output` (if not empty), a
// table of median and quartile log HV differences and suggestion times on stdout. Returns the
// exit status.
int run_multi_objective_bench(const std::vector<std::string>& problems, const std::vector<std::string>& methods, int seeds,
                              int budget, int n_init, int jobs, const std::string& strategy_options,
                              const std::string& output, int time_at);

}  // namespace boex::bench
