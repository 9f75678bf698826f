// A stationary ARD kernel, written as a profile kappa of the scaled squared distance
// r2 = sum_j ((x_j - x'_j) / l_j)^2 with kappa(0) = 1. Every gradient the GP needs (lengthscales,
// inputs) follows from kappa and kappa', so a new kernel of this family only writes its profile.
// Lengthscales carry BoTorch's dimension-scaled prior (Hvarfner et al. 2024).
#pragma once

#include "surrogates/kernel.h"
#include "surrogates/lengthscale_prior.h"

namespace boex {

class StationaryKernel : public Kernel {
 public:
  explicit StationaryKernel(const KernelOptions& options) : options_(options) {}

  // kappa(r2) and kappa'(r2) (finite at r2 = 0); both at once since they share the expensive exp.
  virtual void profile(double r2, double* value, double* derivative) const = 0;
  virtual double profile(double r2) const = 0;

  // theta = ln(lengthscales).
  Eigen::VectorXd lengthscales() const { return theta_.array().exp(); }

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
  // K(A, B) at lengthscales l, and kappa'(r2) of every pair when `derivative` is non-null.
  Eigen::MatrixXd cross(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const Eigen::VectorXd& l,
                        Eigen::MatrixXd* derivative) const;

  KernelOptions options_;
  LengthscalePrior prior_;
};

}  // namespace boex
