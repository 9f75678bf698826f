#include "surrogates/kernel.h"

#include "core/errors.h"

namespace boex {

void Kernel::set_hyperparameters(const Eigen::VectorXd& theta) {
  if (theta.size() != theta_.size())
    throw InvalidArgument("kernel '" + name() + "' takes " + std::to_string(theta_.size()) + " hyperparameters, got " +
                          std::to_string(theta.size()));
  theta_ = theta;
}

Eigen::VectorXd Kernel::diagonal(const Eigen::MatrixXd& X) const {
  Eigen::VectorXd out(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) out(i) = diagonal(Eigen::VectorXd(X.row(i).transpose()), nullptr);
  return out;
}

}  // namespace boex
