#include "acquisitions/acquisition.h"

namespace boex {

Eigen::VectorXd Acquisition::values(const Eigen::MatrixXd& X) const {
  Eigen::VectorXd out(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) out(i) = value(X.row(i).transpose(), nullptr);
  return out;
}

}  // namespace boex
