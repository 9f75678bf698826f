// A covariance function of the exact GP over the unit cube, with its own hyperparameters (in the
// unconstrained coordinates the MAP fit optimises: logs of positive quantities), their bounds and
// prior. The GP adds noise and a constant mean; a new kernel is one class and one registry line.
#pragma once

#include <Eigen/Dense>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/sites.h"

namespace boex {

// Where a multi-fidelity kernel finds the fidelity among its input columns (the search space
// knows: SearchSpace::fidelity_column). The defaults make the last column a continuous fidelity
// whose target is 1.
struct FidelityColumn {
  int column = -1;      // -1: the last column
  double target = 1.0;  // the column's value at the target fidelity: 1 or 0
  int levels = 0;       // >= 2: that many equally spaced discrete levels (an int fidelity); 0: continuous
};

// Settings some kernels read (stationary ones their lengthscale bounds; the I-BNN its depth; the
// fidelity kernels where the fidelity is and which kernel covers the other columns).
struct KernelOptions {
  double min_lengthscale = 0.025;  // BoTorch's lower constraint in the unit cube
  double max_lengthscale = 1e3;
  int depth = 3;                   // hidden layers of the infinite-width BNN kernel
  FidelityColumn fidelity;
  std::string design_kernel = "matern52";  // fidelity kernels: over the columns other than the fidelity
};

// Contracts a matrix G with every derivative of a Gram matrix K(X, X):
// out_k = sum_ij G_ij dK_ij / dtheta_k. This is all the marginal likelihood's gradient needs from
// a kernel, and a kernel can do it in O(n^2 d) without forming n x n x p derivatives.
class GramGradient {
 public:
  virtual ~GramGradient() = default;
  virtual Eigen::VectorXd contract(const Eigen::MatrixXd& G) const = 0;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual std::string name() const = 0;
  virtual std::unique_ptr<Kernel> clone() const = 0;
  // True for kernels over a fidelity column (multi-fidelity GPs).
  virtual bool models_fidelity() const { return false; }

  // Sizes the hyperparameters (and their prior) for inputs of `dimension` columns and resets
  // them to the prior mode. Called when a GP receives data.
  virtual void resize(int dimension) = 0;
  int num_hyperparameters() const { return static_cast<int>(theta_.size()); }
  // Which columns describe one coordinate together (Dataset::groups), set before resize(); the
  // overlap kernel gives each group one weight, the others ignore them.
  void set_groups(std::vector<ColumnGroup> groups) { groups_ = std::move(groups); }
  const std::vector<ColumnGroup>& groups() const { return groups_; }
  const Eigen::VectorXd& hyperparameters() const { return theta_; }
  virtual void set_hyperparameters(const Eigen::VectorXd& theta);  // virtual: wrappers keep inner kernels in step

  virtual void bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const = 0;
  // The first start of a fit, and further random starts (the draws consume `rng` in a fixed order).
  virtual Eigen::VectorXd prior_mode() const = 0;
  virtual Eigen::VectorXd prior_draw(Rng& rng) const = 0;
  // ln p(theta) and its gradient (optional).
  virtual double log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const = 0;

  // K(X, X) at `theta`; with `gradient`, also what contracts G with dK/dtheta (valid while X lives).
  virtual Eigen::MatrixXd gram(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta,
                               std::unique_ptr<GramGradient>* gradient) const = 0;
  // K(A, B) at the current hyperparameters.
  virtual Eigen::MatrixXd matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const = 0;
  // k(A_i, x) for every row of A, and dk(A_i, x)/dx as the rows of dk (m x d) when non-null.
  virtual void column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
                      Eigen::MatrixXd* dk) const = 0;
  // k(x, x) and its gradient in x (when non-null); and k(X_i, X_i) for every row.
  virtual double diagonal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const = 0;
  virtual Eigen::VectorXd diagonal(const Eigen::MatrixXd& X) const;

 protected:
  Eigen::VectorXd theta_;
  std::vector<ColumnGroup> groups_;
};

// A kernel by registered name ("matern32", "matern52", "rbf", "ibnn", "overlap"); throws NotFound listing the names.
std::unique_ptr<Kernel> make_kernel(const std::string& name, const KernelOptions& options = KernelOptions());
std::vector<std::string> kernel_names();

}  // namespace boex
