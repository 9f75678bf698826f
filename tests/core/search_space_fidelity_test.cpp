// A multi-fidelity space: one float or int fidelity with its target at an end of its range, kept
// through the space JSON; the space knows its column, its target and its design parameters.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/search_space.h"

using namespace boex;
using Catch::Matchers::Contains;

namespace {

SearchSpace with_epochs(double target) {
  return SearchSpace({Parameter::Float("lr", 1e-4, 1e-1, true), Parameter::Int("epochs", 5, 50).as_fidelity(target),
                      Parameter::Categorical("opt", {"sgd", "adam"})});
}

}  // namespace

TEST_CASE("a fidelity parameter has its column, its target's encoded value and a design space without it", "[fidelity]") {
  const SearchSpace high = with_epochs(50), low = with_epochs(5);
  REQUIRE(high.fidelity_index() == 1);
  CHECK(high.fidelity_column() == 1);
  CHECK(high.fidelity_target() == 1.0);
  CHECK(low.fidelity_target() == 0.0);
  CHECK_FALSE(high == low);
  CHECK(high.at_target({{"lr", 1e-3}, {"epochs", std::int64_t{50}}, {"opt", std::string("sgd")}}));
  CHECK_FALSE(high.at_target({{"lr", 1e-3}, {"epochs", std::int64_t{20}}, {"opt", std::string("sgd")}}));
  const SearchSpace design = high.without_fidelity();
  CHECK(design.size() == 2);
  CHECK_FALSE(design.fidelity_index());
  CHECK(design.dimension() == 3);
  const SearchSpace plain({Parameter::Float("x", 0, 1)});
  CHECK_FALSE(plain.fidelity_index());
  CHECK(plain.at_target({{"x", 0.3}}));
  CHECK_THROWS_AS(plain.without_fidelity(), InvalidArgument);
  CHECK_THROWS_AS(plain.fidelity_column(), InvalidArgument);
}

TEST_CASE("a fidelity with a bad target, type, scale or company is refused saying why", "[fidelity]") {
  const Parameter x = Parameter::Float("x", 0, 1);
  CHECK_THROWS_WITH(SearchSpace({x, Parameter::Float("s", 0, 1).as_fidelity(0.5)}), Contains("low (0) or the high (1) end"));
  CHECK_THROWS_WITH(SearchSpace({x, Parameter::Float("s", 0, 1).as_fidelity(2.0)}), Contains("target 2"));
  CHECK_THROWS_WITH(SearchSpace({x, Parameter::Float("s", 0, 1).as_fidelity(NAN)}), Contains("end of its range"));
  CHECK_THROWS_WITH(SearchSpace({x, Parameter::Categorical("s", {"a", "b"}).as_fidelity(0)}), Contains("float or an int"));
  CHECK_THROWS_WITH(SearchSpace({x, Parameter::Float("s", 0.1, 1, true).as_fidelity(1)}), Contains("log-scaled"));
  CHECK_THROWS_WITH(SearchSpace({x, Parameter::Float("s", 1, 1).as_fidelity(1)}), Contains("low < high"));
  CHECK_THROWS_WITH(SearchSpace({x, Parameter::Float("s", 0, 1).as_fidelity(1), Parameter::Int("t", 0, 3).as_fidelity(3)}),
                    Contains("at most one"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("s", 0, 1).as_fidelity(1)}), Contains("at least one other parameter"));
  Parameter stray = x;
  stray.target = 1.0;
  CHECK_THROWS_WITH(SearchSpace({stray}), Contains("not a fidelity"));
}

TEST_CASE("the space JSON carries a fidelity and its target, and refuses a target without one", "[fidelity][json]") {
  const std::string text = R"({"parameters": [
    {"name": "lr", "type": "float", "low": 1e-4, "high": 1e-1, "log": true},
    {"name": "epochs", "type": "int", "low": 5, "high": 50, "fidelity": true, "target": 50},
    {"name": "opt", "type": "categorical", "choices": ["sgd", "adam"]}]})";
  const SearchSpace s = space_from_json_text(text);
  CHECK(s == with_epochs(50));
  const nlohmann::json written = space_to_json(s);
  CHECK(written["parameters"][1]["fidelity"] == true);
  CHECK(written["parameters"][1]["target"] == 50);
  CHECK_FALSE(written["parameters"][0].contains("fidelity"));
  CHECK(space_from_json(written) == s);
  CHECK_THROWS_WITH(space_from_json_text(R"({"parameters": [{"name": "a", "type": "float", "low": 0, "high": 1, "target": 1}]})"),
                    Contains("'target' is for a fidelity"));
  CHECK_THROWS_WITH(space_from_json_text(R"({"parameters": [{"name": "x", "type": "float", "low": 0, "high": 1},
      {"name": "a", "type": "float", "low": 0, "high": 1, "fidelity": true}]})"),
                    Contains("'target' must be a number"));
  CHECK_THROWS_WITH(space_from_json_text(R"({"parameters": [{"name": "a", "type": "float", "low": 0, "high": 1, "fidelity": 1, "target": 1}]})"),
                    Contains("'fidelity' must be true or false"));
}

TEST_CASE("a value outside the fidelity's range is refused like any out-of-bounds value", "[fidelity]") {
  const SearchSpace s = with_epochs(50);
  CHECK_THROWS_WITH(s.validate({{"lr", 1e-3}, {"epochs", std::int64_t{60}}, {"opt", std::string("sgd")}}),
                    Contains("out of bounds"));
}
