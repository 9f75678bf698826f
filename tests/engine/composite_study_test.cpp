// Composite studies: trials report measured outputs h and the study optimises a known g(h),
// either the built-in distance to target values or any function given in C++.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "engine/problems.h"
#include "engine/study.h"
#include "support/dump.h"
#include "support/fast_settings.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

namespace {

// Two outputs of a 2-d experiment: Branin's value and the sum of the inputs.
std::vector<double> two_outputs(const Problem& branin, const Params& p) {
  return {branin.evaluate(p).value, std::get<double>(p.at("x1")) + std::get<double>(p.at("x2"))};
}

SearchSpace unit_square() { return SearchSpace({Parameter::Float("a", 0, 1), Parameter::Float("b", 0, 1)}); }

// Outputs whose sum of logs is smallest at (0.3, 0.7); g is not a function boex knows.
std::vector<double> squares(const Params& p) {
  return {std::pow(std::get<double>(p.at("a")) - 0.3, 2), std::pow(std::get<double>(p.at("b")) - 0.7, 2)};
}

Study::Options log_sum_options() {
  Study::Options o;
  o.n_outputs = 2;
  o.composite = [](const Eigen::VectorXd& h) { return std::log(h.sum() + 1e-3); };
  o.seed = 4;
  return o;
}

}  // namespace

TEST_CASE("a multi-output target study drives every output to its target and beats random search",
          "[composite][behaviour]") {
  const Problem branin = make_problem("Branin");
  // Targets met exactly at (2, 5) (and along a curve through it).
  const std::vector<double> targets = two_outputs(branin, {{"x1", 2.0}, {"x2", 5.0}});
  double distance[2];
  for (int r = 0; r < 2; ++r) {
    Study::Options o;
    o.targets = targets;
    o.seed = 1;
    o.strategy = r == 0 ? "gp-logei" : "random";
    Study study = Study::open("sqlite::memory:", "t", branin.space, o);
    for (int i = 0; i < 30; ++i) {
      const Trial t = study.ask();
      study.tell_outputs(t.id, two_outputs(branin, t.params));
    }
    const Trial best = *study.best();
    REQUIRE(best.outputs.size() == 2);
    // The stored value is the squared distance of the stored outputs to the targets.
    CHECK(*best.value == Approx(std::pow(best.outputs[0] - targets[0], 2) + std::pow(best.outputs[1] - targets[1], 2)));
    distance[r] = std::sqrt(*best.value);
  }
  INFO("distance to the targets: gp-logei " << distance[0] << ", random " << distance[1]);
  CHECK(distance[0] < 0.1);
  CHECK(distance[0] * 10 < distance[1]);
}

TEST_CASE("a composite study optimises a C++ function of its outputs", "[composite][behaviour]") {
  Study study = Study::open("sqlite::memory:", "g", unit_square(), log_sum_options());
  for (int i = 0; i < 25; ++i) {
    const Trial t = study.ask();
    study.tell_outputs(t.id, squares(t.params));
  }
  const Trial best = *study.best();
  CHECK(*best.value == Approx(std::log(best.outputs[0] + best.outputs[1] + 1e-3)));
  CHECK(std::hypot(std::get<double>(best.params.at("a")) - 0.3, std::get<double>(best.params.at("b")) - 0.7) < 0.03);
  const Trial recommended = *study.recommend();
  CHECK(*recommended.value < std::log(0.01));
}

TEST_CASE("a composite study resumed from its file continues exactly as an uninterrupted one", "[composite][resume]") {
  TempPath a, b;
  Study straight = Study::open(a.url(), "g", unit_square(), log_sum_options());
  for (int i = 0; i < 9; ++i) {
    const Trial t = straight.ask();
    straight.tell_outputs(t.id, squares(t.params));
  }
  for (int i = 0; i < 9; ++i) {
    Study reopened = Study::open(b.url(), "g", unit_square(), log_sum_options());
    const Trial t = reopened.ask();
    reopened.tell_outputs(t.id, squares(t.params));
  }
  const auto x = straight.trials(), y = Study::load(b.url(), "g").trials();
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(x[i].params == y[i].params);
}

TEST_CASE("a built-in target study is continued by Study::load; a C++ composite needs its function again",
          "[composite][resume]") {
  TempPath file;
  {
    Study::Options o;
    o.targets = {0.1, 0.2};
    Study::open(file.url(), "targets", unit_square(), o);
    Study::open(file.url(), "code", unit_square(), log_sum_options());
  }
  Study targets = Study::load(file.url(), "targets");
  CHECK(targets.targets() == std::vector<double>{0.1, 0.2});
  CHECK(targets.record().n_outputs == 2);
  for (int i = 0; i < 6; ++i) {
    const Trial t = targets.ask();
    targets.tell_outputs(t.id, squares(t.params));
  }
  Study code = Study::load(file.url(), "code");
  code.enqueue({{"a", 0.5}, {"b", 0.5}});
  CHECK_THROWS_AS(code.ask(), StateError);
  REQUIRE(code.trials().size() == 1);
  CHECK(code.trials()[0].state == TrialState::kWaiting);  // the refused ask claimed nothing
}

