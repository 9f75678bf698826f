// Gaussian-process Bayesian optimisation: after a scrambled-Sobol initial design, fit an exact GP to
// the objective (and one per black-box constraint) and maximise an acquisition from the registry.
// Pending trials (and the batch's earlier points) are conditioned on with the posterior mean as
// their value (kriging believer), or, for acquisitions that handle them (qLogNEI), put into the
// acquisition's baseline; either way a pending point is never suggested again. Target-value
// studies model the measured output and maximise composite EI of -(output - target)^2.
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
    int kg_sobol_points = 256;          // space-filling part of the knowledge gradient's set
    ExactGP::Options gp;
    AcquisitionOptimizer::Options optimizer;
  };

  GpStrategy(std::string name, Options options);
  std::string name() const override { return name_; }
  std::vector<Eigen::VectorXd> suggest(const SuggestRequest& request) const override;
  std::optional<Eigen::Index> recommend(const SuggestRequest& request) const override;
  bool supports_constraints() const override;

 private:
  // The objective's model (or the measured output's, for targets) and one per constraint.
  struct Models {
    ExactGP objective;
    std::vector<ExactGP> constraints;
    void condition_on_means(const Eigen::MatrixXd& points);  // kriging believer
    std::vector<const Surrogate*> constraint_pointers() const;
  };

  Models fit(const History& history, std::uint64_t seed) const;
  Eigen::MatrixXd kg_discretization(const SearchSpace& space, const Models& models, const History& history,
                                    std::uint64_t seed) const;

  std::string name_;
  Options options_;
};

}  // namespace boex
