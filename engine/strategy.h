// A strategy decides what to try next from a study's history: an initial design, then a model and
// an acquisition. Strategies are chosen by name (registry) and must be pure functions of the
// request, so that a resumed study suggests exactly what an uninterrupted one would.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acquisitions/composite_function.h"
#include "core/search_space.h"
#include "engine/multi_fidelity.h"

namespace boex {

// The trials of a study as the models see them: in the unit cube, maximising.
struct History {
  Eigen::MatrixXd X;          // complete trials, encoded (n x d)
  Eigen::VectorXd y;          // their objective, sign-flipped for minimisation (n)
  Eigen::MatrixXd C;          // their constraint values (n x m; feasible when <= 0)
  Eigen::MatrixXd X_pending;  // running and waiting trials, encoded (p x d)
  Eigen::MatrixXd X_failed;   // failed trials, encoded (f x d): never to be suggested again as is
  Eigen::VectorXd cost;       // the complete trials' told cost (n; NaN where none was told)
  std::int64_t num_trials = 0;  // every trial so far, in any state
  // Composite studies (target-value ones included): the measured outputs (n x k) and g, their
  // utility to maximise (sign-adjusted for the study's direction), with y = g(outputs).
  Eigen::MatrixXd outputs;
  CompositeFunction composite;

  bool is_composite() const { return static_cast<bool>(composite); }

  // Multi-objective studies (engine/multi_objective.h): every objective of the complete trials,
  // sign-flipped to maximise (n x k), and the thresholds in the same units (k; NaN where a
  // threshold is to be inferred). Empty for a single objective (y).
  Eigen::MatrixXd Y;
  Eigen::VectorXd thresholds;
  bool is_multi_objective() const { return Y.cols() > 0; }

  // Row i is complete and satisfies every constraint.
  bool feasible(Eigen::Index i) const { return C.cols() == 0 || C.row(i).maxCoeff() <= 0.0; }
};

struct SuggestRequest {
  const SearchSpace* space = nullptr;
  History history;
  std::uint64_t study_seed = 0;
  int n_init = 5;  // size of the initial design (complete trials before the model takes over)
  int count = 1;   // points wanted (a batch)
  // Multi-fidelity studies: the declared cost of an experiment; nullopt to model the told costs.
  std::optional<AffineCost> cost;
  // A finite candidate pool ("only these variants can be made"): encoded rows every suggestion
  // must come from. Empty: the whole space.
  Eigen::MatrixXd candidates;
};

// A point recommended at the target fidelity of a multi-fidelity study: encoded (its fidelity at
// the target), with the model's mean there in the models' maximising units (the posterior
// median when the strategy warps its outputs).
struct TargetRecommendation {
  Eigen::VectorXd x;
  double mean = 0.0;
};

// What a strategy computed in advance from a study's finished trials (its model fits), kept while
// the points are chosen (Strategy::prepare, Strategy::choose).
class PreparedSuggestion {
 public:
  virtual ~PreparedSuggestion() = default;
};

// What Strategy::choose_ahead() found for a study's snapshot: the points, and whatever amend()
// needs to correct them cheaply for trials another worker added meanwhile.
class ChoiceAhead {
 public:
  virtual ~ChoiceAhead() = default;
  std::vector<Eigen::VectorXd> points;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string name() const = 0;
  // `request.count` encoded points, feasible in the space, distinct from the pending ones.
  virtual std::vector<Eigen::VectorXd> suggest(const SuggestRequest& request) const = 0;

