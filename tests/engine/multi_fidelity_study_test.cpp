// Multi-fidelity studies end to end: the cost-aware strategy spends cheap evaluations first and its
// recommendation at the target fidelity reaches AugmentedBranin's optimum; the cost is stored with
// the study; bad fidelities and costs are refused with the database unchanged; a strategy that does
// not model the fidelity runs every trial at the target.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "engine/problems.h"
#include "engine/study.h"
#include "support/dump.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;
using Catch::Matchers::Contains;

namespace {

double fidelity_of(const Trial& t) { return as_double(t.params.at("s")); }

}  // namespace

TEST_CASE("the multi-fidelity knowledge gradient spends cheap evaluations first and finds the target optimum",
          "[multi_fidelity]") {
  const Problem problem = make_problem("AugmentedBranin");
  REQUIRE(problem.cost);
  Study::Options o;
  o.strategy = "mf-gp-kg";
  o.seed = 4;
  o.n_init = 6;
  o.cost = problem.cost;
  Study study = Study::open("sqlite::memory:", "branin", problem.space, o);
  double cost = 0.0;
  std::vector<double> fidelities;
  for (int i = 0; i < 34; ++i) {
    const Trial t = study.ask();
    const double s = fidelity_of(t);
    fidelities.push_back(s);
    cost += problem.cost->at(s);
    study.tell(t.id, problem.evaluate(t.params).value, {}, problem.cost->at(s));
  }
  // After the initial design, the first suggestions are mostly well below the target fidelity, the
  // last ones mostly at it.
  int cheap_first = 0, cheap_last = 0;
  for (int i = 6; i < 16; ++i) cheap_first += fidelities[static_cast<std::size_t>(i)] < 0.9 ? 1 : 0;
  for (int i = 24; i < 34; ++i) cheap_last += fidelities[static_cast<std::size_t>(i)] < 0.9 ? 1 : 0;
  INFO("cheap among the first 10: " << cheap_first << ", among the last 10: " << cheap_last);
  CHECK(cheap_first >= 6);
  CHECK(cheap_first > cheap_last + 2);
  CHECK(cost < 34 * problem.cost->at(1.0));
  // The recommendation is at the target, and its true value there is near the optimum.
  const std::optional<Trial> answer = study.recommend();
  REQUIRE(answer);
  CHECK(fidelity_of(*answer) == 1.0);
  const double gap = problem.evaluate(answer->params).value - problem.optimal_value;
  INFO("gap " << gap);
  CHECK(gap < 0.05);
  // best() only ever answers at the target.
  const std::optional<Trial> best = study.best();
  if (best) CHECK(fidelity_of(*best) == 1.0);
}

TEST_CASE("a declared cost is stored with the study and a single-fidelity strategy runs at the target", "[multi_fidelity]") {
  TempPath file;
  const Problem problem = make_problem("AugmentedBranin");
  Study::Options o;
  o.strategy = "gp-logei";
  o.n_init = 4;
  o.cost = AffineCost{5.0, 1.0};
  {
    Study study = Study::open(file.url(), "s", problem.space, o);
    for (int i = 0; i < 7; ++i) {
      const Trial t = study.ask();
      CHECK(fidelity_of(t) == 1.0);
      study.tell(t.id, problem.evaluate(t.params).value, {}, 6.0);
    }
  }
  const Study reopened = Study::load(file.url(), "s");
  const std::optional<AffineCost> stored = cost_from_settings(reopened.record().settings);
  REQUIRE(stored);
  CHECK(stored->fixed == 5.0);
  CHECK(stored->weight == 1.0);
  for (const Trial& t : reopened.trials()) CHECK(t.cost == std::optional<double>(6.0));
}

TEST_CASE("bad fidelities, targets and costs are refused with the database unchanged", "[multi_fidelity][bad_input]") {
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("x", 0, 1), Parameter::Float("s", 0, 1).as_fidelity(0.5)}),
                    Contains("low (0) or the high (1) end"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("x", 0, 1), Parameter::Float("s", 1, 10, true).as_fidelity(10)}),
                    Contains("log"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("s", 0, 1).as_fidelity(1)}), Contains("at least one other"));
  TempPath file;
  const SearchSpace space({Parameter::Float("x", 0, 1), Parameter::Int("s", 1, 3).as_fidelity(3)});
  Study::Options o;
  o.strategy = "mf-gp-kg";
  o.cost = AffineCost{1.0, 2.0};
  Study study = Study::open(file.url(), "s", space, o);
  const Trial open = study.ask();
  const std::string before = dump(*open_storage(file.url()));
  CHECK_THROWS_AS(study.tell(open.id, 1.0, {}, -1.0), InvalidArgument);
  CHECK_THROWS_AS(study.tell(open.id, 1.0, {}, NAN), InvalidArgument);
  CHECK_THROWS_AS(study.tell_failed(open.id, INFINITY), InvalidArgument);
  CHECK_THROWS_AS(study.add_measured({{"x", 0.5}, {"s", std::int64_t{4}}}, 1.0, {}), InvalidArgument);
  CHECK_THROWS_AS(study.add_measured({{"x", 0.5}, {"s", std::int64_t{2}}}, 1.0, {}, -3.0), InvalidArgument);
  CHECK_THROWS_AS(study.enqueue({{"x", 0.5}, {"s", std::int64_t{0}}}), InvalidArgument);
  CHECK(dump(*open_storage(file.url())) == before);
  // A cost that is not positive over the fidelity's range, or a fidelity strategy without a
  // fidelity, never makes a study.
  Study::Options negative = o;
  negative.cost = AffineCost{-5.0, 1.0};
  CHECK_THROWS_WITH(Study::open(file.url(), "t", space, negative), Contains("more than 0"));
  CHECK_THROWS_WITH(Study::open(file.url(), "u", SearchSpace({Parameter::Float("x", 0, 1)}), o), Contains("fidelity"));
  Study::Options plain;
  plain.cost = AffineCost{1.0, 1.0};
  CHECK_THROWS_WITH(Study::open(file.url(), "v", SearchSpace({Parameter::Float("x", 0, 1)}), plain), Contains("fidelity"));
  CHECK(dump(*open_storage(file.url())) == before);
}

