#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/pareto.h"
#include "core/rng.h"

using namespace boex;

TEST_CASE("pareto front keeps tied points together and drops dominated and infeasible ones", "[pareto]") {
  Eigen::MatrixXd Y(6, 2);
  Y << 1, 3,   // front
      2, 2,    // front
      2, 2,    // tie with row 1: both stay
      1, 1,    // dominated
      3, 0.5,  // front
      5, 5;    // would dominate all, but infeasible
  const std::vector<bool> feasible = {true, true, true, true, true, false};
  CHECK(pareto_front(Y, feasible) == std::vector<Eigen::Index>{0, 1, 2, 4});
  CHECK(pareto_front(Y) == std::vector<Eigen::Index>{5});
  // A point equal in one objective and worse in the other is dominated.
  Eigen::MatrixXd weak(2, 2);
  weak << 1, 2, 1, 1;
  CHECK(pareto_front(weak) == std::vector<Eigen::Index>{0});
  CHECK(dominates(weak.row(0), weak.row(1)));
  CHECK_FALSE(dominates(weak.row(0), weak.row(0)));
}

TEST_CASE("pareto ranks are the non-dominated sorting fronts, -1 for infeasible rows", "[pareto]") {
  Eigen::MatrixXd Y(5, 2);
  Y << 3, 3, 2, 2, 1, 1, 3, 1, 0, 0;
  CHECK(pareto_ranks(Y, {true, true, true, true, false}) == std::vector<int>{0, 1, 2, 1, -1});
  CHECK_THROWS_AS(pareto_ranks(Y, {true}), InvalidArgument);
}

TEST_CASE("pareto front matches the definition on random fronts with many ties, 2 and 3 objectives", "[pareto]") {
  Rng rng(99);
  for (int trial = 0; trial < 200; ++trial) {
    const Eigen::Index n = 1 + static_cast<Eigen::Index>(rng.uniform() * 30), k = trial % 2 == 0 ? 2 : 3;
    // Values on a coarse grid so that ties in one or all objectives are common.
    Eigen::MatrixXd Y(n, k);
    std::vector<bool> feasible(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < k; ++j) Y(i, j) = std::floor(rng.uniform() * 5);
      feasible[static_cast<std::size_t>(i)] = rng.uniform() < 0.8;
    }
    std::vector<Eigen::Index> expected;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!feasible[static_cast<std::size_t>(i)]) continue;
      bool beaten = false;
      for (Eigen::Index j = 0; j < n; ++j)
        beaten = beaten || (feasible[static_cast<std::size_t>(j)] && dominates(Y.row(j), Y.row(i)));
      if (!beaten) expected.push_back(i);
    }
    INFO("trial " << trial << ", Y =\n" << Y);
    CHECK(pareto_front(Y, feasible) == expected);
    const std::vector<int> ranks = pareto_ranks(Y, feasible);
    for (Eigen::Index i : expected) CHECK(ranks[static_cast<std::size_t>(i)] == 0);
  }
}
