#include <catch2/catch.hpp>

#include "core/errors.h"
#include "engine/problems.h"

using namespace boex;

TEST_CASE("every problem takes its known optimal value at its known optimiser, feasibly", "[problems]") {
  for (const std::string& name : problem_names()) {
    const Problem p = make_problem(name);
    for (const auto& x : p.optimizers) {
      INFO(name);
      const Evaluation e = p.evaluate(x);
      // Published optimisers carry 5-7 digits; the values agree to that precision.
      CHECK(e.value == Approx(p.optimal_value).epsilon(1e-4).margin(1e-5));
      REQUIRE(static_cast<int>(e.constraints.size()) == p.n_constraints);
      for (double c : e.constraints) CHECK(c <= 1e-3 * std::max(1.0, std::abs(c)) + 1e-4);
    }
  }
}

TEST_CASE("the optimum is a lower bound on a dense random sample", "[problems]") {
  for (const std::string name : {"Branin", "Hartmann6", "GramacyLee6", "Ackley5", "Levy5", "StyblinskiTang5", "Michalewicz5"}) {
    const Problem p = make_problem(name);
    for (int i = 0; i < 2000; ++i) {
      std::vector<double> x;
      for (const Parameter& q : p.space.parameters()) x.push_back(q.low + (q.high - q.low) * ((i * 7919 + 13 * x.size()) % 1000) / 999.0);
      CHECK(p.evaluate(x).value >= p.optimal_value - 1e-6);
    }
  }
}

TEST_CASE("the heavy-tailed problems match published values away from their optima", "[problems]") {
  // Goldstein-Price at the origin: (1 + 1 * 19) (30 + 0) = 600; at (1, 1): (1 + 9 * 3) (30 + 1 * 37)
  // = 28 * 67 = 1876 (the published polynomial by hand).
  CHECK(make_problem("GoldsteinPrice").evaluate(std::vector<double>{0.0, 0.0}).value == Approx(600.0));
  CHECK(make_problem("GoldsteinPrice").evaluate(std::vector<double>{1.0, 1.0}).value == Approx(1876.0));
  // Dixon-Price at the origin: (0 - 1)^2 = 1; at x = (1, 1): 0 + 2 (2 - 1)^2 = 2.
  CHECK(make_problem("DixonPrice4").evaluate(std::vector<double>(4, 0.0)).value == Approx(1.0));
  CHECK(make_problem("DixonPrice2").evaluate(std::vector<double>{1.0, 1.0}).value == Approx(2.0));
  for (const std::string name : {"GoldsteinPrice", "DixonPrice4"}) {
    const Problem p = make_problem(name);
    for (int i = 0; i < 2000; ++i) {
      std::vector<double> x;
      for (const Parameter& q : p.space.parameters()) x.push_back(q.low + (q.high - q.low) * ((i * 7919 + 13 * x.size()) % 1000) / 999.0);
      CHECK(p.evaluate(x).value >= p.optimal_value - 1e-9);
    }
  }
}

TEST_CASE("scalable problems take their dimension from the name", "[problems]") {
  CHECK(make_problem("Ackley7").dimension() == 7);
  CHECK(make_problem("StyblinskiTang3").optimal_value == Approx(-39.16616570377142 * 3));
  CHECK_THROWS_AS(make_problem("Sphere3"), NotFound);
  CHECK_THROWS_AS(make_problem("Michalewicz3"), NotFound);  // no known optimum
}
