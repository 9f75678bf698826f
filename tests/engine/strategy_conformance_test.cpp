// The strategy conformance suite: every registered strategy (each surrogate with every acquisition
// it supports, and the model-free ones) runs a 20-trial study with batches, never repeats a pending
// point, and a study reopened from its file before every ask makes exactly the trials of an
// uninterrupted one (so it is deterministic and resumes).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "core/errors.h"
#include "engine/strategy.h"
#include "engine/study.h"
#include "support/dump.h"
#include "surrogates/surrogate_registry.h"
#include "support/fast_settings.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

namespace {

bool models_fidelity(const std::string& strategy) { return make_strategy(strategy)->models_fidelity(); }

// Strategies that choose each trial's fidelity get a fidelity parameter "s" besides (the function
// ignores it).
SearchSpace mixed_space(const std::string& strategy) {
  std::vector<Parameter> params = {Parameter::Float("x", 0, 1), Parameter::Float("y", 0, 1), Parameter::Int("k", 0, 4)};
  if (models_fidelity(strategy)) params.push_back(Parameter::Float("s", 0, 1).as_fidelity(1.0));
  return SearchSpace(std::move(params));
}

double smooth(const Params& p) {
  return std::pow(std::get<double>(p.at("x")) - 0.3, 2) + std::pow(std::get<double>(p.at("y")) - 0.6, 2) +
         0.05 * static_cast<double>(std::get<std::int64_t>(p.at("k")));
}

Study::Options options_for(const std::string& strategy) {
  Study::Options o;
  o.strategy = strategy;
  o.strategy_options = fast_strategy_options(strategy);
  o.n_init = 5;
  o.seed = 11;
  if (models_fidelity(strategy)) o.cost = AffineCost{5.0, 1.0};
  return o;
}

// 20 trials: asked in batches of 2 (the second ask of each round sees the first as pending), every
// result told; `reopen` loads the study from its file before every ask.
void run(const std::string& url, const std::string& strategy, bool reopen) {
  std::optional<Study> study;
  for (int round = 0; round < 10; ++round) {
    if (!study || reopen) study = Study::open(url, "s", mixed_space(strategy), options_for(strategy));
    const std::vector<Trial> batch = study->ask(2);
    REQUIRE(batch.size() == 2);
    CHECK(batch[0].params != batch[1].params);
    for (const Trial& t : batch) study->tell(t.id, smooth(t.params));
  }
}

}  // namespace

TEST_CASE("every strategy runs a 20-trial study that resumes from its file exactly", "[conformance][strategies]") {
  for (const std::string& name : strategy_names()) {
    INFO(name);
    TempPath straight, resumed;
    run(straight.url(), name, false);
    run(resumed.url(), name, true);
    const auto a = Study::load(straight.url(), "s").trials(), b = Study::load(resumed.url(), "s").trials();
    REQUIRE(a.size() == 20);
    REQUIRE(b.size() == 20);
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].params == b[i].params);
  }
}

TEST_CASE("every strategy never hands out a pending point again", "[conformance][strategies]") {
  for (const std::string& name : strategy_names()) {
    INFO(name);
    Study study = Study::open("sqlite::memory:", "s", mixed_space(name), options_for(name));
    for (int i = 0; i < 6; ++i) {
      const Trial t = study.ask();
      study.tell(t.id, smooth(t.params));
    }
    const Trial pending = study.ask();
    std::set<Params> seen{pending.params};
    for (const Trial& t : study.ask(4)) CHECK(seen.insert(t.params).second);
  }
}

TEST_CASE("a surrogate-acquisition pair the surrogate cannot feed is refused, naming what works", "[strategies]") {
  for (const std::string surrogate : {"bnn-ensemble", "bnn-hmc"}) {
    const std::vector<std::string> built = surrogate_names();  // (builds without libtorch lack them)
    if (std::find(built.begin(), built.end(), surrogate) == built.end()) continue;
    const std::string name = surrogate + "-kg";
    Study::Options o;
    o.strategy = name;
    CHECK_THROWS_WITH(Study::open("sqlite::memory:", "s", mixed_space("gp-logei"), o),
                      Catch::Matchers::Contains("needs a joint posterior") &&
                          Catch::Matchers::Contains(surrogate + "-logei") && Catch::Matchers::Contains(surrogate + "-qlognei"));
  }
  Study::Options o;
  o.strategy = "gp-nonsense";
  CHECK_THROWS_WITH(Study::open("sqlite::memory:", "s", mixed_space("gp-logei"), o), Catch::Matchers::Contains("known: "));
}

TEST_CASE("malformed strategy options are refused naming the field, with the database unchanged", "[strategies]") {
  TempPath file;
  Study::open(file.url(), "existing", mixed_space("gp-logei"));
  const std::string before = dump(*open_storage(file.url()));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"surrogate\": {\"kernel\": \"periodic\"}}", "periodic"},
      {"{\"surrogate\": {\"num_restarts\": 0}}", "num_restarts"},
      {"{\"surrogate\": {\"num_restarts\": 2.5}}", "strategy options: surrogate.num_restarts must be an integer"},
      {"{\"surogate\": {}}", "strategy options has no field 'surogate'"},
      {"{\"optimizer\": {\"raw_samples\": -1}}", "raw_samples"},
      {"{\"acquisition\": {\"ucb_beta\": \"big\"}}", "ucb_beta must be a finite number"},
      {"[1, 2]", "must be a JSON object"},
      {"{\"surrogate\": ", "not valid JSON"},
  };
  for (const auto& [text, message] : cases) {
    INFO(text);
    Study::Options o;
    o.strategy_options = text;
    CHECK_THROWS_WITH(Study::open(file.url(), "new", mixed_space("gp-logei"), o), Catch::Matchers::Contains(message));
  }
  Study::Options o;
  o.strategy = "random";
  o.strategy_options = "{\"surrogate\": {}}";
  CHECK_THROWS_WITH(Study::open(file.url(), "new", mixed_space("gp-logei"), o), Catch::Matchers::Contains("takes none"));
  CHECK(dump(*open_storage(file.url())) == before);
}

TEST_CASE("a study stores its complete strategy settings and keeps suggesting with them", "[strategies]") {
  TempPath file;
  Study::Options o;
  o.strategy_options = "{\"surrogate\": {\"kernel\": \"rbf\"}, \"optimizer\": {\"raw_samples\": 256}}";
  o.seed = 4;
  Study study = Study::open(file.url(), "s", mixed_space("gp-logei"), o);
  const nlohmann::json stored = nlohmann::json::parse(study.record().strategy_options);
  CHECK(stored["surrogate"]["kernel"] == "rbf");
  CHECK(stored["surrogate"]["num_restarts"] == 3);  // every default written out
  CHECK(stored["optimizer"]["raw_samples"] == 256);
  CHECK(stored["acquisition"]["ucb_beta"] == 4.0);
  for (int i = 0; i < 7; ++i) {
    const Trial t = study.ask();
    study.tell(t.id, smooth(t.params));
  }
  // The stored settings win over what a later opener passes: the same next trial.
  TempPath copy;
  Study::Options other = o;
  other.strategy_options = "";
  Study twin = Study::open(copy.url(), "s", mixed_space("gp-logei"), o);
  for (const Trial& t : study.trials()) twin.add_measured(t.params, *t.value);
  Study reopened = Study::open(file.url(), "s", mixed_space("gp-logei"), other);
  CHECK(reopened.record().strategy_options == study.record().strategy_options);
  CHECK(reopened.ask().params == twin.ask().params);
}
