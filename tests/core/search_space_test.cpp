#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/search_space.h"

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
  CHECK_THROWS_AS(s.validate(with("pressure", 1.0)), NotFound);
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
