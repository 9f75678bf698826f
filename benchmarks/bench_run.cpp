#include "benchmarks/bench_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/study.h"

namespace boex::bench {
namespace {

std::string number_list(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += std::isinf(values[i]) ? (values[i] > 0 ? "Infinity" : "-Infinity") : nlohmann::json(values[i]).dump();
  }
  return out + "]";
}

}  // namespace

int default_budget(const Problem& problem) {
  return problem.n_constraints > 0 || problem.dimension() <= 2 ? 30 : 60;
}

std::string RunRecord::to_jsonl() const {
  std::ostringstream os;
  os << "{\"problem\": " << nlohmann::json(spec.problem).dump() << ", \"method\": " << nlohmann::json(spec.method).dump()
     << ", \"seed\": " << spec.seed << ", \"n_init\": " << n_init << ", \"budget\": " << spec.budget
     << ", \"batch\": " << std::max(spec.batch, 1)
     << ", \"optimal_value\": " << nlohmann::json(optimal_value).dump() << ", \"best_curve\": " << number_list(best_curve)
     << ", \"cost_curve\": " << number_list(cost_curve) << ", \"suggest_seconds\": " << number_list(suggest_seconds)
     << ", \"n_done\": " << n_done << ", \"n_failed\": " << n_failed;
  if (spec.cost_budget > 0) os << ", \"cost_budget\": " << nlohmann::json(spec.cost_budget).dump();
  if (spec.cost) os << ", \"cost\": " << nlohmann::json({{"fixed", spec.cost->fixed}, {"weight", spec.cost->weight}}).dump();
  os << "}";
  return os.str();
}

double RunRecord::gap_at_cost(double cost) const {
  double gap = INFINITY;
  for (std::size_t i = 0; i < cost_curve.size() && cost_curve[i] <= cost; ++i) gap = best_curve[i] - optimal_value;
  return gap;
}

RunRecord run(const RunSpec& spec) {
  const Problem problem = make_problem(spec.problem);
  Study::Options options;
  options.strategy = spec.method;
  options.seed = spec.seed;
  options.n_constraints = problem.n_constraints;
  options.n_init = spec.n_init;
  const std::optional<AffineCost> cost_model = spec.cost && problem.cost ? spec.cost : problem.cost;
  options.cost = cost_model;
  options.strategy_options = spec.strategy_options;
  Study study = Study::open("sqlite::memory:", problem.name, problem.space, options);
  RunRecord record;
  record.spec = spec;
  record.n_init = spec.n_init > 0 ? spec.n_init : default_n_init(problem.space);
  record.optimal_value = problem.optimal_value;
  const std::optional<int> fidelity = problem.space.fidelity_index();
  const bool recommends_at_target = fidelity && make_strategy(spec.method)->models_fidelity();
  double best = INFINITY, total_cost = 0.0;
  while (record.n_done < spec.budget && !(spec.cost_budget > 0 && total_cost >= spec.cost_budget)) {
    const int n = std::min(std::max(spec.batch, 1), spec.budget - record.n_done);
    const auto start = std::chrono::steady_clock::now();
    const std::vector<Trial> trials = study.ask(n);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (record.n_done >= record.n_init) record.suggest_seconds.push_back(seconds);
    for (const Trial& t : trials) {
      const Evaluation e = problem.evaluate(t.params);
      const double cost = cost_model ? cost_model->at(as_double(t.params.at(problem.space.parameters()[*fidelity].name))) : 1.0;
      bool finite = std::isfinite(e.value), feasible = true;
      for (double c : e.constraints) {
        finite = finite && std::isfinite(c);
        feasible = feasible && c <= 0.0;
      }
      // A pole of the problem (e.g. x1 = x2 in the spring's c2) or a variant a landscape lacks is
      // a failed experiment.
      if (finite) {
        study.tell(t.id, e.value, e.constraints, cost_model ? std::optional<double>(cost) : std::nullopt);
      } else {
        study.tell_failed(t.id);
        feasible = false;
        ++record.n_failed;
      }
      if (recommends_at_target) {
        // The true value, at the target, of what the study would answer now.
        const std::optional<Trial> answer = study.recommend();
        if (answer) best = problem.evaluate(answer->params).value;
      } else if (feasible && problem.space.at_target(t.params)) {
        best = std::min(best, e.value);
      }
      total_cost += cost;
      record.best_curve.push_back(best);
      record.cost_curve.push_back(total_cost);
      ++record.n_done;
    }
  }
  return record;
}

}  // namespace boex::bench
