// A stored study shaped like a lab's (4 parameters, one categorical, one constraint, a known
// smooth objective) of any size, written in one batch: what the report's browser tests and
// boex-report-bench open.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "core/rng.h"
#include "engine/study.h"
#include "storage/storage.h"

namespace boex::testing {

inline const SearchSpace& report_space() {
  static const SearchSpace space({Parameter::Float("x", 0.0, 1.0), Parameter::Float("lr", 1e-4, 1e-1, true),
                                  Parameter::Int("layers", 1, 6),
                                  Parameter::Categorical("solvent", {"water", "ethanol", "dmso"})});
  return space;
}

// Creates study `name` at `url` with n complete random trials of (x - 0.3)^2 + (log10 lr + 2.5)^2 / 4
// + 0.05 layers + 0.3 solvent under x + layers / 10 - 0.9 <= 0; every curve_every-th trial also
// reported a learning curve of 10 steps (0: none).
inline void fill_report_study(const std::string& url, const std::string& name, int n, int curve_every) {
  Study::Options options;
  options.n_constraints = 1;
  Study::create(url, name, report_space(), options);
  const auto storage = open_storage(url);
  const std::int64_t id = storage->find_study(name)->id;
  Rng rng(3);
  const char* solvents[] = {"water", "ethanol", "dmso"};
  std::vector<Trial> trials;
  for (int i = 0; i < n; ++i) {
    Trial t;
    t.state = TrialState::kComplete;
    const double x = rng.uniform(), lr = std::exp(rng.uniform(std::log(1e-4), std::log(1e-1)));
    const auto layers = static_cast<std::int64_t>(1 + std::floor(6 * rng.uniform()));
    const int solvent = static_cast<int>(std::floor(3 * rng.uniform()));
    t.params = {{"x", x}, {"lr", lr}, {"layers", layers}, {"solvent", std::string(solvents[solvent])}};
    t.value = (x - 0.3) * (x - 0.3) + std::pow(std::log10(lr) + 2.5, 2) / 4 + 0.05 * layers + 0.3 * solvent;
    t.constraints = {x + layers / 10.0 - 0.9};
    if (curve_every > 0 && i % curve_every == 0)
      for (int step = 1; step <= 10; ++step) t.reports[step] = *t.value + 1.0 / step;
    trials.push_back(t);
  }
  storage->append_trials(id, trials);
}

}  // namespace boex::testing
