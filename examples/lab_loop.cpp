// The lab loop: ask boex for a batch of experiments, run them, tell the results, repeat. Here the
// "experiment" is a simulated synthesis yield; in a lab it is a person at a bench.
#include <cmath>
#include <cstdio>

#include "engine/study.h"

// Simulated yield (%) of a reaction at a temperature, catalyst loading and solvent.
double run_experiment(const boex::Params& p) {
  const double t = std::get<double>(p.at("temperature")), c = std::get<double>(p.at("catalyst"));
  const double solvent = std::get<std::string>(p.at("solvent")) == "ethanol" ? 8.0 : 0.0;
  return 80.0 * std::exp(-std::pow((t - 65.0) / 15.0, 2) - std::pow(std::log10(c) + 1.5, 2)) + solvent;
}

int main() {
  const boex::SearchSpace space({boex::Parameter::Float("temperature", 20, 90),
                                 boex::Parameter::Float("catalyst", 1e-3, 1.0, /*log=*/true),
                                 boex::Parameter::Categorical("solvent", {"water", "ethanol", "dmso"})});
  boex::Study::Options options;
  options.direction = boex::Direction::kMaximize;
  auto study = boex::Study::open("sqlite::memory:", "synthesis", space, options);
  for (int round = 0; round < 6; ++round) {
    for (const boex::Trial& t : study.ask(4)) study.tell(t.id, run_experiment(t.params));  // a batch of 4
    const boex::Trial best = *study.best();
    std::printf("round %d: best yield %.1f%% at T=%.1f, catalyst=%.4f, %s\n", round, *best.value,
                std::get<double>(best.params.at("temperature")), std::get<double>(best.params.at("catalyst")),
                std::get<std::string>(best.params.at("solvent")).c_str());
  }
}
