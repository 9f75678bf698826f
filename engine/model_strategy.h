// Model-based Bayesian optimisation with any registered surrogate and acquisition (the strategy
// "<surrogate>-<acquisition>"): after a scrambled-Sobol initial design, fit one model of the
// objective (or one per measured output of a composite study) and one per black-box constraint,
// then maximise the acquisition. Pending trials (and a batch's earlier points) are conditioned on
// at the model's mean (kriging believer), or put into the baseline of acquisitions that handle them
// (qLogNEI); either way a pending point is never suggested again. Composite studies maximise
// composite EI (EI-CF). Constrained studies with no feasible point yet search for one with SCBO's
// trust region (feasibility_search.h). A surrogate that models a fidelity (mf-gp) pairs with the
// cost-aware acquisitions (kg, aei), which choose each trial's fidelity in a multi-fidelity study
// and are refused on a space without one.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "acquisitions/game_optimizer.h"
#include "acquisitions/mixed_optimizer.h"
#include "acquisitions/registry.h"
#include "engine/failure_model.h"
#include "engine/feasibility_search.h"
#include "engine/output_warping.h"
#include "engine/strategy.h"
#include "surrogates/surrogate.h"

namespace boex {

// Settings of the acquisitions a model strategy builds.
struct AcquisitionSettings {
  double ucb_beta = 4.0;      // UCB's exploration weight (mean + sqrt(beta) sd)
  int kg_sobol_points = 256;  // space-filling part of the knowledge gradient's discretisation
  int mc_samples = 256;       // quasi-Monte-Carlo samples of qLogNEI and composite EI
  // Multi-fidelity strategies: a chosen fidelity within this distance of the target (on the
  // encoded fidelity column, [0, 1]) is run at the target. Cost-aware acquisitions otherwise stop
  // just short of it (s = 0.97 costs a little less and the model calls it nearly as good), so the
  // target would never be measured; 0 turns snapping off.
  double fidelity_snap = 0.05;

  void validate() const;
  template <class Visitor>
  void visit(Visitor& v) {
    v("ucb_beta", ucb_beta);
    v("kg_sobol_points", kg_sobol_points);
    v("mc_samples", mc_samples);
    v("fidelity_snap", fidelity_snap);
  }
};

class ModelStrategy final : public Strategy {
 public:
  // The strategy's settings, stored with a study as {"surrogate": {...}, "acquisition": {...},
  // "optimizer": {...}, "feasibility": {...}, "output_warping": {...}} and, for GameOpt strategies,
  // "game": {...}. Settings stored before output warping existed lack its key: as_stored() reads
  // them as "none" (the default then; new studies default to "auto"), so they replay as before.
  struct Settings {
    nlohmann::json surrogate;  // the surrogate's own options (surrogate_registry.h), complete
    AcquisitionSettings acquisition;
    MixedOptimizer::Options optimizer;
    FeasibilitySearchOptions feasibility;
    OutputWarpingOptions output_warping;
    // Failed trials train a classifier that weighs the acquisition (failure_model.h). Settings
    // stored before it existed lack its key and resolve to its default (on).
    FailureModelOptions failure_model;
    // Set: the acquisition is maximised by GameOpt's games (combinatorial spaces), one call per
    // batch; unset: by the mixed optimiser, one point at a time.
    std::optional<GameOptimizer::Options> game;

    nlohmann::json to_json() const;
    // Applies `overrides` (fields by name) to the defaults of `surrogate` (and to `game` when
    // given: a GameOpt strategy); InvalidArgument names a malformed, unknown or invalid field.
    static Settings resolve(const std::string& surrogate, const nlohmann::json& overrides,
                            const std::optional<GameOptimizer::Options>& game = std::nullopt);
    // Stored settings (a JSON object) with the fields whose default has changed since they could
    // have been stored without them filled in as they were then: output_warping "none".
    static nlohmann::json as_stored(nlohmann::json stored);
  };

