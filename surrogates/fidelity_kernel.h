// What the multi-fidelity kernels share: one input column is the fidelity, read as s in [0, 1]
// with s = 1 at the target; the other (design) columns are seen by parts, kernels of the registry
// (Matern-5/2 by default), whose hyperparameters come first, followed by the kernel's own.
#pragma once

#include <memory>
#include <vector>

#include "surrogates/kernel.h"

namespace boex {

class FidelityKernel : public Kernel {
 public:
  // `parts` design kernels of options.design_kernel. InvalidArgument for a target other than 0
  // or 1, or a level count of 1 or below 0.
  FidelityKernel(const KernelOptions& options, int parts);
  FidelityKernel(const FidelityKernel& other);
  FidelityKernel& operator=(const FidelityKernel&) = delete;

  bool models_fidelity() const override { return true; }
  // dimension >= 2: the fidelity column and at least one design column.
  void resize(int dimension) override;
  void set_hyperparameters(const Eigen::VectorXd& theta) override;
  void bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const override;
  Eigen::VectorXd prior_mode() const override;
  Eigen::VectorXd prior_draw(Rng& rng) const override;
  double log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const override;

  const Kernel& part(int k) const { return *parts_[static_cast<std::size_t>(k)]; }
  int num_parts() const { return static_cast<int>(parts_.size()); }
  // The fidelity's input column (after resize).
  int fidelity_input() const { return column_; }

 protected:
  // The kernel's own hyperparameters, after the parts' in theta.
  virtual int num_own() const = 0;
  virtual void own_bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const = 0;
  virtual Eigen::VectorXd own_mode() const = 0;
  virtual Eigen::VectorXd own_draw(Rng& rng) const = 0;
  virtual double own_log_prior(const Eigen::VectorXd& own, Eigen::VectorXd* gradient) const = 0;

  Eigen::Index part_offset(int k) const { return offsets_[static_cast<std::size_t>(k)]; }
  Eigen::Index part_size(int k) const { return part(k).num_hyperparameters(); }
  Eigen::VectorXd part_theta(const Eigen::VectorXd& theta, int k) const { return theta.segment(part_offset(k), part_size(k)); }
  Eigen::Index own_offset() const { return offsets_.back(); }
  Eigen::VectorXd own_theta(const Eigen::VectorXd& theta) const { return theta.tail(num_own()); }

  // Rows without the fidelity column, and the fidelity coordinate s of each row.
  Eigen::MatrixXd design(const Eigen::MatrixXd& X) const;
  Eigen::VectorXd design(const Eigen::VectorXd& x) const;
  Eigen::VectorXd coordinates(const Eigen::MatrixXd& X) const;
  // s = 1 - |u - target| in [0, 1], and ds/du.
  double coordinate(double u) const;
  double dcoordinate(double u) const;
  // Input gradients with the fidelity column put back: rows of J (m x d) from the design
  // Jacobian (m x (d - 1)) and the derivatives in the fidelity column (m).
  Eigen::MatrixXd scatter(const Eigen::MatrixXd& design_jacobian, const Eigen::VectorXd& fidelity_derivative) const;
  Eigen::VectorXd scatter(const Eigen::VectorXd& design_gradient, double fidelity_derivative) const;

  const KernelOptions options_;

 private:
  std::vector<std::unique_ptr<Kernel>> parts_;
  std::vector<Eigen::Index> offsets_;  // of each part in theta, then of the own hyperparameters
  int column_ = 0;
};

}  // namespace boex
