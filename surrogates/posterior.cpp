#include "surrogates/posterior.h"

#include "core/errors.h"
#include "core/linalg.h"

namespace boex {

Eigen::MatrixXd Posterior::samples(const Eigen::MatrixXd& base) const {
  if (base.cols() != mean.size())
    throw InvalidArgument("Posterior::samples: base samples need one column per point");
  CholeskyResult chol = robust_cholesky(covariance);
  if (!chol.ok) {
    // A covariance beyond repair by jitter: fall back to independent marginals.
    chol.L = covariance.diagonal().cwiseMax(0.0).cwiseSqrt().asDiagonal();
  }
  Eigen::MatrixXd out = base * chol.L.transpose();
  out.rowwise() += mean.transpose();
  return out;
}

}  // namespace boex