  // Throws NotFound for an unknown surrogate or acquisition, InvalidArgument for a pair whose
  // needs the surrogate does not meet. `name`: the strategy's registered name when it is not
  // "<surrogate>-<acquisition>" (gp-gameopt).
  ModelStrategy(std::string surrogate, std::string acquisition, Settings settings, std::string name = "");
  std::string name() const override { return name_.empty() ? surrogate_ + "-" + acquisition_ : name_; }
  const Settings& settings() const { return settings_; }
  std::vector<Eigen::VectorXd> suggest(const SuggestRequest& request) const override;
  // prepare() fits the models (the costly part); choose() conditions them on the pending points
  // and maximises the acquisition.
  std::unique_ptr<PreparedSuggestion> prepare(const SuggestRequest& request) const override;
  std::vector<Eigen::VectorXd> choose(const SuggestRequest& request, const PreparedSuggestion* prepared) const override;
  // choose_ahead() keeps each point's runners-up (the search's other local optima and best raw
  // samples); amend() conditions the prepared models on the points added meanwhile and takes the
  // best of those candidates under the new acquisition: no fit, no search (the knowledge
  // gradient still finds its posterior mean's maximiser). Batches from a pool, GameOpt, the
  // feasibility search or with batch-shared parameters are chosen again.
  std::unique_ptr<ChoiceAhead> choose_ahead(const SuggestRequest& request, const PreparedSuggestion* prepared) const override;
  std::vector<Eigen::VectorXd> amend(const SuggestRequest& grown, const PreparedSuggestion* prepared,
                                     const ChoiceAhead& ahead) const override;
  std::optional<Eigen::Index> recommend(const SuggestRequest& request) const override;
  bool supports_constraints() const override;
  bool supports_composite() const override;
  bool models_fidelity() const override;
  std::optional<TargetRecommendation> recommend_at_target(const SuggestRequest& request) const override;

 private:
  // The objective's model (or one per measured output of a composite study) and one per constraint.
  // Shared and never changed: conditioning replaces a model by a new one, so the models a
  // prepare() fitted serve any number of choices.
  struct Models {
    std::vector<std::shared_ptr<const Surrogate>> objective;
    std::vector<std::shared_ptr<const Surrogate>> constraints;
    Eigen::MatrixXd transformed_constraints;  // the data the constraint models were fitted to (n x m)
    std::shared_ptr<const GpClassifier> failure;  // p(success), when trials failed
    void condition_on_means(const Eigen::MatrixXd& points);  // kriging believer
    std::vector<const Surrogate*> constraint_pointers() const;
  };

  struct Prepared;  // what prepare() hands to choose()
  struct Ahead;     // what choose_ahead() hands to amend()
  struct Choosing;  // the state of choosing a batch's points

  static const Prepared& prepared_of(const PreparedSuggestion* prepared);
  Choosing start_choosing(const SuggestRequest& request, const Prepared& prepared) const;
  // The acquisition of the batch's j-th point.
  std::unique_ptr<Acquisition> make_point(Choosing& c, const History& history, const SearchSpace& space, int j) const;
  // Multi-fidelity strategies: a point just short of the target fidelity runs at the target.
  void snap_fidelity(const AcquisitionInputs& inputs, Eigen::VectorXd& x) const;

  // `space`: where a model of the fidelity finds it; its column groups (sites) are for kernels of
  // categorical inputs.
  std::shared_ptr<const Surrogate> fitted(const SearchSpace& space, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                          std::uint64_t seed) const;
  // The objective's (or the outputs') models alone: all recommend() needs. `y_modelled`: the
  // values the objective's model was fitted to (history.y, or its output warping); `warp_used`
  // (optional): that warping (the identity when the values are plain).
  std::vector<std::shared_ptr<const Surrogate>> fit_objective(const SearchSpace& space, const History& history,
                                                              std::uint64_t seed, Eigen::VectorXd* y_modelled,
                                                              OutputWarping* warp_used = nullptr) const;
  Models fit(const SearchSpace& space, const History& history, std::uint64_t seed, Eigen::VectorXd* y_modelled) const;
  // The whole batch from one call of a batch optimiser (GameOpt, or a pool for GameOpt): the
  // acquisition's best request.count points, none measured, failed or pending while others remain.
  std::vector<Eigen::VectorXd> suggest_batch(const AcquisitionOptimizer& optimizer, const Acquisition& acq,
                                             const History& history, int count, std::uint64_t seed) const;
  // The acquisition to maximise once a feasible point is known (or there are no constraints).
  std::unique_ptr<Acquisition> make(const Models& models, const History& history, AcquisitionInputs& inputs,
                                    const SearchSpace& space) const;
  // make() before the failure model's weight.
  std::unique_ptr<Acquisition> make_unweighted(const Models& models, const History& history, AcquisitionInputs& inputs,
                                               const SearchSpace& space) const;
  // The knowledge gradient's set A (at the target fidelity when `fidelity` is active).
  Eigen::MatrixXd kg_discretization(const SearchSpace& space, const Models& models, const History& history,
                                    const FidelityInputs& fidelity, std::uint64_t seed) const;
  // The posterior mean's maximiser (at the target fidelity when `fidelity` is active).
  Eigen::VectorXd mean_maximizer(const SearchSpace& space, const Surrogate& model, const FidelityInputs& fidelity,
                                 std::uint64_t seed) const;
  // Multi-fidelity strategies: InvalidArgument for a space without a fidelity.
  void require_fidelity(const SearchSpace& space) const;

  std::string surrogate_, acquisition_, name_;
  Settings settings_;
};

}  // namespace boex
