// The kernel of BoTorch's SingleTaskMultiFidelityGP for a continuous fidelity s in [0, 1]
// (LinearTruncatedFidelityKernel; Wu et al. 2019), with one change:
//
//   K((x, s), (x', s')) = k0(x, x') + v c(s, s') k1(x, x'),   c = (1 - s)(1 - s') exp(p s s'),
//
// so at the target (s = 1) only k0 remains, and the bias a cheaper fidelity adds shrinks smoothly
// towards it. BoTorch's c has (1 + s s')^p in place of exp(p s s'): for a p that is not an integer
// its series in s s' has negative terms and the Gram matrix is not positive semi-definite (the
// kernel conformance suite sees eigenvalues of -1e-8 relative); exp(p s s') = sum (p s s')^k / k!
// has none, and agrees with it to first order in s s'. k0 and k1 are design kernels (Matern-5/2
// ARD); p has BoTorch's Gamma(3, 3) prior, bounded by 3 so that c(s, s) falls
// monotonically to the target (see the .cpp). Unlike BoTorch, which scales k0 + c k1 by one output
// scale, the bias has its own variance v (fidelity_difference_prior()), while k0 keeps the unit
// scale of boex's GP on standardised data: how much the fidelities differ is learned apart from
// how much the function varies. theta = [k0's, k1's, ln v, ln p].
#pragma once

#include "surrogates/fidelity_kernel.h"

namespace boex {

class LinearTruncatedFidelityKernel final : public FidelityKernel {
 public:
  explicit LinearTruncatedFidelityKernel(const KernelOptions& options) : FidelityKernel(options, 2) {}
  std::string name() const override { return "linear-truncated-fidelity"; }
  std::unique_ptr<Kernel> clone() const override { return std::make_unique<LinearTruncatedFidelityKernel>(*this); }

  double bias_variance() const { return std::exp(theta_(own_offset())); }
  double power() const { return std::exp(theta_(own_offset() + 1)); }

  Eigen::MatrixXd gram(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta,
                       std::unique_ptr<GramGradient>* gradient) const override;
  Eigen::MatrixXd matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const override;
  void column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
              Eigen::MatrixXd* dk) const override;
  double diagonal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 protected:
  int num_own() const override { return 2; }
  void own_bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const override;
  Eigen::VectorXd own_mode() const override;
  Eigen::VectorXd own_draw(Rng& rng) const override;
  double own_log_prior(const Eigen::VectorXd& own, Eigen::VectorXd* gradient) const override;
};

}  // namespace boex
