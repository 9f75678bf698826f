// Numerically safe linear algebra for kernel matrices: a Cholesky factorisation that adds a growing
// jitter to the diagonal instead of failing on a nearly singular (duplicate points, zero noise) matrix.
#pragma once

#include <Eigen/Dense>

namespace boex {

struct CholeskyResult {
  Eigen::MatrixXd L;     // lower factor of A + jitter I
  double jitter = 0.0;   // what had to be added to the diagonal (0 when A itself was PD)
  bool ok = false;       // false only when even the largest jitter failed (or A holds NaN)
};

struct CholeskyOptions {
  // First jitter, relative to the mean diagonal of A; each retry multiplies it by 10
  // (linear_operator's psd_safe_cholesky uses 1e-8 absolute and three tries).
  double initial_relative_jitter = 1e-8;
  // Number of jittered attempts after the plain one.
  int max_tries = 6;
};

// Factorises a symmetric matrix; never throws. Check `ok` (like Eigen's info()).
CholeskyResult robust_cholesky(const Eigen::MatrixXd& A, const CholeskyOptions& options = {});

// Triangular solves with a lower Cholesky factor: L^-1 B, L^-T B and (L L^T)^-1 B.
Eigen::MatrixXd solve_lower(const Eigen::MatrixXd& L, const Eigen::MatrixXd& B);
Eigen::MatrixXd solve_lower_transpose(const Eigen::MatrixXd& L, const Eigen::MatrixXd& B);
Eigen::MatrixXd cholesky_solve(const Eigen::MatrixXd& L, const Eigen::MatrixXd& B);

// L^-1 of a lower-triangular L, by recursive blocking (n^3/3 flops, a third of a solve against
// the identity); the inverse of the kernel matrix is then L^-T L^-1.
Eigen::MatrixXd lower_triangular_inverse(const Eigen::MatrixXd& L);

// ln det(L L^T) = 2 sum ln L_ii.
double log_det_from_cholesky(const Eigen::MatrixXd& L);

}  // namespace boex
