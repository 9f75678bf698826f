// A Bayesian MLP surrogate sampled by Hamiltonian Monte Carlo (the BNN-surrogates study's best
// inference for full BNNs): a MAP pre-fit by Adam (which also learns the noise variance), then one
// HMC chain over the weights with that noise fixed, the step size tuned by dual averaging during
// burn-in; predictions average the kept samples. Double precision, one thread.
#pragma once

#include "surrogates/bnn_options.h"
#include "surrogates/bnn_surrogate.h"
#include "surrogates/hmc_sampler.h"

namespace boex {

class BnnHmc final : public BnnSurrogate {
 public:
  using Options = BnnHmcOptions;

  BnnHmc();
  explicit BnnHmc(Options options);
  std::string name() const override { return "bnn-hmc"; }
  std::unique_ptr<Surrogate> clone() const override { return std::make_unique<BnnHmc>(*this); }
  FitSummary fit(const Dataset& data) override;
  std::unique_ptr<Surrogate> condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const override;

  // Of the last fit: mean acceptance probability after burn-in and the tuned step size.
  double acceptance() const { return acceptance_; }
  double step_size() const { return step_size_; }

 private:
  // MAP by `steps` of Adam from `start` (a flat weight vector; empty: a fresh initialisation),
  // then one HMC chain with `chain` from the MAP; stores the draws.
  FitSummary sample_posterior(const Dataset& data, const Eigen::VectorXd& start, int steps, HmcOptions chain);

  Options options_;
  Eigen::VectorXd map_;  // the last fit's MAP weights (standardised units), where refits start
  double acceptance_ = 0.0, step_size_ = 0.0;
};

}  // namespace boex
