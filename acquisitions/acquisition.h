// An acquisition function scores how useful it would be to evaluate a point next. It sees the model
// only through the Surrogate interface. Larger is better; Log variants return the log of the utility.
#pragma once

#include <Eigen/Dense>
#include <string>

namespace boex {

class Acquisition {
 public:
  virtual ~Acquisition() = default;
  virtual std::string name() const = 0;
  // x in [0,1]^d; writes d(value)/dx into gradient when it is non-null.
  virtual double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const = 0;
  // Rows of X (m x d) -> m values. The default loops over value(); analytic ones batch.
  virtual Eigen::VectorXd values(const Eigen::MatrixXd& X) const;
  // Rows of X -> m values and their gradients (m x d rows): what a local search over several
  // starts at once needs. The default loops over value(); a PFN's acquisitions batch.
  virtual Eigen::VectorXd values_with_gradients(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients) const;
};

}  // namespace boex
