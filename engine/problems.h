// Test problems with known optima (minimisation; constraints feasible when c <= 0), as plain
// functions of the parameters so users can add their own. Used by the examples, the behaviour
// tests and boex-bench. Definitions: shared/reference/problems.md (BoTorch's synthetic.py).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/search_space.h"
#include "engine/multi_fidelity.h"

namespace boex {

struct Evaluation {
  double value = 0.0;
  std::vector<double> constraints;
};

struct Problem {
  std::string name;
  SearchSpace space;  // float parameters x1 .. xd with the problem's bounds
  double optimal_value = 0.0;
  std::vector<std::vector<double>> optimizers;  // known minimisers (may be empty)
  int n_constraints = 0;
  std::function<Evaluation(const std::vector<double>&)> function;
  // Multi-fidelity problems (a fidelity parameter in the space; optimal_value and optimizers at
  // its target): what an evaluation costs.
  std::optional<AffineCost> cost;
  // Set instead of `function` where the space is not all numbers (a landscape's sequences).
  std::function<Evaluation(const Params&)> evaluate_params;

  int dimension() const { return static_cast<int>(space.size()); }
  Evaluation evaluate(const std::vector<double>& x) const { return function(x); }
  // Evaluates user-unit params (x1 .. xd) of this problem's space.
  Evaluation evaluate(const Params& params) const;
};

// "Branin", "Hartmann6", "GramacyLee6" (non-stationary), "Ackley{d}", "Rosenbrock{d}", "Levy{d}", "StyblinskiTang{d}",
// "Michalewicz{d}" (d = 2, 5, 10 have known optima), "TensionCompressionString",
// "PressureVessel", "WeldedBeamSO", "SpeedReducer"; two whose values are heavy-tailed (a few
// points dwarf the rest, as for many real costs): "GoldsteinPrice" (Goldstein and Price 1971,
// [-2, 2]^2, optimum 3 at (0, -1); values spread like a log-normal, Picheny et al. 2013) and
// "DixonPrice{d}" (Dixon and Price 1989, a Rosenbrock-like curved valley on [-10, 10]^d, optimum 0
// at x_i = 2^-((2^i - 2) / 2^i)); the multi-fidelity "AugmentedBranin" and "AugmentedHartmann"
// (BoTorch's: a fidelity s in [0, 1] last, target 1, cost 5 + s). Combinatorial:
// "landscape:FILE.csv" and "NK{sites}" (engine/landscape_problem.h). Throws NotFound listing them.
Problem make_problem(const std::string& name);
std::vector<std::string> problem_names();  // the fixed-dimension names and d = 2, 5, 10 variants

}  // namespace boex
