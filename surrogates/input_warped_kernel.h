// Input warping: a kernel of Kumaraswamy-warped inputs, k(w(x), w(x')) with
// w_j(x) = 1 - (1 - x_j^a_j)^b_j per dimension, for objectives that change much faster near one
// end of a range than the user's parameterisation suggests (a log scale not declared; Snoek et al.
// 2014, BoTorch's Warp input transform with its LogNormal(0, 0.75^0.5) concentration priors).
//
// The 2d concentrations are hyperparameters of the kernel, fitted with the base kernel's by the
// GP's MAP fit: theta = [the base kernel's theta, ln a_1..d, ln b_1..d]. a = b = 1 is the identity
// warp and the first start of a fit. Inputs are first mapped affinely into [eps, 1 - eps] (as
// BoTorch does) so the warp's slope stays finite at the cube's faces.
#pragma once

#include <memory>

#include "surrogates/kernel.h"
#include "surrogates/priors.h"

namespace boex {

class InputWarpedKernel final : public Kernel {
 public:
  // The concentrations' bounds; beyond them the warp is steeper than the data can support.
  static constexpr double kMinConcentration = 0.1;
  static constexpr double kMaxConcentration = 10.0;

  explicit InputWarpedKernel(std::unique_ptr<Kernel> base);
  InputWarpedKernel(const InputWarpedKernel& other);
  std::string name() const override { return "warped-" + base_->name(); }
  std::unique_ptr<Kernel> clone() const override { return std::make_unique<InputWarpedKernel>(*this); }

  void resize(int dimension) override;
  void set_hyperparameters(const Eigen::VectorXd& theta) override;
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

  // The warp of one coordinate at concentrations (a, b), with dw/dx, dw/d ln a and dw/d ln b
  // (each optional), the affine map into [eps, 1 - eps] included.
  static double warp(double x, double a, double b, double* dx, double* dlog_a, double* dlog_b);
  // Every row of X warped at the concentrations in theta's tail.
  Eigen::MatrixXd warped(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta) const;

 private:
  int base_size() const { return base_->num_hyperparameters(); }

  std::unique_ptr<Kernel> base_;  // kept at theta_'s head
  LogNormalPrior prior_{0.0, 0.86602540378443864676};  // sqrt(0.75)
};

}  // namespace boex
