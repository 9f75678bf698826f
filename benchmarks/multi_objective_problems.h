// Multi-objective test problems of BoTorch's test_functions.multi_objective, with BoTorch's
// reference points and the hypervolumes of their true fronts: what boex-bench's multi-objective
// rows are measured against. Every objective is minimised; constraints are feasible at c <= 0.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/search_space.h"

namespace boex::bench {

struct MultiObjectiveEvaluation {
  std::vector<double> values;       // one per objective, minimised
  std::vector<double> constraints;  // c <= 0 feasible
};

struct MultiObjectiveProblem {
  std::string name;
  SearchSpace space;                // float parameters x1 .. xd
  int n_objectives = 2;
  int n_constraints = 0;
  std::vector<double> reference;    // BoTorch's ref_point (minimisation units)
  double max_hypervolume = 0.0;     // of the true Pareto front above the reference
  int budget = 40;                  // evaluations of boex-bench's runs
  std::function<MultiObjectiveEvaluation(const std::vector<double>&)> function;

  MultiObjectiveEvaluation evaluate(const Params& params) const;
};

// "BraninCurrin" (d = 2, 40 evaluations), "DTLZ2" (d = 6, 2 objectives, 60 evaluations; the
// front is the unit quarter circle, max HV 1.1^2 - pi / 4 exactly) and "ConstrainedBraninCurrin"
// (BraninCurrin with Gelbart et al.'s disk constraint, 40 evaluations). The max hypervolumes of
// the Branin-Currin pair are BoTorch's NSGA-II estimates. Throws NotFound listing the names.
MultiObjectiveProblem make_multi_objective_problem(const std::string& name);
std::vector<std::string> multi_objective_problem_names();
bool is_multi_objective_problem(const std::string& name);

}  // namespace boex::bench
