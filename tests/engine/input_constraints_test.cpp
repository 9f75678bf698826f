// Known input constraints end to end: every registered strategy's suggestions satisfy random
// linear, mixture, cardinality and batch-shared constraint sets; enqueue/add refuse violating
// points; an infeasible set is refused at create with nothing written.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/rng.h"
#include "engine/study.h"
#include "support/fast_settings.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;
using Catch::Matchers::Contains;

namespace {

std::vector<Parameter> parameters() {
  return {Parameter::Float("a", 0, 1), Parameter::Float("b", 0, 1),  Parameter::Float("c", 0, 1),
          Parameter::Float("d", -1, 1), Parameter::Float("t", 20, 80), Parameter::Int("k", 0, 3)};
}

// A random constraint set around a reference point that satisfies it (so it is feasible).
InputConstraints random_constraints(std::uint64_t seed) {
  Rng rng(seed);
  InputConstraints out;
  // Reference: a, b, c on a simplex of total s, d = 0.
  const double s = rng.uniform(0.5, 1.0);
  Eigen::Vector3d w(rng.uniform(), rng.uniform(), rng.uniform());
  const Eigen::Vector3d r = s * w / w.sum();
  if (rng.uniform() < 0.7) out.linear.push_back({{{"a", 1}, {"b", 1}, {"c", 1}}, s, s});  // a mixture
  if (rng.uniform() < 0.8) {
    LinearConstraint c;
    const double ca = rng.uniform(-2, 2), cb = rng.uniform(-2, 2), cd = rng.uniform(-1, 1);
    c.coefficients = {{"a", ca}, {"b", cb}, {"d", cd}};
    c.max = ca * r(0) + cb * r(1) + rng.uniform(0.0, 0.3);
    if (rng.uniform() < 0.5) c.min = c.max - rng.uniform(0.3, 1.0);
    out.linear.push_back(c);
  }
  if (rng.uniform() < 0.5) out.cardinality.push_back({{"c", "d"}, 1});
  if (rng.uniform() < 0.6) out.batch_shared.push_back("t");
  return out;
}

double objective(const Params& p) {
  double v = 0.0;
  for (const char* n : {"a", "b", "c", "d"}) v += std::pow(std::get<double>(p.at(n)) - 0.4, 2);
  return v + 0.001 * std::get<double>(p.at("t")) + 0.01 * static_cast<double>(std::get<std::int64_t>(p.at("k")));
}

void check_batch(const SearchSpace& space, const std::vector<Trial>& batch) {
  for (const Trial& t : batch) {
    INFO(to_string(t.params.at("a")) << " " << to_string(t.params.at("b")) << " " << to_string(t.params.at("c")) << " "
                                     << to_string(t.params.at("d")));
    REQUIRE_NOTHROW(space.validate(t.params));
    REQUIRE(space.satisfies_constraints(space.encode(t.params)));
  }
  if (!space.constraints().batch_shared.empty())
    for (const Trial& t : batch) REQUIRE(std::get<double>(t.params.at("t")) == std::get<double>(batch.front().params.at("t")));
}

}  // namespace

TEST_CASE("every strategy's suggestions satisfy random input constraint sets", "[constraints][strategies]") {
  std::uint64_t set = 0;
  for (const std::string& name : strategy_names()) {
    for (int repeat = 0; repeat < 2; ++repeat) {
      const InputConstraints constraints = random_constraints(++set);
      INFO(name << " with constraints " << constraints_to_json(constraints).dump());
      const SearchSpace space(parameters(), constraints);
      Study::Options o;
      o.strategy = name;
      o.strategy_options = fast_strategy_options(name);
      o.n_init = 4;
      o.seed = set;
      Study study = Study::open("sqlite::memory:", "s", space, o);
      for (int round = 0; round < 3; ++round) {
        const std::vector<Trial> batch = study.ask(3);
        check_batch(space, batch);
        for (const Trial& t : batch) study.tell(t.id, objective(t.params));
      }
    }
  }
}

TEST_CASE("many random constraint sets hold for random search and the default GP strategy", "[constraints]") {
  for (std::uint64_t set = 100; set < 130; ++set) {
    const InputConstraints constraints = random_constraints(set);
    INFO(constraints_to_json(constraints).dump());
    const SearchSpace space(parameters(), constraints);
    for (const char* name : {"random", "sobol", "gp-logei"}) {
      Study::Options o;
      o.strategy = name;
      o.n_init = 3;
      o.seed = set;
      Study study = Study::open("sqlite::memory:", "s", space, o);
      for (int round = 0; round < (std::string(name) == "gp-logei" ? 2 : 3); ++round) {
        const std::vector<Trial> batch = study.ask(2);
        check_batch(space, batch);
        for (const Trial& t : batch) study.tell(t.id, objective(t.params));
      }
    }
  }
}

TEST_CASE("enqueue and add refuse points outside the input constraints", "[constraints]") {
  InputConstraints c;
  c.linear.push_back({{{"a", 1}, {"b", 1}}, -INFINITY, 0.5});
  Study study = Study::open("sqlite::memory:", "s", SearchSpace(parameters(), c));
  Params p = {{"a", 0.4}, {"b", 0.4}, {"c", 0.1}, {"d", 0.0}, {"t", 30.0}, {"k", std::int64_t{1}}};
  CHECK_THROWS_WITH(study.enqueue(p), Contains("violates input constraint 0"));
  CHECK_THROWS_AS(study.add_measured(p, 1.0), InvalidArgument);
  CHECK(study.trials().empty());
  p["b"] = 0.1;
  CHECK_NOTHROW(study.enqueue(p));
}

TEST_CASE("an infeasible constraint set is refused at create and nothing is written", "[constraints]") {
  TempPath path;
  const std::string space_json = R"({"parameters": [{"name": "a", "type": "float", "low": 0, "high": 1},
    {"name": "b", "type": "float", "low": 0, "high": 1}],
    "constraints": [{"type": "sum", "parameters": ["a", "b"], "equals": 3}]})";
  CHECK_THROWS_WITH(Study::create(path.url(), "s", space_from_json_text(space_json)), Contains("admit no point"));
  CHECK_THROWS_AS(Study::load(path.url(), "s"), NotFound);
}

TEST_CASE("a constrained study resumes from its file with the same suggestions", "[constraints]") {
  TempPath straight, resumed;
  const SearchSpace space(parameters(), random_constraints(7));
  Study::Options o;
  o.n_init = 3;
  o.seed = 3;
  const auto run = [&](const std::string& url, bool reopen) {
    std::optional<Study> study;
    for (int round = 0; round < 4; ++round) {
      if (!study || reopen) study = Study::open(url, "s", space, o);
      for (const Trial& t : study->ask(2)) study->tell(t.id, objective(t.params));
    }
    return Study::load(url, "s").trials();
  };
  const auto a = run(straight.url(), false), b = run(resumed.url(), true);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].params == b[i].params);
  CHECK(Study::load(straight.url(), "s").space() == space);
}
