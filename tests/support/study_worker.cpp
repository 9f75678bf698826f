// A worker process for the multi-process tests: opens a study from its storage URL and runs
// `count` ask/tell cycles on a cheap 3-parameter function, printing "told <id> <value>" after
// every tell has returned (so a test knows which results must be durable).
//
//   study_worker URL STUDY COUNT STRATEGY SEED
#include <cmath>
#include <cstdio>
#include <string>

#include "core/errors.h"
#include "engine/study.h"

int main(int argc, char** argv) {
  if (argc != 6) return std::fprintf(stderr, "usage: study_worker URL STUDY COUNT STRATEGY SEED\n"), 2;
  const boex::SearchSpace space({boex::Parameter::Float("x", -2, 2), boex::Parameter::Float("y", -2, 2),
                                 boex::Parameter::Int("k", 0, 10)});
  boex::Study::Options options;
  options.strategy = argv[4];
  options.seed = std::stoull(argv[5]);
  try {
    boex::Study study = boex::Study::open(argv[1], argv[2], space, options);
    const int count = std::stoi(argv[3]);
    for (int i = 0; i < count; ++i) {
      const boex::Trial t = study.ask();
      const double x = std::get<double>(t.params.at("x")), y = std::get<double>(t.params.at("y"));
      const double k = static_cast<double>(std::get<std::int64_t>(t.params.at("k")));
      const double value = std::pow(x - 0.5, 2) + std::pow(y + 0.25, 2) + 0.1 * std::pow(k - 3, 2);
      study.tell(t.id, value);
      std::printf("told %lld %.17g\n", static_cast<long long>(t.id), value);
      std::fflush(stdout);
    }
  } catch (const boex::Error& e) {
    std::fprintf(stderr, "%s: %s\n", e.kind(), e.what());
    return 1;
  }
  return 0;
}
