#include "acquisitions/acquisition.h"

namespace boex {

Eigen::VectorXd Acquisition::values(const Eigen::MatrixXd& X) const {
  Eigen::VectorXd out(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) out(i) = value(X.row(i).transpose(), nullptr);
  return out;
}

Eigen::VectorXd Acquisition::values_with_gradients(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients) const {
  Eigen::VectorXd out(X.rows());
  gradients->resize(X.rows(), X.cols());
  Eigen::VectorXd g;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    out(i) = value(X.row(i).transpose(), &g);
    gradients->row(i) = g.transpose();
  }
  return out;
}

}  // namespace boex
