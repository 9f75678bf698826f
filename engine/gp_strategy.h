// Gaussian-process Bayesian optimisation: after a scrambled-Sobol initial design, fit an exact GP to
// the objective (and one per black-box constraint) and maximise an acquisition from the registry.
// Pending trials (and the batch's earlier points) are conditioned on with the posterior mean as
// their value (kriging believer), or, for acquisitions that handle them (qLogNEI), put into the
// acquisition's baseline; either way a pending point is never suggested again. Target-value
// and composite studies model each measured output and maximise composite EI (EI-CF).
// Constrained studies with no feasible point yet search for one with SCBO's trust region
// (feasibility_search.h): maximising the probability of feasibility instead drifts to the cube's
// corners when the constraint data are nearly constant.
#pragma once

#include "acquisitions/acquisition_optimizer.h"
#include "acquisitions/registry.h"
#include "engine/feasibility_search.h"
#include "engine/strategy.h"
#include "surrogates/exact_gp.h"

namespace boex {

class GpStrategy final : public Strategy {
 public:
  struct Options {
    std::string acquisition = "logei";  // a name of the acquisition registry
    double ucb_beta = 4.0;              // for "ucb"
    int kg_sobol_points = 256;          // space-filling part of the knowledge gradient's set
    FeasibilitySearchOptions feasibility;  // while no feasible point is known
    ExactGP::Options gp;
    AcquisitionOptimizer::Options optimizer;
  };

  GpStrategy(std::string name, Options options);
  std::string name() const override { return name_; }
  std::vector<Eigen::VectorXd> suggest(const SuggestRequest& request) const override;
  std::optional<Eigen::Index> recommend(const SuggestRequest& request) const override;
  bool supports_constraints() const override;

 private:
  // The objective's model (or one per measured output of a composite study) and one per constraint.
  struct Models {
    std::vector<ExactGP> objective;
    std::vector<ExactGP> constraints;
    Eigen::MatrixXd transformed_constraints;  // the data the constraint models were fitted to (n x m)
    void condition_on_means(const Eigen::MatrixXd& points);  // kriging believer
    std::vector<const Surrogate*> constraint_pointers() const;
  };

  Models fit(const History& history, std::uint64_t seed) const;
  // The objective's (or the outputs') models alone: all recommend() needs.
  std::vector<ExactGP> fit_objective(const History& history, std::uint64_t seed) const;
  // The acquisition to maximise once a feasible point is known (or there are no constraints).
  std::unique_ptr<Acquisition> make(const Models& models, const History& history, AcquisitionInputs& inputs,
                                    const SearchSpace& space) const;
  Eigen::MatrixXd kg_discretization(const SearchSpace& space, const Models& models, const History& history,
                                    std::uint64_t seed) const;

  std::string name_;
  Options options_;
};

}  // namespace boex
