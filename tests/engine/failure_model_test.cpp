#include <catch2/catch.hpp>
#include <cmath>

#include "engine/study.h"

using namespace boex;

namespace {

// Experiments fail whenever x + y > 1.2 (a region that always fails); elsewhere the objective
// (minimised) pulls towards (0.9, 0.9), inside the failing region, so a study that only avoids
// exact failed points keeps proposing there.
int failures(bool failure_model, std::uint64_t seed) {
  const SearchSpace space({Parameter::Float("x", 0, 1), Parameter::Float("y", 0, 1)});
  Study::Options o;
  o.seed = seed;
  o.n_init = 5;
  o.strategy_options = failure_model ? "" : R"({"failure_model": {"enabled": false}})";
  Study study = Study::open("sqlite::memory:", "s", space, o);
  int failed = 0;
  for (int i = 0; i < 25; ++i) {
    const Trial t = study.ask();
    const double x = std::get<double>(t.params.at("x")), y = std::get<double>(t.params.at("y"));
    if (x + y > 1.2) {
      study.tell_failed(t.id);
      if (i >= 5) ++failed;  // counted after the initial design, which is the same for both
    } else {
      study.tell(t.id, std::pow(x - 0.9, 2) + std::pow(y - 0.9, 2));
    }
  }
  return failed;
}

}  // namespace

TEST_CASE("with the failure model a study proposes fewer points where experiments fail", "[failure_model]") {
  int with = 0, without = 0;
  for (std::uint64_t seed : {1, 2, 3}) {
    with += failures(true, seed);
    without += failures(false, seed);
  }
  INFO("failed after the initial design: with the model " << with << ", without " << without);
  CHECK(with < without);
}

TEST_CASE("the failure model is stored with the study's settings and can be turned off", "[failure_model]") {
  Study::Options o;
  o.strategy_options = R"({"failure_model": {"enabled": false}})";
  const Study s = Study::open("sqlite::memory:", "s", SearchSpace({Parameter::Float("x", 0, 1)}), o);
  CHECK(s.record().strategy_options.find("\"failure_model\":{\"enabled\":false}") != std::string::npos);
  const Study d = Study::open("sqlite::memory:", "d", SearchSpace({Parameter::Float("x", 0, 1)}));
  CHECK(d.record().strategy_options.find("\"failure_model\":{\"enabled\":true}") != std::string::npos);
}
