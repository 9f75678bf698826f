#include "surrogates/stationary_kernel.h"

#include <algorithm>
#include <cmath>

namespace boex {
namespace {

// sum_ij G_ij dK_ij/d ln l_k for K_ij = kappa(r2_ij): dK_ij/d ln l_k = kappa'_ij (-2) d_ijk^2 / l_k^2,
// and for a symmetric A = G o kappa', sum_ij A_ij (x_ik - x_jk)^2 = 2 (x o x) . A1 - 2 x^T A x:
// O(n^2 d) with GEMMs.
class StationaryGramGradient final : public GramGradient {
 public:
  StationaryGramGradient(const Eigen::MatrixXd& X, Eigen::MatrixXd derivative, Eigen::VectorXd lengthscales)
      : X_(X), D_(std::move(derivative)), l_(std::move(lengthscales)) {}

  Eigen::VectorXd contract(const Eigen::MatrixXd& G) const override {
    const Eigen::MatrixXd A = G.cwiseProduct(D_);
    const Eigen::VectorXd row_sums = A.rowwise().sum();
    const Eigen::MatrixXd AX = A * X_;
    Eigen::VectorXd out(X_.cols());
    for (Eigen::Index k = 0; k < X_.cols(); ++k) {
      const double s = X_.col(k).cwiseAbs2().dot(row_sums) - X_.col(k).dot(AX.col(k));
      out(k) = -4.0 * s / (l_(k) * l_(k));
    }
    return out;
  }

 private:
  const Eigen::MatrixXd& X_;
  Eigen::MatrixXd D_;
  Eigen::VectorXd l_;
};

}  // namespace

void StationaryKernel::resize(int dimension) {
  prior_ = LengthscalePrior(dimension, options_);
  theta_.resize(dimension);
  theta_ = prior_mode();
}

void StationaryKernel::bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const { prior_.bounds(lower, upper); }

Eigen::VectorXd StationaryKernel::prior_mode() const { return prior_.mode(); }

Eigen::VectorXd StationaryKernel::prior_draw(Rng& rng) const { return prior_.draw(rng); }

double StationaryKernel::log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const {
  return prior_.log_density(theta, gradient);
}

Eigen::MatrixXd StationaryKernel::cross(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const Eigen::VectorXd& l,
                                        Eigen::MatrixXd* derivative) const {
  // Scaled points as columns (d x n), so each pair's difference reads contiguous memory.
  const Eigen::MatrixXd At = l.cwiseInverse().asDiagonal() * A.transpose();
  const Eigen::MatrixXd Bt = l.cwiseInverse().asDiagonal() * B.transpose();
  Eigen::MatrixXd K(A.rows(), B.rows());
  if (derivative) derivative->resize(A.rows(), B.rows());
  for (Eigen::Index j = 0; j < B.rows(); ++j) {
    for (Eigen::Index i = 0; i < A.rows(); ++i) {
      // Differences first, not |a|^2 + |b|^2 - 2ab, which cancels for close points.
      const double r2 = (At.col(i) - Bt.col(j)).squaredNorm();
      if (derivative)
        profile(r2, &K(i, j), &(*derivative)(i, j));
      else
        K(i, j) = profile(r2);
    }
  }
  return K;
}

Eigen::MatrixXd StationaryKernel::gram(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta,
                                       std::unique_ptr<GramGradient>* gradient) const {
  const Eigen::VectorXd l = theta.array().exp();
  if (!gradient) return cross(X, X, l, nullptr);
  Eigen::MatrixXd D;
  Eigen::MatrixXd K = cross(X, X, l, &D);
  *gradient = std::make_unique<StationaryGramGradient>(X, std::move(D), l);
  return K;
}

Eigen::MatrixXd StationaryKernel::matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const {
  return cross(A, B, lengthscales(), nullptr);
}

void StationaryKernel::column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
                              Eigen::MatrixXd* dk) const {
  const Eigen::Index m = A.rows(), d = A.cols();
  const Eigen::VectorXd inv2 = lengthscales().array().square().inverse();
  k->resize(m);
  if (dk) dk->resize(m, d);
  for (Eigen::Index i = 0; i < m; ++i) {
    const Eigen::VectorXd diff = x - A.row(i).transpose();
    const double r2 = diff.cwiseAbs2().dot(inv2);
    double dprofile = 0.0;
    profile(r2, &(*k)(i), &dprofile);
    if (dk) dk->row(i) = (2.0 * dprofile) * diff.cwiseProduct(inv2).transpose();
  }
}

double StationaryKernel::diagonal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  if (gradient) gradient->setZero(x.size());
  return 1.0;
}

Eigen::VectorXd StationaryKernel::diagonal(const Eigen::MatrixXd& X) const { return Eigen::VectorXd::Ones(X.rows()); }

}  // namespace boex
