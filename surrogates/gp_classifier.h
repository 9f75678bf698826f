// A Gaussian-process classifier of success versus failure (a probit likelihood, the Laplace
// approximation of Rasmussen and Williams, Algorithms 3.1 and 3.2): it turns trials told as failed
// into a probability of success anywhere, which the failure model multiplies into the acquisition.
#pragma once

#include <Eigen/Dense>
#include <memory>

#include "surrogates/kernel.h"

namespace boex {

class GpClassifier {
 public:
  struct Options {
    // Isotropic Matern-5/2 lengthscales (unit cube) and signal variances tried; the pair with the
    // largest Laplace evidence is kept (a grid: deterministic, and the evidence is cheap).
    std::vector<double> lengthscales = {0.05, 0.1, 0.2, 0.4, 0.8};
    std::vector<double> variances = {1.0, 4.0};
    int max_newton_steps = 50;
  };

  // X: n x d points in the cube; success(i): whether point i succeeded. The prior mean is the
  // constant Phi^-1((successes + 1) / (n + 2)), so far from every trial the classifier predicts
  // about the study's overall success rate. Throws InvalidArgument for empty or mismatched data.
  GpClassifier(const Eigen::MatrixXd& X, const Eigen::Array<bool, Eigen::Dynamic, 1>& success, Options options);
  GpClassifier(const Eigen::MatrixXd& X, const Eigen::Array<bool, Eigen::Dynamic, 1>& success)
      : GpClassifier(X, success, Options()) {}

  // ln p(success | x) = ln Phi(mean / sqrt(1 + variance)) of the Laplace posterior of the latent
  // f(x), and its gradient in x when non-null.
  double log_success(const Eigen::VectorXd& x, Eigen::VectorXd* gradient = nullptr) const;
  double success(const Eigen::VectorXd& x) const;

  double prior_mean() const { return mean_; }
  double lengthscale() const { return lengthscale_; }
  double variance() const { return variance_; }
  double log_evidence() const { return log_evidence_; }

 private:
  struct Fit;
  static Fit laplace(const Eigen::MatrixXd& K, const Eigen::VectorXd& y, double mean, int max_steps);

  Eigen::MatrixXd X_;
  std::unique_ptr<Kernel> kernel_;
  double mean_ = 0.0, lengthscale_ = 0.0, variance_ = 1.0, log_evidence_ = 0.0;
  Eigen::VectorXd gradient_log_likelihood_;  // d ln p(y | f) / df at the mode
  Eigen::VectorXd sqrt_w_;                   // sqrt of -d2 ln p / df2 at the mode
  Eigen::MatrixXd L_;                        // Cholesky factor of I + sW K sW
};

}  // namespace boex
