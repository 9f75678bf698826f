#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/linear_constraints.h"
#include "core/polytope_sampler.h"
#include "core/rng.h"
#include "core/search_space.h"

using namespace boex;
using Catch::Matchers::Contains;

namespace {

// Euclidean projection onto the probability simplex by sorting (Duchi et al. 2008): the
// independent truth for Polytope::project.
Eigen::VectorXd simplex_projection(const Eigen::VectorXd& v) {
  std::vector<double> s(v.data(), v.data() + v.size());
  std::sort(s.rbegin(), s.rend());
  double cumulative = 0.0, theta = 0.0;
  for (std::size_t j = 0; j < s.size(); ++j) {
    cumulative += s[j];
    const double t = (cumulative - 1.0) / static_cast<double>(j + 1);
    if (s[j] - t > 0) theta = t;
  }
  return (v.array() - theta).cwiseMax(0.0);
}

Polytope simplex(int m) {
  return Polytope(Eigen::MatrixXd(0, m), Eigen::VectorXd(0), Eigen::MatrixXd::Ones(1, m), Eigen::VectorXd::Ones(1));
}

const char* kMixture = R"({"parameters": [
  {"name": "a", "type": "float", "low": 0, "high": 1}, {"name": "b", "type": "float", "low": 0, "high": 1},
  {"name": "c", "type": "float", "low": 0, "high": 1}, {"name": "d", "type": "float", "low": 0, "high": 1},
  {"name": "t", "type": "float", "low": 20, "high": 80}, {"name": "n", "type": "int", "low": 1, "high": 5},
  {"name": "lr", "type": "float", "low": 0.001, "high": 1, "log": true}],
 "constraints": [{"type": "sum", "parameters": ["a", "b", "c", "d"], "equals": 1.0},
                 {"type": "linear", "coefficients": {"a": 1}, "max": 0.3},
                 {"type": "linear", "coefficients": {"b": 1, "c": -2}, "min": -0.5}]})";

std::string with_constraints(const std::string& constraints) {
  return R"({"parameters": [{"name": "a", "type": "float", "low": 0, "high": 1},
    {"name": "b", "type": "float", "low": 0, "high": 1}, {"name": "k", "type": "int", "low": 0, "high": 3},
    {"name": "lr", "type": "float", "low": 0.01, "high": 1, "log": true}], "constraints": )" + constraints + "}";
}

}  // namespace

TEST_CASE("projection onto the simplex matches the sorting algorithm's closed form", "[constraints]") {
  const Polytope p = simplex(4);
  Rng rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    Eigen::VectorXd v(4);
    for (int j = 0; j < 4; ++j) v(j) = rng.uniform(-0.5, 1.5);
    const Eigen::VectorXd projected = p.project(v);
    const Eigen::VectorXd truth = simplex_projection(v);
    CHECK((projected - truth).cwiseAbs().maxCoeff() < 1e-6);
    CHECK(p.contains(projected));
  }
}

TEST_CASE("the Chebyshev centre of a box and a triangle are the inscribed balls' centres", "[constraints]") {
  const Polytope box(Eigen::MatrixXd(0, 2), Eigen::VectorXd(0), Eigen::MatrixXd(0, 2), Eigen::VectorXd(0));
  CHECK(box.center().isApprox(Eigen::Vector2d(0.5, 0.5), 1e-6));
  CHECK(box.radius() == Approx(0.5).margin(1e-6));
  // x + y <= 1 in the unit square: the incircle of the right triangle (0,0),(1,0),(0,1) has
  // radius (a + b - c) / 2 = (2 - sqrt 2) / 2 and centre (r, r).
  const Polytope triangle(Eigen::MatrixXd::Ones(1, 2), Eigen::VectorXd::Ones(1), Eigen::MatrixXd(0, 2), Eigen::VectorXd(0));
  const double r = (2.0 - std::sqrt(2.0)) / 2.0;
  CHECK(triangle.radius() == Approx(r).margin(1e-6));
  CHECK(triangle.center().isApprox(Eigen::Vector2d(r, r), 1e-5));
}

