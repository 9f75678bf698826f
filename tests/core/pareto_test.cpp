#include <catch2/catch.hpp>

#include "core/errors.h"
#include "core/pareto.h"

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
