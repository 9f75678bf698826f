#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/search_space.h"
#include "core/sobol.h"

using namespace boex;
using Catch::Matchers::Contains;

namespace {

SearchSpace mixed() {
  return SearchSpace({Parameter::Float("temperature", 20, 90), Parameter::Float("lr", 1e-5, 1e-1, true),
                      Parameter::Int("layers", 1, 8), Parameter::Categorical("solvent", {"water", "ethanol", "dmso"})});
}

Params good() { return {{"temperature", 55.0}, {"lr", 1e-3}, {"layers", std::int64_t{3}}, {"solvent", std::string("dmso")}}; }

}  // namespace

TEST_CASE("encoding puts every parameter in the unit cube with one-hot categoricals", "[search_space]") {
  const SearchSpace s = mixed();
  CHECK(s.dimension() == 1 + 1 + 1 + 3);
  const Eigen::VectorXd x = s.encode(good());
  CHECK(x(0) == Approx(0.5));
  CHECK(x(1) == Approx(0.5));  // 1e-3 is the geometric midpoint of [1e-5, 1e-1]
  CHECK(x(2) == Approx(2.0 / 7.0));
  CHECK(x.tail(3) == Eigen::Vector3d(0, 0, 1));
  CHECK(s.continuous_columns() == std::vector<int>{0, 1});
  REQUIRE(s.discrete_blocks().size() == 2);
  CHECK(s.discrete_blocks()[1].offset == 3);
  CHECK(s.discrete_blocks()[1].width == 3);
}

TEST_CASE("decode inverts encode for every parameter type", "[search_space]") {
  const SearchSpace s = mixed();
  const Params back = s.decode(s.encode(good()));
  CHECK(std::get<double>(back.at("temperature")) == Approx(55.0));
  CHECK(std::get<double>(back.at("lr")) == Approx(1e-3));
  CHECK(std::get<std::int64_t>(back.at("layers")) == 3);
  CHECK(std::get<std::string>(back.at("solvent")) == "dmso");
}

TEST_CASE("decode rounds ints, picks the largest categorical column and clamps to bounds", "[search_space]") {
  const SearchSpace s = mixed();
  Eigen::VectorXd x(6);
  x << 1.7, -0.3, 0.49 * 1.0, 0.2, 0.7, 0.1;
  const Params p = s.decode(x);
  CHECK(std::get<double>(p.at("temperature")) == 90.0);
  CHECK(std::get<double>(p.at("lr")) == Approx(1e-5));
  CHECK(std::get<std::int64_t>(p.at("layers")) == 4);  // 1 + 0.49 * 7 = 4.43
  CHECK(std::get<std::string>(p.at("solvent")) == "ethanol");
  const Eigen::VectorXd y = s.project(x);
  CHECK(s.project(y).isApprox(y));
}

TEST_CASE("log-scaled ints round in value space and stay in bounds", "[search_space]") {
  const SearchSpace s({Parameter::Int("batch", 16, 1024, true)});
  for (double u = 0.0; u <= 1.0; u += 0.01) {
    const auto v = std::get<std::int64_t>(s.decode(Eigen::VectorXd::Constant(1, u)).at("batch"));
    CHECK(v >= 16);
    CHECK(v <= 1024);
  }
}

TEST_CASE("invalid parameter values are rejected with the parameter's name", "[search_space]") {
  const SearchSpace s = mixed();
  auto with = [](const std::string& k, ParamValue v) { Params p = good(); p[k] = v; return p; };
  CHECK_THROWS_WITH(s.validate(with("temperature", 95.0)), Contains("temperature") && Contains("out of bounds"));
  CHECK_THROWS_WITH(s.validate(with("temperature", std::nan(""))), Contains("finite"));
  CHECK_THROWS_WITH(s.validate(with("layers", 2.5)), Contains("integer"));
  CHECK_THROWS_WITH(s.validate(with("solvent", std::string("acetone"))), Contains("not one of its choices"));
  CHECK_THROWS_WITH(s.validate(with("solvent", 1.0)), Contains("categorical"));
  CHECK_THROWS_WITH(s.validate(with("temperature", std::string("hot"))), Contains("numeric"));
  Params missing = good();
  missing.erase("lr");
  CHECK_THROWS_WITH(s.validate(missing), Contains("missing") && Contains("lr"));
  // A name the space does not know is bad input (exit 2 in the CLI), not a missing record.
  CHECK_THROWS_AS(s.validate(with("pressure", 1.0)), InvalidArgument);
  CHECK_THROWS_WITH(s.validate(with("pressure", 1.0)), Contains("'pressure'"));
}

