// Benchmark problems for known input constraints and failures (issue 17), registered into
// make_problem: a mixture with a known optimum on a constrained simplex, and a problem whose
// region always fails.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/problems.h"

namespace boex {

// "Mixture4": four fractions x1..x4 in [0, 1] with x1 + x2 + x3 + x4 = 1 and x1 <= 0.3;
// f(x) = 100 sum_i (x_i - t_i)^2 with target t = (0.45, 0.25, 0.2, 0.1), which x1 <= 0.3 keeps
// out of reach. The minimiser is t's projection onto the constrained simplex: x1 = 0.3 and the
// freed 0.15 shared equally by the others, x* = (0.3, 0.3, 0.25, 0.15), f* = 100 (0.15^2 + 3 x 0.05^2) = 3.
// "FailingBranin": Branin whose experiments fail (no value) wherever x1 > 2.5, which removes two
// of its three minimisers; the optimum 0.397887 stays at (-pi, 12.275).
std::optional<Problem> make_input_constrained_problem(const std::string& name);
std::vector<std::string> input_constrained_problem_names();

}  // namespace boex
