#include "engine/input_constrained_problems.h"

#include <cmath>
#include <limits>

namespace boex {

std::vector<std::string> input_constrained_problem_names() { return {"Mixture4", "FailingBranin"}; }

std::optional<Problem> make_input_constrained_problem(const std::string& name) {
  if (name == "Mixture4") {
    InputConstraints c;
    c.linear.push_back({{{"x1", 1}, {"x2", 1}, {"x3", 1}, {"x4", 1}}, 1.0, 1.0});
    c.linear.push_back({{{"x1", 1}}, -std::numeric_limits<double>::infinity(), 0.3});
    Problem p{name,
              SearchSpace({Parameter::Float("x1", 0, 1), Parameter::Float("x2", 0, 1), Parameter::Float("x3", 0, 1),
                           Parameter::Float("x4", 0, 1)},
                          c),
              3.0,
              {{0.3, 0.3, 0.25, 0.15}},
              0,
              [](const std::vector<double>& x) {
                static const double target[4] = {0.45, 0.25, 0.2, 0.1};
                double f = 0.0;
                for (int i = 0; i < 4; ++i) f += (x[i] - target[i]) * (x[i] - target[i]);
                return Evaluation{100.0 * f, {}};
              }};
    return p;
  }
  if (name == "FailingBranin") {
    Problem p = make_problem("Branin");
    p.name = name;
    p.optimizers = {{-M_PI, 12.275}};
    p.function = [branin = p.function](const std::vector<double>& x) {
      if (x[0] > 2.5) return Evaluation{std::numeric_limits<double>::quiet_NaN(), {}};
      return branin(x);
    };
    return p;
  }
  return std::nullopt;
}

}  // namespace boex
