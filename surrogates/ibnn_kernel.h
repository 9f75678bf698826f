// The infinite-width Bayesian neural network kernel (Cho and Saul 2009; Lee et al. 2018; BoTorch's
// InfiniteWidthBNNKernel): the covariance of a ReLU network's output with `depth` hidden layers as
// their width goes to infinity, weights N(0, sw2 / fan_in) and biases N(0, sb2). Non-stationary, it
// suits high-dimensional problems where distance-based kernels see every point as far away
// (Li, Rudner and Wilson 2023). sw2 and sb2 are learned. Inputs x in the unit cube enter the
// network as u = 2x - 1, so the recursion below reads u for x.
//
//   K_0(x, x') = sb2 + sw2 x.x' / d
//   K_l(x, x') = sb2 + sw2 / (2 pi) sqrt(K_{l-1}(x,x) K_{l-1}(x',x')) (sin t + (pi - t) cos t),
//   t = acos(K_{l-1}(x, x') / sqrt(K_{l-1}(x,x) K_{l-1}(x',x')))   (the arc-cosine recursion),
// whose diagonal is K_l(x, x) = sb2 + sw2 K_{l-1}(x, x) / 2. Depth 0 is the linear kernel.
#pragma once

#include "surrogates/kernel.h"
#include "surrogates/priors.h"

namespace boex {

class InfiniteWidthBnnKernel final : public Kernel {
 public:
  explicit InfiniteWidthBnnKernel(const KernelOptions& options);
  std::string name() const override { return "ibnn"; }
  std::unique_ptr<Kernel> clone() const override { return std::make_unique<InfiniteWidthBnnKernel>(*this); }

  // theta = (ln sw2, ln sb2).
  double weight_variance() const { return std::exp(theta_(0)); }
  double bias_variance() const { return std::exp(theta_(1)); }
  int depth() const { return depth_; }

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
  int depth_ = 3;
  int dimension_ = 1;
  // Weakly informative priors on sw2 and sb2 (BoTorch sets none), with their mode at BoTorch's
  // initial value softplus(0) = ln 2, so a fit on few points stays near a sensible kernel.
  LogNormalPrior prior_;
};

}  // namespace boex
