#include "surrogates/overlap_kernel.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"

namespace boex {
namespace {

// dK_ij/d ln l_g = K_ij sum_{c in g} (x_ic - x_jc)^2 / l_g^2, contracted with G for every group at
// once: with A = G o K, sum_ij A_ij (x_ic - x_jc)^2 = x_c^2 . (A 1 + A^T 1) - 2 x_c^T A x_c, so
// O(n^2 d) through one product A X.
class OverlapGramGradient final : public GramGradient {
 public:
  OverlapGramGradient(const Eigen::MatrixXd& X, Eigen::MatrixXd K, Eigen::VectorXd precision, std::vector<ColumnGroup> sites)
      : X_(X), K_(std::move(K)), precision_(std::move(precision)), sites_(std::move(sites)) {}

  Eigen::VectorXd contract(const Eigen::MatrixXd& G) const override {
    const Eigen::MatrixXd A = G.cwiseProduct(K_);
    const Eigen::VectorXd sums = A.rowwise().sum() + A.colwise().sum().transpose();
    const Eigen::MatrixXd AX = A * X_;
    Eigen::VectorXd out = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(sites_.size()));
    for (std::size_t g = 0; g < sites_.size(); ++g) {
      for (int c = sites_[g].offset; c < sites_[g].offset + sites_[g].width; ++c) {
        const double s = X_.col(c).cwiseAbs2().dot(sums) - 2.0 * X_.col(c).dot(AX.col(c));
        out(static_cast<Eigen::Index>(g)) += s * precision_(c);
      }
    }
    return out;
  }

 private:
  const Eigen::MatrixXd& X_;
  Eigen::MatrixXd K_;
  Eigen::VectorXd precision_;
  std::vector<ColumnGroup> sites_;
};

}  // namespace

void OverlapKernel::resize(int dimension) {
  if (groups_.empty()) {
    sites_.clear();
    for (int c = 0; c < dimension; ++c) sites_.push_back({c, 1});
  } else {
    int next = 0;
    for (const ColumnGroup& g : groups_) {
      if (g.offset != next || g.width < 1) break;
      next += g.width;
    }
    if (next != dimension)
      throw InvalidArgument("overlap kernel: its column groups do not tile the " + std::to_string(dimension) +
                            " input columns in order");
    sites_ = groups_;
  }
  prior_ = LengthscalePrior(static_cast<int>(sites_.size()), options_);
  theta_.resize(static_cast<Eigen::Index>(sites_.size()));
  theta_ = prior_mode();
}

void OverlapKernel::bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const { prior_.bounds(lower, upper); }

Eigen::VectorXd OverlapKernel::prior_mode() const { return prior_.mode(); }

Eigen::VectorXd OverlapKernel::prior_draw(Rng& rng) const { return prior_.draw(rng); }

double OverlapKernel::log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const {
  return prior_.log_density(theta, gradient);
}

Eigen::VectorXd OverlapKernel::column_precisions(const Eigen::VectorXd& theta) const {
  Eigen::VectorXd p(sites_.empty() ? 0 : sites_.back().offset + sites_.back().width);
  for (std::size_t g = 0; g < sites_.size(); ++g)
    p.segment(sites_[g].offset, sites_[g].width).setConstant(std::exp(-2.0 * theta(static_cast<Eigen::Index>(g))));
  return p;
}

Eigen::MatrixXd OverlapKernel::scaled_distances(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B,
                                                const Eigen::VectorXd& precision, bool symmetric) const {
  if (A.cols() != precision.size() || B.cols() != precision.size())
    throw InvalidArgument("overlap kernel: points have " + std::to_string(A.cols()) + " columns, the kernel was sized for " +
                          std::to_string(precision.size()));
  const Eigen::VectorXd scale = precision.cwiseSqrt();
  const Eigen::MatrixXd As = A * scale.asDiagonal();
  const Eigen::MatrixXd Bs = symmetric ? As : Eigen::MatrixXd(B * scale.asDiagonal());
  Eigen::MatrixXd R = -2.0 * As * Bs.transpose();
  R.colwise() += As.rowwise().squaredNorm();
  R.rowwise() += Bs.rowwise().squaredNorm().transpose();
  R = R.cwiseMax(0.0);  // cancellation between nearly equal rows
  if (symmetric) {
    R.triangularView<Eigen::StrictlyLower>() = R.transpose();
    R.diagonal().setZero();
  }
  return R;
}

Eigen::MatrixXd OverlapKernel::gram(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta,
                                    std::unique_ptr<GramGradient>* gradient) const {
  const Eigen::VectorXd precision = column_precisions(theta);
  Eigen::MatrixXd K = (-0.5 * scaled_distances(X, X, precision, true)).array().exp();
  if (gradient) *gradient = std::make_unique<OverlapGramGradient>(X, K, precision, sites_);
  return K;
}

Eigen::MatrixXd OverlapKernel::matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const {
  return (-0.5 * scaled_distances(A, B, column_precisions(theta_), false)).array().exp();
}

void OverlapKernel::column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
                           Eigen::MatrixXd* dk) const {
  const Eigen::VectorXd precision = column_precisions(theta_);
  // Differences, not the expanded form: gradients near x = A_i stay accurate.
  const Eigen::MatrixXd diff = (-A).rowwise() + x.transpose();  // x - A_i
  *k = (-0.5 * (diff.cwiseAbs2() * precision)).array().exp();
  if (dk) *dk = -(k->asDiagonal() * diff) * precision.asDiagonal();
}

double OverlapKernel::diagonal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  if (gradient) gradient->setZero(x.size());
  return 1.0;
}

Eigen::VectorXd OverlapKernel::diagonal(const Eigen::MatrixXd& X) const { return Eigen::VectorXd::Ones(X.rows()); }

}  // namespace boex