TEST_CASE("an infeasible polytope is reported empty, a feasible flat one is not", "[constraints]") {
  Eigen::MatrixXd G(2, 2);
  G << 1, 1, -1, -1;
  CHECK(Polytope(G, Eigen::Vector2d(0.5, -1.0), Eigen::MatrixXd(0, 2), Eigen::VectorXd(0)).empty());  // x+y<=.5, x+y>=1
  CHECK_FALSE(Polytope(G, Eigen::Vector2d(1.0, -1.0), Eigen::MatrixXd(0, 2), Eigen::VectorXd(0)).empty());  // x+y = 1
  CHECK(Polytope(Eigen::MatrixXd(0, 2), Eigen::VectorXd(0), Eigen::MatrixXd::Ones(1, 2), Eigen::VectorXd::Constant(1, 2.5)).empty());
  Eigen::MatrixXd E(2, 2);
  E << 1, 0, 1, 0;
  CHECK(Polytope(Eigen::MatrixXd(0, 2), Eigen::VectorXd(0), E, Eigen::Vector2d(0.2, 0.3)).empty());  // inconsistent
}

TEST_CASE("hit-and-run samples stay inside and are uniform on the simplex", "[constraints]") {
  const Polytope p = simplex(3);
  const Eigen::MatrixXd x = p.sample(4000, 11);
  for (Eigen::Index i = 0; i < x.rows(); ++i) REQUIRE(p.contains(x.row(i).transpose()));
  // Uniform on the 2-simplex: each coordinate is Beta(1, 2), mean 1/3, P(x_0 > 1/2) = 1/4.
  const Eigen::VectorXd mean = x.colwise().mean();
  CHECK(mean.isApprox(Eigen::Vector3d::Constant(1.0 / 3.0), 0.05));
  const double above = (x.col(0).array() > 0.5).cast<double>().mean();
  CHECK(above == Approx(0.25).margin(0.03));
  CHECK(p.sample(10, 11) == p.sample(10, 11));
  CHECK_FALSE(p.sample(10, 11) == p.sample(10, 12));
}

TEST_CASE("repair pulls an almost-feasible point exactly into the polytope", "[constraints]") {
  const Polytope p = simplex(3);
  const Eigen::Vector3d near(0.5 + 1e-8, 0.5, 1e-9);
  const Eigen::VectorXd fixed = p.repair(near);
  CHECK(p.contains(fixed, 1e-14));
  CHECK((fixed - near).norm() < 1e-6);
}

TEST_CASE("a constrained space JSON round-trips and its Sobol design satisfies every constraint", "[constraints]") {
  const SearchSpace s = space_from_json_text(kMixture);
  CHECK(s.constrained());
  CHECK(space_from_json(space_to_json(s)) == s);
  CHECK_FALSE(space_from_json(space_to_json(s)) == space_from_json_text(with_constraints("[]")));
  const Eigen::MatrixXd x = s.sobol(200, 5, 7);
  CHECK(x == s.sobol(200, 5, 7));
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const Params p = s.decode(x.row(i).transpose());
    REQUIRE_NOTHROW(s.validate(p));
    const double a = std::get<double>(p.at("a")), b = std::get<double>(p.at("b")), c = std::get<double>(p.at("c")),
                 d = std::get<double>(p.at("d"));
    CHECK(a + b + c + d == Approx(1.0).margin(1e-9));
    CHECK(a <= 0.3 + 1e-9);
    CHECK(b - 2 * c >= -0.5 - 1e-9);
  }
  // Unconstrained columns keep spreading over their whole range.
  CHECK(x.col(4).minCoeff() < 0.05);
  CHECK(x.col(4).maxCoeff() > 0.95);
}

TEST_CASE("validate refuses points that break a linear or cardinality constraint", "[constraints]") {
  const SearchSpace s = space_from_json_text(kMixture);
  Params p = {{"a", 0.25}, {"b", 0.25}, {"c", 0.25}, {"d", 0.25}, {"t", 30.0}, {"n", std::int64_t{2}}, {"lr", 0.1}};
  CHECK_NOTHROW(s.validate(p));
  p["d"] = 0.26;
  CHECK_THROWS_WITH(s.validate(p), Contains("violates input constraint 0"));
  p["d"] = 0.25 + 1e-8;  // within the documented tolerance
  CHECK_NOTHROW(s.validate(p));
  const SearchSpace k = space_from_json_text(
      with_constraints(R"([{"type": "cardinality", "parameters": ["a", "b"], "max_nonzero": 1}])"));
  CHECK_THROWS_WITH(k.validate({{"a", 0.2}, {"b", 0.1}, {"k", std::int64_t{0}}, {"lr", 0.1}}), Contains("cardinality"));
  CHECK_NOTHROW(k.validate({{"a", 0.2}, {"b", 0.0}, {"k", std::int64_t{0}}, {"lr", 0.1}}));
}

