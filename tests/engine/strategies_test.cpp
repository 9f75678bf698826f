// Properties every registered strategy must have, and the behaviour of the look-ahead,
// constrained and target-value strategies on problems with known answers.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <set>

#include "core/rng.h"
#include "engine/problems.h"
#include "engine/study.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

TEST_CASE("on constrained engineering problems gp-logei finds a feasible point in every seed and beats random",
          "[strategies][constrained][behaviour]") {
  for (const std::string name : {"TensionCompressionString", "PressureVessel", "WeldedBeamSO", "SpeedReducer"}) {
    const Problem problem = make_problem(name);
    std::vector<double> gp_gaps, random_gaps;
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      for (const std::string strategy : {"gp-logei", "random"}) {
        Study::Options o;
        o.strategy = strategy;
        o.seed = seed;
        o.n_constraints = problem.n_constraints;
        Study study = Study::open("sqlite::memory:", name, problem.space, o);
        for (int i = 0; i < 30; ++i) {
          const Trial t = study.ask();
          const Evaluation e = problem.evaluate(t.params);
          study.tell(t.id, e.value, e.constraints);
        }
        const auto best = study.best();
        (strategy == "random" ? random_gaps : gp_gaps)
            .push_back(best ? *best->value - problem.optimal_value : INFINITY);
      }
    }
    INFO(name << ": median gap gp-logei " << median(gp_gaps) << ", random " << median(random_gaps));
    for (double g : gp_gaps) CHECK(std::isfinite(g));
    CHECK(median(gp_gaps) * 5 < median(random_gaps));
  }
}

TEST_CASE("with noisy Hartmann6, noisy EI's recommended points are better in truth than EI's best observation",
          "[strategies][noisy][behaviour]") {
  const Problem h6 = make_problem("Hartmann6");
  std::vector<double> nei_truth, ei_truth;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    for (const std::string strategy : {"gp-nei", "gp-logei"}) {
      Rng noise(mix_seed(seed, 42));
      Study::Options o;
      o.strategy = strategy;
      o.seed = seed;
      o.n_init = 10;
      Study study = Study::open("sqlite::memory:", "noisy", h6.space, o);
      for (int i = 0; i < 40; ++i) {
        const Trial t = study.ask();
        study.tell(t.id, h6.evaluate(t.params).value + 0.1 * noise.normal());
      }
      const Trial answer = strategy == "gp-nei" ? *study.recommend() : *study.best();
      (strategy == "gp-nei" ? nei_truth : ei_truth).push_back(h6.evaluate(answer.params).value);
    }
  }
  INFO("median true value: noisy EI recommendation " << median(nei_truth) << ", EI best observation " << median(ei_truth));
  CHECK(median(nei_truth) < median(ei_truth));
}

TEST_CASE("a target-value study drives the measured output to its target", "[strategies][composite][behaviour]") {
  const Problem branin = make_problem("Branin");
  Study::Options o;
  o.target = 20.0;
  o.seed = 2;
  Study study = Study::open("sqlite::memory:", "target", branin.space, o);
  for (int i = 0; i < 25; ++i) {
    const Trial t = study.ask();
    study.tell(t.id, branin.evaluate(t.params).value);  // the measured output, not a distance
  }
  const Trial best = *study.best();
  CHECK(std::abs(*best.value - 20.0) < 0.05);
  CHECK(*study.target() == 20.0);
}
