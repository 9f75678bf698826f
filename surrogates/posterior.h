// The joint Gaussian posterior of a surrogate at a set of points: what Monte-Carlo acquisitions
// sample from. Samples are drawn from caller-fixed base samples, so an SAA objective is deterministic.
#pragma once

#include <Eigen/Dense>

namespace boex {

struct Posterior {
  Eigen::VectorXd mean;        // m
  Eigen::MatrixXd covariance;  // m x m

  Eigen::VectorXd variance() const { return covariance.diagonal(); }
  // base: s x m standard normals -> s x m joint samples mean + L z (L = robust Cholesky factor).
  Eigen::MatrixXd samples(const Eigen::MatrixXd& base) const;
};

}  // namespace boex
