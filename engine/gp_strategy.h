// Gaussian-process Bayesian optimisation: after a scrambled-Sobol initial design, fit an exact GP to
// the complete trials and maximise an analytic acquisition. Pending trials (and earlier points of
// the same batch) are conditioned on with the posterior mean as their value (kriging believer), so
// the acquisition is low at them and a second ask never repeats a pending point.
#pragma once

#include "acquisitions/acquisition_optimizer.h"
#include "engine/strategy.h"
#include "surrogates/exact_gp.h"

namespace boex {

class GpStrategy final : public Strategy {
 public:
  struct Options {
    std::string acquisition = "logei";  // a name of the acquisition registry
    double ucb_beta = 4.0;              // for "ucb"
    ExactGP::Options gp;
    AcquisitionOptimizer::Options optimizer;
  };

  GpStrategy(std::string name, Options options);
  std::string name() const override { return name_; }
  std::vector<Eigen::VectorXd> suggest(const SuggestRequest& request) const override;

 private:
  std::string name_;
  Options options_;
};

}  // namespace boex
