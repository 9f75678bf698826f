#include <catch2/catch.hpp>

#include "core/sobol.h"

using namespace boex;

TEST_CASE("the first 2^m scrambled Sobol points stratify every dimension exactly", "[sobol]") {
  const int m = 8, n = 1 << m, d = 7;
  const Eigen::MatrixXd P = sobol_points(n, d, 12345);
  for (int j = 0; j < d; ++j) {
    std::vector<int> count(n, 0);
    for (int i = 0; i < n; ++i) {
      REQUIRE(P(i, j) >= 0.0);
      REQUIRE(P(i, j) < 1.0);
      ++count[static_cast<int>(P(i, j) * n)];
    }
    for (int c : count) CHECK(c == 1);
  }
}

TEST_CASE("Sobol pairs of dimensions are stratified on 2-d elementary boxes", "[sobol]") {
  // For dimensions 1 and 2 of Sobol (t = 0), 2^m points put one point in every 2^a x 2^(m-a) box.
  const int m = 6, n = 1 << m;
  const Eigen::MatrixXd P = sobol_points(n, 2, 7);
  for (int a = 0; a <= m; ++a) {
    std::vector<int> count(n, 0);
    for (int i = 0; i < n; ++i)
      ++count[static_cast<int>(P(i, 0) * (1 << a)) * (1 << (m - a)) + static_cast<int>(P(i, 1) * (1 << (m - a)))];
    for (int c : count) CHECK(c == 1);
  }
}

TEST_CASE("a Sobol draw continues an earlier one exactly", "[sobol]") {
  const Eigen::MatrixXd all = sobol_points(40, 3, 99);
  CHECK(sobol_points(15, 3, 99, 25).isApprox(all.bottomRows(15), 0.0));
  CHECK(sobol_points(1, 3, 99, 0).isApprox(all.topRows(1), 0.0));
}

TEST_CASE("the scramble depends on the seed and only on the seed", "[sobol]") {
  CHECK(sobol_points(16, 4, 1) == sobol_points(16, 4, 1));
  CHECK((sobol_points(16, 4, 1) - sobol_points(16, 4, 2)).cwiseAbs().maxCoeff() > 1e-3);
}

TEST_CASE("Sobol normal base samples have zero mean and unit variance", "[sobol]") {
  const Eigen::MatrixXd Z = sobol_normal(4096, 3, 5);
  for (int j = 0; j < 3; ++j) {
    CHECK(std::abs(Z.col(j).mean()) < 5e-3);
    CHECK(std::abs(Z.col(j).squaredNorm() / 4096 - 1.0) < 2e-2);
  }
}
