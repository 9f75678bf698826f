// Behaviour: the default strategy must beat random search clearly on standard problems.
#include <catch2/catch.hpp>
#include <algorithm>

#include "engine/problems.h"
#include "engine/study.h"

using namespace boex;

namespace {

double best_gap(const std::string& problem_name, const std::string& strategy, std::uint64_t seed, int budget) {
  const Problem problem = make_problem(problem_name);
  Study::Options o;
  o.strategy = strategy;
  o.seed = seed;
  Study study = Study::open("sqlite::memory:", problem_name, problem.space, o);
  for (int i = 0; i < budget; ++i) {
    const Trial t = study.ask();
    study.tell(t.id, problem.evaluate(t.params).value);
  }
  return *study.best()->value - problem.optimal_value;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void compare(const std::string& problem, int budget, double factor) {
  std::vector<double> gp, random;
  int wins = 0;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    gp.push_back(best_gap(problem, "gp-logei", seed, budget));
    random.push_back(best_gap(problem, "random", seed, budget));
    wins += gp.back() < random.back();
  }
  INFO(problem << ": median gap gp-logei " << median(gp) << ", random " << median(random));
  CHECK(wins >= 4);
  CHECK(median(gp) * factor < median(random));
}

}  // namespace

TEST_CASE("gp-logei beats random search clearly on Branin in 30 evaluations", "[behaviour]") {
  compare("Branin", 30, 10.0);
}

TEST_CASE("gp-logei beats random search clearly on Hartmann6 in 60 evaluations", "[behaviour]") {
  compare("Hartmann6", 60, 10.0);
}