TEST_CASE("a fidelity chosen just below the target is run at the target, so the target gets data",
          "[multi_fidelity]") {
  // Fidelity almost free (cost 5 + s): the knowledge gradient asks for fidelities near the target,
  // and without snapping stops short of it (on AugmentedHartmann 0 of 64 trials were at s = 1).
  const Problem problem = make_problem("AugmentedBranin");
  const auto run = [&](const std::string& options) {
    Study::Options o;
    o.strategy = "mf-gp-kg";
    o.strategy_options = options;
    o.seed = 7;
    o.n_init = 6;
    o.cost = AffineCost{5.0, 1.0};
    Study study = Study::open("sqlite::memory:", "b", problem.space, o);
    std::vector<double> fidelities;
    for (int i = 0; i < 30; ++i) {
      const Trial t = study.ask();
      if (i >= 6) fidelities.push_back(fidelity_of(t));
      study.tell(t.id, problem.evaluate(t.params).value, {}, o.cost->at(fidelity_of(t)));
    }
    return fidelities;
  };
  int at_target = 0;
  for (const double s : run("")) {
    INFO("s = " << s);
    CHECK((s == 1.0 || s < 0.95));
    at_target += s == 1.0 ? 1 : 0;
  }
  CHECK(at_target >= 5);
  // Turned off, the same study stops just short of the target several times.
  int near = 0;
  for (const double s : run(R"({"acquisition": {"fidelity_snap": 0}})")) near += s >= 0.95 && s < 1.0 ? 1 : 0;
  CHECK(near >= 3);
}

TEST_CASE("without a declared cost the strategy models the told costs", "[multi_fidelity]") {
  // Costs told grow steeply with the fidelity: the model must learn that cheap trials pay.
  const Problem problem = make_problem("AugmentedBranin");
  Study::Options o;
  o.strategy = "mf-gp-aei";
  o.seed = 2;
  o.n_init = 6;
  Study study = Study::open("sqlite::memory:", "s", problem.space, o);
  int cheap = 0;
  for (int i = 0; i < 16; ++i) {
    const Trial t = study.ask();
    const double s = fidelity_of(t);
    if (i >= 6 && s < 0.5) ++cheap;
    study.tell(t.id, problem.evaluate(t.params).value, {}, 1.0 + 50.0 * s * s);
  }
  CHECK(cheap >= 5);
}

TEST_CASE("the augmented problems are their classic functions at the target fidelity and biased below it",
          "[multi_fidelity][problems]") {
  const Problem branin = make_problem("Branin"), augmented = make_problem("AugmentedBranin");
  const Problem hartmann = make_problem("Hartmann6"), augmented6 = make_problem("AugmentedHartmann");
  CHECK(augmented.space.fidelity_index() == 2);
  CHECK(augmented6.space.fidelity_index() == 6);
  CHECK(augmented.cost->at(0.0) == 5.0);
  CHECK(augmented.cost->at(1.0) == 6.0);
  const std::vector<double> x = {2.0, 4.0}, z = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  std::vector<double> x_target = x, x_cheap = x, z_target = z, z_cheap = z;
  x_target.push_back(1.0);
  x_cheap.push_back(0.2);
  z_target.push_back(1.0);
  z_cheap.push_back(0.2);
  CHECK(augmented.evaluate(x_target).value == branin.evaluate(x).value);
  CHECK(augmented.evaluate(x_cheap).value != Approx(branin.evaluate(x).value));
  CHECK(augmented6.evaluate(z_target).value == hartmann.evaluate(z).value);
  CHECK(augmented6.evaluate(z_cheap).value > hartmann.evaluate(z).value);
}

TEST_CASE("a fidelity-choosing acquisition is refused for a model without a fidelity, naming mf-gp", "[multi_fidelity]") {
  Study::Options o;
  o.strategy = "gp-aei";
  CHECK_THROWS_WITH(Study::open("sqlite::memory:", "s", make_problem("AugmentedBranin").space, o), Contains("mf-gp"));
  o.strategy = "mf-gp-logei";
  CHECK_THROWS_WITH(Study::open("sqlite::memory:", "s", make_problem("AugmentedBranin").space, o), Contains("cannot choose a fidelity"));
}
