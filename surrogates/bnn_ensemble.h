// A deep ensemble surrogate (Lakshminarayanan et al. 2017; the BNN-surrogates study's "ensemble"):
// M MLPs, each trained to the MAP of its own subsample of the data (Gaussian likelihood with a
// learned noise, Gaussian prior on the weights), by full-batch Adam. The members' spread is the
// uncertainty; each member is a function sample. Runs in libtorch, double precision, one thread.
#pragma once

#include "surrogates/bnn_options.h"
#include "surrogates/bnn_surrogate.h"

namespace boex {

class BnnEnsemble final : public BnnSurrogate {
 public:
  using Options = BnnEnsembleOptions;

  BnnEnsemble();
  explicit BnnEnsemble(Options options);
  std::string name() const override { return "bnn-ensemble"; }
  std::unique_ptr<Surrogate> clone() const override { return std::make_unique<BnnEnsemble>(*this); }
  FitSummary fit(const Dataset& data) override;
  // Continues training the fitted members on the joined data for refit_steps (warm start).
  std::unique_ptr<Surrogate> condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const override;

 private:
  FitSummary train(const Dataset& data, bool warm, int steps);

  Options options_;
  Eigen::VectorXd log_noise_;  // per member, standardised units
};

}  // namespace boex
