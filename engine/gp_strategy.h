// Gaussian-process Bayesian optimisation: after a scrambled-Sobol initial design, fit an exact GP to
// the objective (and one per black-box constraint) and maximise an acquisition from the registry.
// Pending trials (and the batch's earlier points) are conditioned on with the posterior mean as
// their value (kriging believer), or, for acquisitions that handle them (qLogNEI), put into the
// acquisition's baseline; either way a pending point is never suggested again. Target-value
// studies model the measured output and maximise composite EI of -(output - target)^2.
// Constrained studies with no feasible point yet search for one by Thompson sampling of the
// constraint models: maximising the probability of feasibility instead drifts to the cube's corners
// when the constraint data are nearly constant (measured on the tension-compression spring at 30
// evaluations, 20 seeds: 12/20 runs found a feasible point that way, 18/20 with sampling).
#pragma once

#include "acquisitions/acquisition_optimizer.h"
#include "acquisitions/registry.h"
#include "engine/strategy.h"
#include "surrogates/exact_gp.h"

namespace boex {

class GpStrategy final : public Strategy {
 public:
  struct Options {
    std::string acquisition = "logei";  // a name of the acquisition registry
    double ucb_beta = 4.0;              // for "ucb"
    int kg_sobol_points = 256;          // space-filling part of the knowledge gradient's set
    int feasibility_candidates = 256;   // Thompson-sampling candidates while nothing is feasible:
                                        // this many space-filling ones, as many near the best
    double feasibility_step = 0.05;     // sd of those local steps, in the unit cube
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
    Eigen::MatrixXd transformed_constraints;  // the data the constraint models were fitted to (n x m)
    void condition_on_means(const Eigen::MatrixXd& points);  // kriging believer
    std::vector<const Surrogate*> constraint_pointers() const;
  };

  Models fit(const History& history, std::uint64_t seed) const;
  // The objective's (or target output's) model alone: all recommend() needs.
  ExactGP fit_objective(const History& history, std::uint64_t seed) const;
  // The acquisition to maximise once a feasible point is known (or there are no constraints).
  std::unique_ptr<Acquisition> make(const Models& models, const History& history, AcquisitionInputs& inputs,
                                    const SearchSpace& space) const;
  // While no feasible point is known: Thompson sampling of the constraints (Eriksson and
  // Poloczek's SCBO) over space-filling candidates and candidates near the least-violating
  // observation; the candidate with the smallest sampled total violation wins.
  Eigen::VectorXd sample_feasibility(const SearchSpace& space, const Models& models, const History& history,
                                     const Eigen::MatrixXd& avoid, std::uint64_t seed) const;
  Eigen::MatrixXd kg_discretization(const SearchSpace& space, const Models& models, const History& history,
                                    std::uint64_t seed) const;

  std::string name_;
  Options options_;
};

}  // namespace boex
