// Studies of several objectives: storage of the objectives, tell with one value per objective,
// the Pareto view, refusals with the database unchanged, the two strategies, and resume.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/hypervolume.h"
#include "engine/study.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

namespace {

SearchSpace space2() { return SearchSpace({Parameter::Float("x", 0, 1), Parameter::Float("y", 0, 1)}); }

// Maximise a "yield" that peaks at x = 0.8, minimise a "cost" that grows with x: a real trade-off.
std::vector<double> measure(const Params& p) {
  const double x = std::get<double>(p.at("x")), y = std::get<double>(p.at("y"));
  return {1.0 - std::pow(x - 0.8, 2) - 0.5 * std::pow(y - 0.3, 2), 10.0 * x + std::pow(y - 0.6, 2)};
}

Study::Options two_objectives(const std::string& strategy = "gp-logei") {
  Study::Options o;
  o.strategy = strategy;
  o.seed = 11;
  o.n_init = 5;
  o.objectives = {{"yield", Direction::kMaximize, 0.2}, {"cost", Direction::kMinimize, std::nullopt}};
  return o;
}

void run(Study& study, int n, int batch = 1) {
  for (int i = 0; i < n; i += batch)
    for (const Trial& t : study.ask(batch)) study.tell_values(t.id, measure(t.params));
}

}  // namespace

TEST_CASE("a multi-objective study stores its objectives and defaults to gp-qlognehvi", "[multi_objective]") {
  TempPath db;
  Study study = Study::create(db.url(), "mo", space2(), two_objectives());
  CHECK(study.record().strategy == "gp-qlognehvi");
  CHECK(study.is_multi_objective());
  const Study loaded = Study::load(db.url(), "mo");
  CHECK(loaded.objectives() == two_objectives().objectives);
  CHECK(nlohmann::json::parse(loaded.record().settings).contains("objectives"));
  CHECK(parse_objectives("yield:max:0.2,cost:min") == two_objectives().objectives);
  CHECK(parse_objectives(R"([{"name": "yield", "direction": "maximize", "threshold": 0.2}, {"name": "cost"}])") ==
        two_objectives().objectives);
}

TEST_CASE("multi-objective studies refuse wrong value counts, non-finite values and single-objective calls, "
          "leaving the database unchanged", "[multi_objective]") {
  TempPath db;
  Study study = Study::create(db.url(), "mo", space2(), two_objectives());
  const Trial t = study.ask();
  CHECK_THROWS_AS(study.tell_values(t.id, {0.5}), InvalidArgument);
  CHECK_THROWS_AS(study.tell_values(t.id, {0.5, 1.0, 2.0}), InvalidArgument);
  CHECK_THROWS_AS(study.tell_values(t.id, {NAN, 1.0}), InvalidArgument);
  CHECK_THROWS_AS(study.tell_values(t.id, {0.5, INFINITY}), InvalidArgument);
  CHECK_THROWS_AS(study.tell(t.id, 0.5), InvalidArgument);
  CHECK_THROWS_AS(study.add_measured(t.params, 0.5), InvalidArgument);
  CHECK_THROWS_AS(study.add_measured_values(t.params, {0.5}), InvalidArgument);
  CHECK(study.trial(t.id).state == TrialState::kRunning);
  CHECK(study.trials().size() == 1);
  CHECK_THROWS_AS(study.best(), StateError);
  CHECK_THROWS_AS(study.recommend(), StateError);
  study.tell_values(t.id, {0.5, 3.0});
  CHECK(study.trial(t.id).values == std::vector<double>{0.5, 3.0});
  // Bad objective lists and strategies that cannot weigh several objectives.
  Study::Options o = two_objectives();
  o.objectives.pop_back();
  CHECK_THROWS_AS(o.validate(), InvalidArgument);
  o = two_objectives();
  o.objectives[1].name = "yield";
  CHECK_THROWS_AS(o.validate(), InvalidArgument);
  CHECK_THROWS_AS(two_objectives("gp-ucb").validate(), InvalidArgument);
  CHECK_THROWS_AS(parse_objectives("yield:sideways"), InvalidArgument);
  CHECK_NOTHROW(two_objectives("random").validate());
  Study single = Study::create(db.url(), "single", space2());
  CHECK_THROWS_AS(single.pareto(), StateError);
  CHECK_THROWS_AS(single.tell_values(single.ask().id, {1.0, 2.0}), InvalidArgument);
}

