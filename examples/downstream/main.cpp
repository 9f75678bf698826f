// A downstream program built against an installed boex (find_package(boex), boex::boex): a
// 12-trial GP study of a 2-d quadratic with a categorical parameter, kept in memory. Prints the
// best trial and exits non-zero when the study did not get close to the known optimum.
#include <cmath>
#include <cstdio>

#include "core/errors.h"
#include "engine/study.h"

int main() {
  try {
    const boex::SearchSpace space({boex::Parameter::Float("x", -2.0, 2.0), boex::Parameter::Float("y", -2.0, 2.0),
                                   boex::Parameter::Categorical("material", {"steel", "brass"})});
    boex::Study::Options options;
    options.seed = 7;
    options.n_init = 6;
    boex::Study study = boex::Study::open("sqlite::memory:", "downstream", space, options);
    for (int i = 0; i < 12; ++i) {
      const boex::Trial trial = study.ask();
      const double x = boex::as_double(trial.params.at("x")), y = boex::as_double(trial.params.at("y"));
      const double offset = std::get<std::string>(trial.params.at("material")) == "brass" ? 0.0 : 1.0;
      study.tell(trial.id, (x - 0.5) * (x - 0.5) + (y + 0.25) * (y + 0.25) + offset);
    }
    const auto best = study.best();
    if (!best) return std::fprintf(stderr, "no best trial\n"), 1;
    std::printf("downstream: best %.4f after %zu trials at x=%s y=%s material=%s\n", *best->value,
                study.trials().size(), boex::to_string(best->params.at("x")).c_str(),
                boex::to_string(best->params.at("y")).c_str(), boex::to_string(best->params.at("material")).c_str());
    // The optimum is 0 (brass, x = 0.5, y = -0.25); a working GP study gets well below the
    // 1.0 of the wrong material within 12 trials.
    return *best->value < 1.0 ? 0 : 1;
  } catch (const boex::Error& e) {
    std::fprintf(stderr, "error (%s): %s\n", e.kind(), e.what());
    return 1;
  }
}
