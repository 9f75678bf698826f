// A composite study: each synthesis reports two measured outputs, particle size and
// polydispersity, and the goal is a known function of them: size close to 120 nm with the
// spread as small as possible. boex models each output and maximises EI of that function
// (EI-CF), which needs far fewer syntheses than modelling the score itself.
#include <cmath>
#include <cstdio>

#include "engine/study.h"

// Simulated measurements of a nanoparticle synthesis (nm, and a polydispersity index).
std::vector<double> synthesize(const boex::Params& p) {
  const double t = std::get<double>(p.at("temperature")), r = std::get<double>(p.at("precursor_ratio"));
  const double size = 40.0 + 1.4 * t * std::sqrt(r) - 0.004 * t * t;
  const double pdi = 0.05 + 0.3 * std::pow(r - 1.2, 2) + 0.00002 * std::pow(t - 70.0, 2);
  return {size, pdi};
}

int main() {
  const boex::SearchSpace space({boex::Parameter::Float("temperature", 20, 120),
                                 boex::Parameter::Float("precursor_ratio", 0.2, 3.0)});
  boex::Study::Options options;
  options.n_outputs = 2;
  // Miss the size by 10 nm or the spread by 0.1: about the same penalty.
  options.composite = [](const Eigen::VectorXd& h) { return std::pow((h(0) - 120.0) / 10.0, 2) + h(1) / 0.1; };
  auto study = boex::Study::open("sqlite::memory:", "particles", space, options);
  for (int round = 0; round < 8; ++round) {
    for (const boex::Trial& t : study.ask(3)) study.tell_outputs(t.id, synthesize(t.params));
    const boex::Trial best = *study.best();
    std::printf("round %d: score %.3f: size %.1f nm, PDI %.3f at T=%.1f, ratio=%.2f\n", round, *best.value,
                best.outputs[0], best.outputs[1], std::get<double>(best.params.at("temperature")),
                std::get<double>(best.params.at("precursor_ratio")));
  }
}