TEST_CASE("the Pareto view ranks feasible trials, keeps ties and reports the hypervolume", "[multi_objective]") {
  TempPath db;
  Study::Options o = two_objectives("random");
  o.n_constraints = 1;
  o.objectives[1].threshold = 10.0;
  Study study = Study::create(db.url(), "mo", space2(), o);
  const Params p = {{"x", 0.5}, {"y", 0.5}};
  study.add_measured_values(p, {0.9, 8.0}, {-1.0});  // front
  study.add_measured_values(p, {0.5, 4.0}, {-1.0});  // front
  study.add_measured_values(p, {0.5, 4.0}, {0.0});   // a tie, feasible at c = 0: front
  study.add_measured_values(p, {0.4, 9.0}, {-1.0});  // dominated: rank 1
  study.add_measured_values(p, {2.0, 1.0}, {1.0});   // dominates all but infeasible
  const ParetoSummary s = study.pareto();
  CHECK(s.ranks == std::vector<int>{0, 0, 0, 1, -1});
  CHECK(s.front == std::vector<std::size_t>{0, 1, 2});
  // Maximising (yield, -cost) above (0.2, -10): [0.2,0.9]x[-10,-8] u [0.2,0.5]x[-10,-4]
  // = 0.7 * 2 + 0.3 * 4 = 2.6.
  CHECK(s.hypervolume == Approx(2.6));
  CHECK(s.reference == std::vector<double>{0.2, 10.0});
}

TEST_CASE("gp-qlognehvi and gp-parego suggest distinct batches and improve the hypervolume over the design",
          "[multi_objective]") {
  for (const std::string strategy : {"gp-qlognehvi", "gp-parego"}) {
    TempPath db;
    Study::Options o = two_objectives(strategy);
    o.objectives[1].threshold = 11.0;  // a fixed reference point: the hypervolume can only grow
    Study study = Study::create(db.url(), "mo", space2(), o);
    run(study, 6);
    const double design = study.pareto().hypervolume;
    run(study, 9, 3);
    INFO(strategy);
    CHECK(study.trials().size() == 15);
    CHECK(study.pareto().hypervolume > design);
    const std::vector<Trial> all = study.trials();
    for (std::size_t i = 0; i < all.size(); ++i)
      for (std::size_t j = i + 1; j < all.size(); ++j) CHECK(all[i].params != all[j].params);
  }
}

TEST_CASE("gp-qlognehvi handles outcome constraints and pending points", "[multi_objective]") {
  TempPath db;
  Study::Options o = two_objectives();
  o.n_constraints = 1;
  Study study = Study::create(db.url(), "mo", space2(), o);
  for (int i = 0; i < 10; ++i) {
    const Trial t = study.ask();
    const double x = std::get<double>(t.params.at("x"));
    study.tell_values(t.id, measure(t.params), {x - 0.6});  // feasible for x <= 0.6
  }
  const std::vector<Trial> pending = study.ask(2);
  CHECK(pending[0].params != pending[1].params);
  int feasible = 0;
  for (const Trial& t : pending) feasible += std::get<double>(t.params.at("x")) <= 0.65;
  CHECK(feasible >= 1);
}

TEST_CASE("a multi-objective study resumes deterministically", "[multi_objective][resume]") {
  for (const std::string strategy : {"gp-qlognehvi", "gp-parego"}) {
    TempPath a, b;
    Study straight = Study::open(a.url(), "s", space2(), two_objectives(strategy));
    run(straight, 9);
    for (int i = 0; i < 9; ++i) {
      Study reopened = Study::open(b.url(), "s", space2(), two_objectives(strategy));
      run(reopened, 1);
    }
    const std::vector<Trial> x = straight.trials(), y = Study::load(b.url(), "s").trials();
    REQUIRE(x.size() == y.size());
    INFO(strategy);
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(x[i].params == y[i].params);
  }
}