  // suggest() in two steps, so that workers sharing a study do the costly part (model fits) side
  // by side and only choose their points one at a time, each seeing the others' (Study::ask):
  // prepare() may read the request's finished trials (X, y, C, outputs, X_failed) and
  // num_trials; choose() then gets a request with the same finished trials whose X_pending and
  // num_trials may have grown meanwhile, and returns what suggest() would for it, except that
  // the models were fitted at the prepared num_trials. choose(r, prepare(r).get()) equals
  // suggest(r). By default nothing is prepared and choose() is suggest().
  virtual std::unique_ptr<PreparedSuggestion> prepare(const SuggestRequest& request) const { return nullptr; }
  virtual std::vector<Eigen::VectorXd> choose(const SuggestRequest& request, const PreparedSuggestion* prepared) const {
    return suggest(request);
  }
  // choose() split once more, so that a study's turn (which every worker waits for) stays short:
  // choose_ahead() chooses outside the turn on the snapshot prepare() saw (its points are
  // choose()'s); when other workers added trials meanwhile, amend() is called in the turn with the
  // grown request (those trials pending, num_trials grown) and corrects the points without
  // refitting or searching again, as far as the strategy can: ModelStrategy conditions its
  // models on the new points and re-scores the candidates its search kept. By default the points
  // are chosen again (cheap for model-free strategies). A lone study never calls amend(), so it
  // suggests exactly what choose() does.
  virtual std::unique_ptr<ChoiceAhead> choose_ahead(const SuggestRequest& request, const PreparedSuggestion* prepared) const;
  virtual std::vector<Eigen::VectorXd> amend(const SuggestRequest& grown, const PreparedSuggestion* prepared,
                                             const ChoiceAhead& ahead) const {
    return choose(grown, prepared);
  }
  // False for strategies that need only num_trials (random, sobol): the study then skips
  // reading the whole history.
  virtual bool uses_history() const { return true; }
  // The complete trial (row of history.X) to recommend as the answer; nullopt when none is
  // feasible. The default is the best feasible observation; model-based strategies recommend the
  // best posterior mean, which is what counts when observations are noisy.
  virtual std::optional<Eigen::Index> recommend(const SuggestRequest& request) const;
  // False when black-box constraints cannot be combined with the strategy's acquisition.
  virtual bool supports_constraints() const { return true; }
  // False when the strategy cannot model measured outputs for a composite objective.
  virtual bool supports_composite() const { return true; }
  // True for strategies that model a fidelity parameter and choose every trial's fidelity (they
  // need a space with one). The others see only a multi-fidelity study's design parameters and
  // its trials at the target fidelity: every trial they suggest runs at the target.
  virtual bool models_fidelity() const { return false; }
  // Strategies that model a fidelity: the point with the best posterior mean at the target
  // fidelity (among the observed design points and the mean's maximiser), which may never have
  // run there; nullopt without a complete trial or a model.
  virtual std::optional<TargetRecommendation> recommend_at_target(const SuggestRequest& request) const;
  // True when the strategy can weigh several objectives (history.Y); model-free ones can.
  virtual bool supports_multi_objective() const { return !uses_history(); }
};

// max(5, min(2 x number of parameters, 20)): Ax's rule of thumb for the initial design.
int default_n_init(const SearchSpace& space);

// count points from draw(space, n, offset) (n points, the offset-th call); with batch-shared
// parameters the first point is drawn alone and the rest in the space sharing its values.
std::vector<Eigen::VectorXd> shared_batch(const SearchSpace& space, int count,
                                          const std::function<Eigen::MatrixXd(const SearchSpace&, int, int)>& draw);
// Scrambled-Sobol points [start, start + count) of the study's sequence, made feasible (inside the
// input constraints, sharing batch-shared values).
std::vector<Eigen::VectorXd> sobol_design(const SearchSpace& space, std::uint64_t seed, std::int64_t start, int count);
// The space-filling design of a request: request.count Sobol points, or with a candidate pool as
// many pool rows drawn uniformly without replacement, leaving out the history's measured, failed
// and pending rows while others remain.
std::vector<Eigen::VectorXd> initial_design(const SuggestRequest& request);

// The complete settings of strategy `name` as a JSON object's text: its defaults with `overrides`
// (a JSON object's text holding only the fields to change; empty for none) applied. Throws
// NotFound for an unknown name, InvalidArgument naming a malformed, unknown or invalid field.
std::string resolve_strategy_options(const std::string& name, const std::string& overrides);
// `options`: stored settings (empty: from before settings); a missing field means its default then. Throws NotFound.
std::unique_ptr<Strategy> make_strategy(const std::string& name, const std::string& options = "");
std::vector<std::string> strategy_names();
// The names whose acquisition can weigh black-box constraints.
std::vector<std::string> strategies_supporting_constraints();
// The strategies that choose each trial's fidelity (they need a space with a fidelity parameter).
std::vector<std::string> strategies_modelling_fidelity();

}  // namespace boex