TEST_CASE("malformed spaces are rejected with a message saying what to fix", "[search_space]") {
  CHECK_THROWS_WITH(SearchSpace(std::vector<Parameter>{}), Contains("at least one parameter"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("a", 1, 0)}), Contains("low > high"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("a", 0, 1, true)}), Contains("low must be > 0"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("a", 0, 1), Parameter::Float("a", 0, 1)}), Contains("duplicate"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Categorical("c", {})}), Contains("at least one choice"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Categorical("c", {"x", "x"})}), Contains("twice"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("a", 0, INFINITY)}), Contains("finite"));
}

TEST_CASE("the search-space JSON of design.md round-trips", "[search_space][json]") {
  const std::string text = R"({"parameters": [
    {"name": "temperature", "type": "float", "low": 20, "high": 90},
    {"name": "lr", "type": "float", "low": 1e-5, "high": 1e-1, "log": true},
    {"name": "layers", "type": "int", "low": 1, "high": 8},
    {"name": "solvent", "type": "categorical", "choices": ["water", "ethanol", "dmso"]}]})";
  const SearchSpace s = space_from_json_text(text);
  CHECK(s == mixed());
  CHECK(space_from_json(space_to_json(s)) == s);
  const Params p = params_from_json(params_to_json(good()), s);
  CHECK(p == good());
}

TEST_CASE("malformed space JSON is an InvalidArgument naming the problem", "[search_space][json]") {
  CHECK_THROWS_WITH(space_from_json_text("{not json"), Contains("not valid JSON"));
  CHECK_THROWS_WITH(space_from_json_text(R"({"params": []})"), Contains("'parameters' array"));
  CHECK_THROWS_WITH(space_from_json_text(R"({"parameters": [{"name": "a", "type": "float", "low": 0}]})"),
                    Contains("'high'"));
  CHECK_THROWS_WITH(space_from_json_text(R"({"parameters": [{"name": "a", "type": "complex"}]})"),
                    Contains("unknown type"));
  CHECK_THROWS_AS(space_from_json_text(R"({"parameters": [{"name": "a", "type": "int", "low": 0.5, "high": 3}]})"),
                  InvalidArgument);
}

TEST_CASE("names and choices must be UTF-8, and a refusal shows the bad bytes escaped", "[search_space][hostile]") {
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("a\xff", 0, 1)}), Contains("'a\\xff' is not valid UTF-8"));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Categorical("solvent", {"water", "d\xc3"})}),
                    Contains("a choice of parameter 'solvent'") && Contains("UTF-8"));
  CHECK_NOTHROW(SearchSpace({Parameter::Float("temp\xc3\xa9rature", 0, 1)}));
  CHECK_THROWS_WITH(space_from_json_text("{\"parameters\": [{\"name\": \"a\xff\", \"type\": \"float\"}]}"),
                    Contains("not valid JSON"));
}

