// The main job: a complete study through the C++ API on a built-in problem, stored in an SQLite
// file under studies/. Run it again and it resumes the same study from the database.
//
//   quickstart [--problem Hartmann6] [--budget 60] [--seed 0] [--storage sqlite:///studies/quickstart.db]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "core/errors.h"
#include "core/progress_line.h"
#include "engine/problems.h"
#include "engine/study.h"

int main(int argc, char** argv) {
  std::string problem_name = "Hartmann6", storage = "sqlite:///studies/quickstart.db";
  int budget = 60;
  unsigned long seed = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--problem")) problem_name = argv[i + 1];
    else if (!std::strcmp(argv[i], "--budget")) budget = std::stoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seed")) seed = std::stoul(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--storage")) storage = argv[i + 1];
    else return std::fprintf(stderr, "unknown option %s\n", argv[i]), 2;
  }
  try {
    const boex::Problem problem = boex::make_problem(problem_name);
    boex::Study::Options options;
    options.seed = seed;
    options.n_constraints = problem.n_constraints;
    const std::string name = problem.name + "-seed" + std::to_string(seed);
    boex::Study study = boex::Study::open(storage, name, problem.space, options);
    std::printf("study '%s' in %s: %s, optimum %.6g, budget %d\n", name.c_str(), storage.c_str(),
                problem.name.c_str(), problem.optimal_value, budget);
    // On a terminal a live line (done/total, best gap, ETA) stays under the trials' log.
    boex::ProgressLine progress("trials", budget, "best gap", stderr);
    for (int n = static_cast<int>(study.trials().size()); n < budget; ++n) {
      const auto start = std::chrono::steady_clock::now();
      const boex::Trial trial = study.ask();
      const double ask_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      const boex::Evaluation result = problem.evaluate(trial.params);
      bool finite = std::isfinite(result.value);
      for (double c : result.constraints) finite = finite && std::isfinite(c);
      if (finite)
        study.tell(trial.id, result.value, result.constraints);
      else
        study.tell_failed(trial.id);  // a pole of the problem: the experiment failed
      const auto best = study.best();
      char text[160];
      std::snprintf(text, sizeof(text), "trial %3lld  value %12.6f  best %12.6f  gap %.3g  (ask %.1f ms)",
                    static_cast<long long>(trial.number), result.value, best ? *best->value : NAN,
                    best ? *best->value - problem.optimal_value : NAN, ask_ms);
      progress.print_above(stdout, text);
      progress.update(n + 1, best ? std::optional<double>(*best->value - problem.optimal_value) : std::nullopt);
    }
    progress.finish();
    if (const auto best = study.best()) {
      std::printf("best after %zu trials: %.6f (gap to optimum %.3g) at", study.trials().size(), *best->value,
                  *best->value - problem.optimal_value);
      for (const auto& [key, value] : best->params) std::printf(" %s=%s", key.c_str(), boex::to_string(value).c_str());
      std::printf("\n");
    }
  } catch (const boex::Error& e) {
    std::fprintf(stderr, "error (%s): %s\n", e.kind(), e.what());
    return 1;
  }
  return 0;
}
