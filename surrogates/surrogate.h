// What an acquisition function needs from a model: the posterior of the latent objective at points
// of the unit cube, marginal (with input gradients) or joint. Acquisitions see only this interface.
#pragma once

#include <Eigen/Dense>
#include <memory>

#include "surrogates/posterior.h"

namespace boex {

// Posterior covariance between m fixed points A and one moving point x, with its gradient in x:
// what look-ahead acquisitions (noisy EI, knowledge gradient, qLogNEI) need at every x.
class CrossCovariance {
 public:
  virtual ~CrossCovariance() = default;
  // cov: m values Sigma(A_i, x); dcov (optional): m x d, d Sigma(A_i, x) / dx.
  virtual void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* cov, Eigen::MatrixXd* dcov) const = 0;
};

class Surrogate {
 public:
  virtual ~Surrogate() = default;
  virtual int dimension() const = 0;

  // X: m x d rows in [0,1]^d -> marginal means and variances (m each), in the data's units.
  virtual void predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const = 0;
  // One point, with gradients of mean and variance with respect to x (d each).
  virtual void predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance,
                                     Eigen::VectorXd* dmean, Eigen::VectorXd* dvariance) const = 0;
  // The joint posterior at the rows of X (m x m covariance).
  virtual Posterior posterior(const Eigen::MatrixXd& X) const = 0;
  // Variance of an observation's noise at the data's scale (0 for noiseless models).
  virtual double noise_variance() const = 0;
  // Precomputes what Sigma(A, x) needs for fixed A (m x d); the model must outlive the result.
  virtual std::unique_ptr<CrossCovariance> cross_covariance(const Eigen::MatrixXd& A) const = 0;
};

}  // namespace boex
