#include <catch2/catch.hpp>

#include "core/linalg.h"

using namespace boex;

TEST_CASE("a positive definite matrix factorises without jitter", "[linalg]") {
  Eigen::MatrixXd A(3, 3);
  A << 4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2;
  const CholeskyResult r = robust_cholesky(A);
  REQUIRE(r.ok);
  CHECK(r.jitter == 0.0);
  CHECK((r.L * r.L.transpose()).isApprox(A, 1e-14));
  CHECK(cholesky_solve(r.L, Eigen::VectorXd::Ones(3)).isApprox(A.ldlt().solve(Eigen::VectorXd::Ones(3)), 1e-12));
  CHECK(log_det_from_cholesky(r.L) == Approx(std::log(A.determinant())));
}

TEST_CASE("a singular kernel matrix (duplicate points) factorises with jitter", "[linalg]") {
  Eigen::MatrixXd A = Eigen::MatrixXd::Ones(4, 4);  // four identical points, no noise
  const CholeskyResult r = robust_cholesky(A);
  REQUIRE(r.ok);
  CHECK(r.jitter > 0.0);
  CHECK(r.jitter < 1e-2);
  CHECK((r.L * r.L.transpose() - A).cwiseAbs().maxCoeff() <= r.jitter * 1.0001);
}

TEST_CASE("a matrix holding NaN is reported, not factorised", "[linalg]") {
  Eigen::MatrixXd A = Eigen::MatrixXd::Identity(2, 2);
  A(0, 1) = A(1, 0) = std::nan("");
  CHECK_FALSE(robust_cholesky(A).ok);
}

TEST_CASE("an indefinite matrix beyond the jitter ladder is reported", "[linalg]") {
  Eigen::MatrixXd A(2, 2);
  A << 1, 0, 0, -1;
  CHECK_FALSE(robust_cholesky(A).ok);
}