TEST_CASE("bad outputs and mismatched tells on composite studies leave the database unchanged",
          "[composite][bad_input]") {
  TempPath file;
  Study::Options o = log_sum_options();
  o.n_constraints = 1;
  Study study = Study::open(file.url(), "g", unit_square(), o);
  Study plain = Study::open(file.url(), "plain", unit_square());
  const Trial open = study.ask();
  const Trial plain_open = plain.ask();
  const std::string before = dump(*open_storage(file.url()));
  CHECK_THROWS_AS(study.tell(open.id, 1.0, {0.0}), InvalidArgument);            // a value, not outputs
  CHECK_THROWS_AS(study.tell_outputs(open.id, {0.1}, {0.0}), InvalidArgument);  // one output short
  CHECK_THROWS_AS(study.tell_outputs(open.id, {0.1, NAN}, {0.0}), InvalidArgument);
  CHECK_THROWS_AS(study.tell_outputs(open.id, {0.1, 0.2}, {}), InvalidArgument);  // the constraint is missing
  CHECK_THROWS_AS(study.tell_outputs(open.id, {-1.0, -1.0}, {0.0}), InvalidArgument);  // log of a negative: NaN
  CHECK_THROWS_AS(study.tell_outputs(123456, {0.1, 0.2}, {0.0}), NotFound);
  CHECK_THROWS_AS(study.add_measured({{"a", 0.5}, {"b", 0.5}}, 1.0, {0.0}), InvalidArgument);
  CHECK_THROWS_AS(plain.tell_outputs(plain_open.id, {0.1, 0.2}), InvalidArgument);  // no outputs there
  CHECK(dump(*open_storage(file.url())) == before);
  study.tell_outputs(open.id, {0.1, 0.2}, {0.0});
  CHECK(study.trial(open.id).outputs == std::vector<double>{0.1, 0.2});
  CHECK(study.trial(open.id).value == Approx(std::log(0.301)));
}

TEST_CASE("composite study options are checked before anything is created", "[composite][bad_input]") {
  Study::Options o;
  o.n_outputs = 2;  // no function to turn them into an objective
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("composite"));
  o = Study::Options();
  o.composite = [](const Eigen::VectorXd& h) { return h.sum(); };  // n_outputs missing
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("n_outputs"));
  o = Study::Options();
  o.targets = {1.0, 2.0};
  o.n_outputs = 3;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("targets"));
  o.n_outputs = 0;
  o.direction = Direction::kMaximize;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("minimize"));
  o = Study::Options();
  o.targets = {1.0, NAN};
  CHECK_THROWS_AS(o.validate(), InvalidArgument);
  // A composite function cannot be attached to a study created without outputs.
  TempPath file;
  Study::open(file.url(), "plain", unit_square());
  CHECK_THROWS_AS(Study::open(file.url(), "plain", unit_square(), log_sum_options()), StateError);
}

TEST_CASE("every strategy's batches on a composite study never repeat a pending point and spread out",
          "[composite][strategies]") {
  for (const std::string& name : strategy_names()) {
    INFO(name);
    Study::Options o = log_sum_options();
    o.strategy = name;
    o.strategy_options = fast_strategy_options(name);
    o.n_init = 4;
    if (!make_strategy(name)->supports_composite()) {
      CHECK_THROWS_AS(Study::open("sqlite::memory:", "g", unit_square(), o), InvalidArgument);
      continue;
    }
    Study study = Study::open("sqlite::memory:", "g", unit_square(), o);
    for (int i = 0; i < 6; ++i) {
      const Trial t = study.ask();
      study.tell_outputs(t.id, squares(t.params));
    }
    std::vector<Trial> batch = study.ask(4);
    batch.push_back(study.ask());
    for (std::size_t i = 0; i < batch.size(); ++i)
      for (std::size_t j = 0; j < i; ++j) {
        const double dx = std::get<double>(batch[i].params.at("a")) - std::get<double>(batch[j].params.at("a"));
        const double dy = std::get<double>(batch[i].params.at("b")) - std::get<double>(batch[j].params.at("b"));
        // Believed pending points repel: 0.07 apart here, where ignoring them gave 0.004.
        CHECK(std::hypot(dx, dy) > 0.02);
      }
  }
}
