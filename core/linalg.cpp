#include "core/linalg.h"

#include <cmath>

namespace boex {

CholeskyResult robust_cholesky(const Eigen::MatrixXd& A, const CholeskyOptions& options) {
  CholeskyResult result;
  if (!A.allFinite()) return result;
  Eigen::LLT<Eigen::MatrixXd> llt(A);
  if (llt.info() == Eigen::Success) {
    result.L = llt.matrixL();
    result.ok = true;
    return result;
  }
  const double scale = A.rows() > 0 ? std::max(A.diagonal().mean(), 1e-300) : 1.0;
  double jitter = options.initial_relative_jitter * scale;
  for (int i = 0; i < options.max_tries; ++i, jitter *= 10.0) {
    Eigen::MatrixXd Aj = A;
    Aj.diagonal().array() += jitter;
    llt.compute(Aj);
    if (llt.info() == Eigen::Success) {
      result.L = llt.matrixL();
      result.jitter = jitter;
      result.ok = true;
      return result;
    }
  }
  return result;
}

Eigen::MatrixXd solve_lower(const Eigen::MatrixXd& L, const Eigen::MatrixXd& B) {
  return L.triangularView<Eigen::Lower>().solve(B);
}

Eigen::MatrixXd solve_lower_transpose(const Eigen::MatrixXd& L, const Eigen::MatrixXd& B) {
  return L.transpose().triangularView<Eigen::Upper>().solve(B);
}

Eigen::MatrixXd cholesky_solve(const Eigen::MatrixXd& L, const Eigen::MatrixXd& B) {
  return solve_lower_transpose(L, solve_lower(L, B));
}

namespace {

// [A 0; B C]^-1 = [A^-1 0; -C^-1 B A^-1  C^-1], written into the same block positions of out.
void invert_lower_block(const Eigen::Ref<const Eigen::MatrixXd>& L, Eigen::Ref<Eigen::MatrixXd> out) {
  const Eigen::Index n = L.rows();
  if (n <= 64) {
    out = L.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(n, n));
    return;
  }
  const Eigen::Index h = n / 2, m = n - h;
  invert_lower_block(L.topLeftCorner(h, h), out.topLeftCorner(h, h));
  invert_lower_block(L.bottomRightCorner(m, m), out.bottomRightCorner(m, m));
  const Eigen::MatrixXd BA = L.bottomLeftCorner(m, h) * out.topLeftCorner(h, h).triangularView<Eigen::Lower>();
  out.bottomLeftCorner(m, h).noalias() = -(out.bottomRightCorner(m, m).triangularView<Eigen::Lower>() * BA);
  out.topRightCorner(h, m).setZero();
}

}  // namespace

Eigen::MatrixXd lower_triangular_inverse(const Eigen::MatrixXd& L) {
  Eigen::MatrixXd out(L.rows(), L.cols());
  invert_lower_block(L, out);
  return out;
}

double log_det_from_cholesky(const Eigen::MatrixXd& L) {
  return 2.0 * L.diagonal().array().log().sum();
}

}  // namespace boex