TEST_CASE("int bounds are exact within 2^53 and refused beyond it, never wrapped", "[search_space][hostile]") {
  const std::int64_t limit = Parameter::kMaxIntMagnitude;
  const SearchSpace wide({Parameter::Int("k", -limit, limit)});
  CHECK(wide.parameters()[0].low == -9007199254740992.0);
  CHECK(std::get<std::int64_t>(wide.decode(Eigen::VectorXd::Constant(1, 1.0)).at("k")) == limit);
  CHECK_THROWS_WITH(Parameter::Int("k", 0, limit + 1), Contains("2^53"));
  CHECK_THROWS_WITH(space_from_json_text(R"({"parameters": [{"name": "k", "type": "int", "low": -1e19, "high": 5}]})"),
                    Contains("64-bit"));
  CHECK_THROWS_WITH(space_from_json_text(R"({"parameters": [{"name": "k", "type": "int", "low": 0, "high": 9007199254740993}]})"),
                    Contains("2^53"));
  CHECK_THROWS_WITH(
      space_from_json_text(R"({"parameters": [{"name": "k", "type": "int", "low": 0, "high": 18446744073709551615}]})"),
      Contains("64-bit"));
  // Values given as integers keep every digit (9007199254740993 would round to 2^53 through a double).
  const SearchSpace k({Parameter::Int("k", 0, limit)});
  CHECK_THROWS_WITH(params_from_json(nlohmann::json::parse(R"({"k": 9007199254740993})"), k), Contains("out of bounds"));
  CHECK(std::get<std::int64_t>(params_from_json(nlohmann::json::parse(R"({"k": 9007199254740991})"), k).at("k")) ==
        limit - 1);
  CHECK_THROWS_WITH(params_from_json(nlohmann::json::parse(R"({"k": 2.5})"), k), Contains("not an integer"));
}

TEST_CASE("a float range whose width overflows a double is refused", "[search_space][hostile]") {
  CHECK_THROWS_WITH(SearchSpace({Parameter::Float("x", -1e308, 1e308)}), Contains("overflows"));
  CHECK_NOTHROW(SearchSpace({Parameter::Float("x", -8e307, 8e307)}));
  CHECK_NOTHROW(SearchSpace({Parameter::Float("x", 1e-300, 1e300, /*log=*/true)}));  // the log width is finite
}

TEST_CASE("a space wider than the Sobol generator's dimensions is refused with the limit in the message",
          "[search_space][hostile]") {
  const int limit = sobol_max_dimension();
  CHECK(limit == 3667);
  std::vector<Parameter> floats;
  for (int j = 0; j < limit; ++j) floats.push_back(Parameter::Float("x" + std::to_string(j), 0, 1));
  const SearchSpace widest(floats);
  CHECK(widest.sobol(2, 1).cols() == limit);
  floats.push_back(Parameter::Float("one_more", 0, 1));
  CHECK_THROWS_WITH(SearchSpace(floats), Contains("3668 encoded columns") && Contains("3667"));
  std::vector<std::string> choices;
  for (int j = 0; j < 5000; ++j) choices.push_back("c" + std::to_string(j));
  CHECK_THROWS_WITH(SearchSpace({Parameter::Categorical("many", choices)}), Contains("3667"));
  CHECK_THROWS_AS(sobol_points(1, limit + 1, 0), InvalidArgument);
}

TEST_CASE("an unknown parameter in a point is invalid input naming it", "[search_space][hostile]") {
  const SearchSpace s = mixed();
  Params p = good();
  p["pressure"] = 2.0;
  CHECK_THROWS_AS(s.validate(p), InvalidArgument);
  CHECK_THROWS_WITH(s.validate(p), Contains("'pressure'"));
  CHECK_THROWS_WITH(params_from_json(nlohmann::json::parse("{\"x\\u00ff\": 1}"), s), Contains("x\xc3\xbf"));
}

TEST_CASE("messages print parameter values so that they read back exactly", "[search_space]") {
  CHECK(to_string(ParamValue(0.1)) == "0.1");
  CHECK(to_string(ParamValue(1.0000001)) == "1.0000001");
  const SearchSpace s({Parameter::Float("x", 0, 1)});
  CHECK_THROWS_WITH(s.validate({{"x", 1.0000001}}), Contains("x' = 1.0000001 is out of bounds [0, 1]"));
}