TEST_CASE("bad constraint sets are refused with a message naming the problem", "[constraints]") {
  const auto refused = [](const std::string& constraints, const std::string& message) {
    CHECK_THROWS_WITH(space_from_json_text(with_constraints(constraints)), Contains(message));
  };
  refused(R"([{"type": "sum", "parameters": ["a", "zz"], "max": 1}])", "unknown parameter 'zz'");
  refused(R"([{"type": "sum", "parameters": ["a", "k"], "max": 1}])", "'k' is not a float");
  refused(R"([{"type": "sum", "parameters": ["a", "lr"], "max": 1}])", "log-scaled");
  refused(R"([{"type": "sum", "parameters": [], "max": 1}])", "names no parameter");
  refused(R"([{"type": "sum", "parameters": ["a", "b"]}])", "needs a min, a max or equals");
  refused(R"([{"type": "linear", "coefficients": {"a": 1}, "min": 0.6, "max": 0.5}])", "min > max");
  refused(R"([{"type": "sum", "parameters": ["a", "b"], "equals": 2.5}])", "admit no point");
  refused(R"([{"type": "sum", "parameters": ["a", "b"], "max": 0.4}, {"type": "linear", "coefficients": {"a": 1}, "min": 0.5}])",
          "admit no point");
  refused(R"([{"type": "sum", "parameters": ["a", "b"], "min": 1.5}, {"type": "cardinality", "parameters": ["a", "b"], "max_nonzero": 1}])",
          "no choice of non-zero parameters");
  refused(R"([{"type": "cardinality", "parameters": ["a", "b"], "max_nonzero": 0}])", "max_nonzero must be >= 1");
  refused(R"([{"type": "batch_shared", "parameters": ["k"]}])", "not a float");
  refused(R"([{"type": "ratio", "parameters": ["a"]}])", "unknown type");
  refused(R"([{"type": "sum", "parameters": ["a"], "max": 1, "extra": 2}])", "unknown field 'extra'");
}

TEST_CASE("cardinality designs keep at most k non-zero and projection picks the largest", "[constraints]") {
  const SearchSpace s = space_from_json_text(R"({"parameters": [
    {"name": "a", "type": "float", "low": 0, "high": 1}, {"name": "b", "type": "float", "low": 0, "high": 1},
    {"name": "c", "type": "float", "low": 0, "high": 1}, {"name": "d", "type": "float", "low": 0, "high": 1}],
    "constraints": [{"type": "sum", "parameters": ["a", "b", "c", "d"], "equals": 1.0},
                    {"type": "cardinality", "parameters": ["a", "b", "c", "d"], "max_nonzero": 2}]})");
  const Eigen::MatrixXd x = s.sobol(100, 1);
  std::set<std::vector<int>> supports;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    REQUIRE(s.satisfies_constraints(x.row(i).transpose()));
    REQUIRE_NOTHROW(s.validate(s.decode(x.row(i).transpose())));
    std::vector<int> support;
    for (int j = 0; j < 4; ++j)
      if (x(i, j) > 0) support.push_back(j);
    supports.insert(support);
  }
  CHECK(supports.size() == 6);  // every pair of the four appears
  const Eigen::VectorXd projected = s.project(Eigen::Vector4d(0.6, 0.1, 0.5, 0.05));
  CHECK(s.satisfies_constraints(projected));
  CHECK(projected.isApprox(Eigen::Vector4d(0.55, 0, 0.45, 0), 1e-6));
}

TEST_CASE("a batch-sharing space fixes the shared parameter and keeps the others free", "[constraints]") {
  const SearchSpace s = space_from_json_text(R"({"parameters": [
    {"name": "a", "type": "float", "low": 0, "high": 1}, {"name": "temp", "type": "float", "low": 20, "high": 80}],
    "constraints": [{"type": "batch_shared", "parameters": ["temp"]}]})");
  CHECK_FALSE(s.constrained());
  const SearchSpace shared = s.sharing_batch_values(Eigen::Vector2d(0.3, 0.7));
  const Eigen::MatrixXd x = shared.sobol(20, 2);
  CHECK((x.col(1).array() - 0.7).abs().maxCoeff() < 1e-12);
  CHECK(x.col(0).maxCoeff() - x.col(0).minCoeff() > 0.5);
  CHECK(shared.project(Eigen::Vector2d(0.1, 0.2))(1) == Approx(0.7));
}
