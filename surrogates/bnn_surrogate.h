// A Bayesian neural network surrogate held as S weight draws of one MLP (an ensemble's members,
// or HMC's kept samples): predictions average the draws, the marginal is their moment-matched
// Gaussian, and each draw is a posterior function sample for Monte-Carlo acquisitions. Input
// gradients come from the nets' backward pass (mlp_stack.h). Subclasses only say how the draws
// are fitted.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "surrogates/surrogate.h"

namespace boex {

class MlpStack;

class BnnSurrogate : public Surrogate {
 public:
  ~BnnSurrogate() override;

  Capabilities capabilities() const override;
  const Dataset& data() const override { return data_; }
  void predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const override;
  void predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance, Eigen::VectorXd* dmean,
                             Eigen::VectorXd* dvariance) const override;
  double noise_variance() const override { return noise_s_ * y_scale_ * y_scale_; }
  double prior_scale() const override { return y_scale_; }
  int num_samples() const override;
  Eigen::MatrixXd sample(const Eigen::MatrixXd& X) const override;
  void sample_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd* values, Eigen::MatrixXd* gradients) const override;

 protected:
  // noise_in_marginal: add the learned noise variance to the draws' variance in predict() (the
  // ensembles of the BNN-surrogates study do; a sampled posterior need not).
  explicit BnnSurrogate(bool noise_in_marginal);
  BnnSurrogate(const BnnSurrogate& other);
  BnnSurrogate& operator=(const BnnSurrogate& other);

  // Checks and stores the data and their standardisation; returns the standardised y.
  Eigen::VectorXd set_data(const Dataset& data, const std::string& model);
  // Draws of the network in standardised units, and the noise variance in those units.
  void set_draws(const MlpStack& draws, double noise_variance_standardised);
  const MlpStack& draws() const { return *draws_; }

 private:
  bool noise_in_marginal_;
  Dataset data_;
  double y_mean_ = 0.0, y_scale_ = 1.0, noise_s_ = 0.0;
  std::unique_ptr<MlpStack> draws_;
};

}  // namespace boex
