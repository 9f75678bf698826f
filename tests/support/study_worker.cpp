// A worker process for the multi-process tests: opens a study from its storage URL and runs
// `count` ask/tell cycles on a cheap 3-parameter function, printing "asked <id>" when it gets a
// trial and "told <id> <value>" after every tell has returned (so a test knows which trial a
// killed worker held and which results must be durable). With EVAL_MS, each evaluation takes
// that long, with a heartbeat every 50 ms; STALE_AFTER is the study's stale_after_seconds.
//
//   study_worker URL STUDY COUNT STRATEGY SEED [STALE_AFTER EVAL_MS]
#include <cmath>
#include <cstdio>
#include <string>

#include "core/errors.h"
#include "engine/study.h"
#include "support/workers.h"

int main(int argc, char** argv) {
  if (argc != 6 && argc != 8)
    return std::fprintf(stderr, "usage: study_worker URL STUDY COUNT STRATEGY SEED [STALE_AFTER EVAL_MS]\n"), 2;
  const boex::SearchSpace space({boex::Parameter::Float("x", -2, 2), boex::Parameter::Float("y", -2, 2),
                                 boex::Parameter::Int("k", 0, 10)});
  boex::Study::Options options;
  options.strategy = argv[4];
  options.seed = std::stoull(argv[5]);
  options.stale_after_seconds = argc == 8 ? std::stod(argv[6]) : 0.0;
  const int eval_ms = argc == 8 ? std::stoi(argv[7]) : 0;
  try {
    boex::Study study = boex::Study::open(argv[1], argv[2], space, options);
    boex::testing::work(study, std::stoi(argv[3]), eval_ms, [](const boex::Params& p) {
      const double x = std::get<double>(p.at("x")), y = std::get<double>(p.at("y"));
      const double k = static_cast<double>(std::get<std::int64_t>(p.at("k")));
      return std::pow(x - 0.5, 2) + std::pow(y + 0.25, 2) + 0.1 * std::pow(k - 3, 2);
    });
  } catch (const boex::Error& e) {
    std::fprintf(stderr, "%s: %s\n", e.kind(), e.what());
    return 1;
  }
  return 0;
}
