// The autoregressive multi-fidelity model of Kennedy and O'Hagan (2000) as one kernel, for a few
// discrete fidelity levels t = 0 .. L-1, L-1 being the target: f_t = rho_{t-1} f_{t-1} + delta_t
// with independent delta_t ~ GP(0, v_t k_t) over the design columns, so that between levels i, j
//
//   K_ij(x, x') = sum_{k <= min(i, j)} (prod_{l=k}^{i-1} rho_l)(prod_{l=k}^{j-1} rho_l) v_k k_k(x, x')
//
// (emukit's LinearMultiFidelityKernel). v_0 = 1, the unit scale of boex's GP on standardised data;
// the differences' variances v_t have fidelity_difference_prior(), the rho_l a Normal(1, 1) prior
// (a cheaper level usually tracks the next one). A row's level is the nearest of L equally spaced
// values of the fidelity coordinate s (1 at the target), so the input gradient in the fidelity
// column is 0. The exact GP's one noise level serves every fidelity.
// theta = [k_0's, ..., k_{L-1}'s, ln v_1 .. ln v_{L-1}, rho_0 .. rho_{L-2}].
#pragma once

#include <vector>

#include "surrogates/fidelity_kernel.h"

namespace boex {

class Ar1FidelityKernel final : public FidelityKernel {
 public:
  // options.fidelity.levels levels (2 when it is 0).
  explicit Ar1FidelityKernel(const KernelOptions& options);
  std::string name() const override { return "ar1-fidelity"; }
  std::unique_ptr<Kernel> clone() const override { return std::make_unique<Ar1FidelityKernel>(*this); }

  int levels() const { return levels_; }
  // The level (0 .. L-1) of a fidelity column value.
  int level(double u) const;

  Eigen::MatrixXd gram(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta,
                       std::unique_ptr<GramGradient>* gradient) const override;
  Eigen::MatrixXd matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const override;
  void column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
              Eigen::MatrixXd* dk) const override;
  double diagonal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 protected:
  int num_own() const override { return 2 * (levels_ - 1); }
  void own_bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const override;
  Eigen::VectorXd own_mode() const override;
  Eigen::VectorXd own_draw(Rng& rng) const override;
  double own_log_prior(const Eigen::VectorXd& own, Eigen::VectorXd* gradient) const override;

 private:
  // v_k (v_0 = 1) and the products P(i, k) = prod_{l=k}^{i-1} rho_l (0 for k > i) at `own`.
  Eigen::VectorXd variances(const Eigen::VectorXd& own) const;
  Eigen::MatrixXd products(const Eigen::VectorXd& own) const;
  // dP(i, k) / d rho_l.
  Eigen::MatrixXd dproducts(const Eigen::VectorXd& own, int l) const;
  // V(r, k) = P(level of row r, k): each row's weight on every level's difference.
  Eigen::MatrixXd weights(const Eigen::MatrixXd& X, const Eigen::MatrixXd& P) const;

  int levels_;
};

}  // namespace boex
