// The categorical overlap (Hamming) kernel, one weight per site: for sequences and products of
// categorical choices, where "how many sites differ, and which" is the natural similarity.
//
//   k(x, x') = exp(-sum_g ||x_g - x'_g||^2 / (2 l_g^2)),
//
// over the column groups g of the encoding (Dataset::groups: a categorical's one-hot block, a
// sequence site, each float or int column). On one-hot sites ||x_g - x'_g||^2 / 2 is the mismatch
// indicator [x_g != x'_g], so k = exp(-sum_g w_g [x_g != x'_g]) with w_g = 1 / l_g^2: the
// exponentiated weighted Hamming distance (the transformed overlap kernel of CoCaBO/Casmopolitan
// with ARD weights), PSD on the whole cube since it is an RBF kernel with tied lengthscales.
// Between one-hot points that relaxed form gives the input gradients; on embedded sites it is an
// RBF on the embedding with one lengthscale per site; on float columns an RBF factor.
// Lengthscales carry BoTorch's dimension-scaled prior with d = the number of groups.
#pragma once

#include "surrogates/kernel.h"
#include "surrogates/lengthscale_prior.h"

namespace boex {

class OverlapKernel final : public Kernel {
 public:
  explicit OverlapKernel(const KernelOptions& options) : options_(options) {}
  std::string name() const override { return "overlap"; }
  std::unique_ptr<Kernel> clone() const override { return std::make_unique<OverlapKernel>(*this); }

  // theta = ln l_g, one per group; a mismatch at one-hot site g multiplies k by exp(-1 / l_g^2).
  Eigen::VectorXd lengthscales() const { return theta_.array().exp(); }
  // The groups in use after resize (groups(), or one per column when none were set).
  const std::vector<ColumnGroup>& sites() const { return sites_; }

  // InvalidArgument when groups were set that do not tile the `dimension` columns in order.
  void resize(int dimension) override;
  void bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const override;
  Eigen::VectorXd prior_mode() const override;
  Eigen::VectorXd prior_draw(Rng& rng) const override;
  double log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const override;
  Eigen::MatrixXd gram(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta,
                       std::unique_ptr<GramGradient>* gradient) const override;
  Eigen::MatrixXd matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const override;
  void column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
              Eigen::MatrixXd* dk) const override;
  double diagonal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  Eigen::VectorXd diagonal(const Eigen::MatrixXd& X) const override;

 private:
  // 1 / l^2 of every column, from per-group log lengthscales.
  Eigen::VectorXd column_precisions(const Eigen::VectorXd& theta) const;
  // sum_c (a_c - b_c)^2 p_c for every pair of rows (A: m x d, B: k x d), by one product of scaled
  // matrices; `symmetric` when A and B are the same rows (exact symmetry and zero diagonal).
  Eigen::MatrixXd scaled_distances(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const Eigen::VectorXd& precision,
                                   bool symmetric) const;

  KernelOptions options_;
  LengthscalePrior prior_;
  std::vector<ColumnGroup> sites_;
};

}  // namespace boex
