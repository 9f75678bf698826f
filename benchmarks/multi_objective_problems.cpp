#include "benchmarks/multi_objective_problems.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"
#include "core/registry.h"
#include "engine/problems.h"

namespace boex::bench {
namespace {

SearchSpace unit_cube(int d) {
  std::vector<Parameter> parameters;
  for (int i = 1; i <= d; ++i) parameters.push_back(Parameter::Float("x" + std::to_string(i), 0.0, 1.0));
  return SearchSpace(parameters);
}

// Branin on [0, 1]^2 (BoTorch rescales to Branin's own box [-5, 10] x [0, 15]), and Currin.
std::vector<double> branin_currin(const std::vector<double>& x) {
  static const Problem branin = make_problem("Branin");
  const double b = branin.evaluate(std::vector<double>{15.0 * x[0] - 5.0, 15.0 * x[1]}).value;
  const double factor = x[1] > 0 ? 1.0 - std::exp(-1.0 / (2.0 * x[1])) : 1.0;
  const double x0 = x[0];
  const double currin = factor * (2300 * std::pow(x0, 3) + 1900 * x0 * x0 + 2092 * x0 + 60) /
                        (100 * std::pow(x0, 3) + 500 * x0 * x0 + 4 * x0 + 20);
  return {b, currin};
}

std::vector<double> dtlz2(const std::vector<double>& x) {
  double g = 0.0;
  for (std::size_t i = 1; i < x.size(); ++i) g += (x[i] - 0.5) * (x[i] - 0.5);
  const double angle = x[0] * M_PI / 2;
  return {(1 + g) * std::cos(angle), (1 + g) * std::sin(angle)};
}

}  // namespace

MultiObjectiveEvaluation MultiObjectiveProblem::evaluate(const Params& params) const {
  std::vector<double> x;
  for (const Parameter& p : space.parameters()) x.push_back(std::get<double>(params.at(p.name)));
  return function(x);
}

std::vector<std::string> multi_objective_problem_names() { return {"BraninCurrin", "ConstrainedBraninCurrin", "DTLZ2"}; }

bool is_multi_objective_problem(const std::string& name) {
  const auto names = multi_objective_problem_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

MultiObjectiveProblem make_multi_objective_problem(const std::string& name) {
  MultiObjectiveProblem p;
  p.name = name;
  if (name == "BraninCurrin") {
    p.space = unit_cube(2);
    p.reference = {18.0, 6.0};
    p.max_hypervolume = 59.36011874867746;
    p.budget = 40;
    p.function = [](const std::vector<double>& x) { return MultiObjectiveEvaluation{branin_currin(x), {}}; };
  } else if (name == "ConstrainedBraninCurrin") {
    p.space = unit_cube(2);
    p.n_constraints = 1;
    p.reference = {80.0, 12.0};
    p.max_hypervolume = 608.4004237022673;
    p.budget = 40;
    p.function = [](const std::vector<double>& x) {
      // Feasible inside the disk of radius sqrt(50) around (2.5, 7.5) of Branin's box.
      const double a = 15.0 * x[0] - 5.0, b = 15.0 * x[1];
      const double slack = 50.0 - (a - 2.5) * (a - 2.5) - (b - 7.5) * (b - 7.5);
      return MultiObjectiveEvaluation{branin_currin(x), {-slack}};
    };
  } else if (name == "DTLZ2") {
    p.space = unit_cube(6);
    p.reference = {1.1, 1.1};
    p.max_hypervolume = 1.1 * 1.1 - M_PI / 4.0;
    p.budget = 60;
    p.function = [](const std::vector<double>& x) { return MultiObjectiveEvaluation{dtlz2(x), {}}; };
  } else {
    throw NotFound("no multi-objective problem named '" + name + "'; known: " + join(multi_objective_problem_names()));
  }
  return p;
}

}  // namespace boex::bench
