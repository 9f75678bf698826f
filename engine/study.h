// A study is one optimisation campaign: a search space, a direction, a strategy and the trials so
// far, kept in a Storage. ask() suggests what to run next, tell() records what came out; any
// process can open the same study from its storage URL and continue it.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/search_space.h"
#include "core/trial.h"
#include "engine/multi_objective.h"
#include "engine/strategy.h"
#include "engine/study_objective.h"
#include "storage/storage.h"

namespace boex {

// How a study is created (the stored settings win when it is resumed).
struct StudyOptions {
  Direction direction = Direction::kMinimize;
  // A name of the strategy registry (strategy_names()): "<surrogate>-<acquisition>" such as
  // gp-logei (the default), gp-qlognei or bnn-ensemble-logei, or a model-free one (random, sobol).
  std::string strategy = "gp-logei";
  // The strategy's settings as a JSON object, only the fields to change from their defaults,
  // e.g. {"surrogate": {"kernel": "rbf"}, "optimizer": {"raw_samples": 1024}}. The complete
  // settings are stored with the study, so it suggests the same way after a default changes.
  std::string strategy_options;
  // With the trial history, the seed determines every suggestion.
  std::uint64_t seed = 0;
  // Number of black-box constraint values every complete trial reports (c <= 0 feasible).
  int n_constraints = 0;
  // Initial-design size; 0 picks max(5, min(2 x parameters, 20)).
  int n_init = 0;
  // Target-value study: the told value is a measured output that should hit this target; the
  // study minimises (value - target)^2 with composite EI on a model of the output itself.
  std::optional<double> target;
  // Composite study: every complete trial reports `n_outputs` measured outputs h (tell_outputs),
  // and the objective, optimised in `direction` and stored as the trial's value, is
  // composite(h), a cheap known function. boex models each output and maximises EI of the
  // composite (EI-CF), which learns far more from each experiment than modelling g(h) directly.
  // The function is code, not data: pass it again whenever the study is opened.
  int n_outputs = 0;
  std::function<double(const Eigen::VectorXd& outputs)> composite;
  // Built-in composite for several outputs: hit these targets, minimising sum_k (h_k - t_k)^2.
  // Stored with the study (so `boex` and Study::load can continue it); sets n_outputs.
  std::vector<double> targets;
  // Running trials without a heartbeat for this long are failed before each ask, so a worker
  // that died does not block the study. 0 (default) never fails them: lab trials can take days.
  double stale_after_seconds = 0.0;
  // Multi-fidelity studies (a search space with a fidelity parameter): the cost of an
  // experiment, fixed + weight * fidelity (user units), stored with the study. Without one, boex
  // models the costs told with results (tell's cost) and weighs fidelities by them.
  std::optional<AffineCost> cost;
  // Several objectives (2 or more; empty: the single told value in `direction`): every complete
  // trial reports one value per objective (tell_values), each in its own direction, and the study
  // seeks their Pareto front. Stored in the study's settings under "objectives". With the default
  // strategy (gp-logei, which cannot weigh several objectives) the study uses gp-qlognehvi.
  std::vector<ObjectiveSpec> objectives;

  void validate() const;  // throws InvalidArgument naming the field
  // `strategy`, or gp-qlognehvi where a multi-objective study leaves the default.
  std::string effective_strategy() const;
};

// A study as `boex studies` lists it: its record and number of trials, or the problem that keeps
// its stored row from being read (then only record.id and record.name are set).
struct StudySummary {
  StudyRecord record;
  std::int64_t n_trials = 0;
  std::string problem;
};

class Study {
 public:
  using Options = StudyOptions;

  // The most trials one ask hands out. A model-based batch costs one acquisition optimisation
  // per point on a model conditioned on every earlier point of the batch, so its time grows
  // faster than its size; a bigger design is several asks.
  static constexpr int kMaxAskCount = 1000;
  // InvalidArgument unless 1 <= n <= kMaxAskCount.
  static void check_ask_count(int n);

  // Names must be non-empty UTF-8 (InvalidArgument), here and wherever a study is named.
  // Creates the study, or resumes it when the storage already holds one of that name (its stored
  // space must equal `space`; stored settings win over `options`, except stale_after_seconds).
  static Study open(const std::string& storage_url, const std::string& name, const SearchSpace& space,
                    const Options& options = Options());
  static Study open(std::shared_ptr<Storage> storage, const std::string& name, const SearchSpace& space,
                    const Options& options = Options());
  // Resumes an existing study; throws NotFound when there is none (the URL form creates nothing:
  // a mistyped path is NotFound, not a new empty database).
  static Study load(const std::string& storage_url, const std::string& name);
  static Study load(std::shared_ptr<Storage> storage, const std::string& name);
  // Creates a new study; throws StateError when the storage already holds one of that name.
  static Study create(const std::string& storage_url, const std::string& name, const SearchSpace& space,
                      const Options& options = Options());
  // Every study in a storage, with its number of trials (NotFound, creating nothing, where there
  // is no boex database).
  static std::vector<StudySummary> list(const std::string& storage_url);

  // Hands out waiting (enqueued) trials first, then new suggestions; every trial returned is
  // running (pending) until told. Never repeats a pending point.
  //
  // Workers sharing the study never redo each other's work and wait for each other only
  // briefly: each reads the history, fits the strategy's models and chooses its points side by
  // side with the others (Strategy::prepare, Strategy::choose_ahead); then, in the study's turn
  // (Storage::add_trials_in_turn), it takes every trial added since its read as a pending point,
  // corrects its points for those cheaply (Strategy::amend: no model fit, no acquisition search
  // for the model strategies of one objective) and adds them. Alone, a study suggests exactly
  // what Strategy::suggest does for its history (a resumed study continues exactly). With
  // others, a worker's points are a deterministic function of what it saw: the trials numbered
  // below its read's count as they were when read (a result told later is missed: that trial
  // was pending) and the points of the trials added before its turn.
  Trial ask();
  std::vector<Trial> ask(int n);

  // What the last ask's turn did, for tests and benchmarks: the trials other workers had added
  // since its read, and the model fits and acquisition searches run inside the turn
  // (work_counters.h; none for the model strategies of one objective).
  // Its times say where a slow ask waited: for the turn (wait_seconds, from asking for it until
  // the trials added meanwhile were read) or in it (held_seconds: the correction and the insert).
  struct TurnReport {
    std::int64_t added_meanwhile = 0;
    std::int64_t model_fits = 0;
    std::int64_t acquisition_searches = 0;
    double wait_seconds = 0.0;
    double held_seconds = 0.0;
  };
  const TurnReport& last_turn() const { return last_turn_; }

  // Records a result, with what the experiment cost when known (multi-fidelity studies without a
  // declared cost model learn from it). Throws InvalidArgument for a non-finite value, a wrong
  // number of constraints or a cost that is negative or not finite, NotFound for an unknown
  // trial, StateError for a trial already told; nothing is written then.
  void tell(std::int64_t trial_id, double value, const std::vector<double>& constraints = {},
            std::optional<double> cost = std::nullopt);
  // The result of a composite study: its measured outputs; the value stored is composite(outputs).
  void tell_outputs(std::int64_t trial_id, const std::vector<double>& outputs,
                    const std::vector<double>& constraints = {}, std::optional<double> cost = std::nullopt);
  void tell_failed(std::int64_t trial_id, std::optional<double> cost = std::nullopt);
  // The result of a multi-objective study: one finite value per objective, in each one's own
  // units (InvalidArgument for a wrong count or a non-finite value, the database unchanged).
  void tell_values(std::int64_t trial_id, const std::vector<double>& values, const std::vector<double>& constraints = {});
  // An intermediate value of a running trial: the point of its learning curve at `step` (>= 0),
  // kept in Trial::reports. InvalidArgument for a negative step or a non-finite value, NotFound for
  // an unknown trial, StateError for a trial that is not running or a step already reported;
  // nothing is stored then.
  void report(std::int64_t trial_id, std::int64_t step, double value);

  // Queues a point to be handed out by the next ask (state waiting).
  Trial enqueue(const Params& params);
  // Adds an experiment measured outside boex (prior data), complete at once.
  Trial add_measured(const Params& params, double value, const std::vector<double>& constraints = {},
                     std::optional<double> cost = std::nullopt);
  Trial add_measured_outputs(const Params& params, const std::vector<double>& outputs,
                             const std::vector<double>& constraints = {});
  Trial add_measured_values(const Params& params, const std::vector<double>& values,
                            const std::vector<double>& constraints = {});
  void set_trial_attribute(std::int64_t trial_id, const std::string& key, const std::string& value);
  // A free-form study attribute (record().attributes), stored at once: fitted laws, scale tags.
  void set_attribute(const std::string& key, const std::string& value);
  // Keeps a long-running trial alive (see stale_after_seconds).
  void heartbeat(std::int64_t trial_id);
  // A candidate pool, "only these can be made" (a lab's library): every later suggestion of every
  // strategy is one of these points, never one measured or pending. An empty pool lifts the
  // restriction. InvalidArgument naming the first point outside the space (or repeated), nothing
  // written.
  void set_candidates(const std::vector<Params>& pool);
  std::vector<Params> candidates() const;
  // Fails running trials silent for longer than `seconds` now; returns how many.
  int fail_stale_trials(double seconds);

  // The best feasible complete trial in the study's direction (closest to the target for target
  // studies; at the target fidelity in a multi-fidelity study); nullopt when there is none.
  // StateError for a multi-objective study (see pareto()).
  std::optional<Trial> best() const;
  // A multi-objective study's objectives (empty for a single objective).
  const std::vector<ObjectiveSpec>& objectives() const { return objectives_; }
  bool is_multi_objective() const { return !objectives_.empty(); }
  // Each trial's dominance rank, the feasible non-dominated trials and their hypervolume
  // (StateError for a single-objective study).
  ParetoSummary pareto() const;
  // The trial the strategy's model believes best: for GP strategies the best posterior mean among
  // the feasible evaluated points, the answer to report when observations are noisy. With a
  // strategy that models a fidelity: the point of best posterior mean at the target fidelity
  // (among the observed design points and the mean's maximiser). When no trial ran exactly there,
  // the answer is not a trial of the study: id and number -1, state waiting, no value, and
  // attributes "predicted_value" (the model's mean, in the study's direction) and
  // "recommendation" saying so; enqueue its params to run it. StateError for a multi-objective
  // study.
  std::optional<Trial> recommend() const;
  std::optional<double> target() const { return objective_.target(); }
  // Of a built-in multi-output target study; empty otherwise.
  std::vector<double> targets() const { return objective_.targets(); }
  std::vector<Trial> trials() const;
  Trial trial(std::int64_t trial_id) const;

  const StudyRecord& record() const { return record_; }
  const SearchSpace& space() const { return record_.space; }

 private:
  Study(std::shared_ptr<Storage> storage, StudyRecord record, double stale_after_seconds,
        StudyObjective::UserFunction composite);
  History history_of(const std::vector<Trial>& trials) const;
  // Whether the strategy sees a trial: all of them, except that a strategy that does not model a
  // multi-fidelity study's fidelity sees only the trials at the target.
  bool seen_by_strategy(const Trial& trial) const;
  // A point of the strategy's space as a trial's params (the fidelity at its target when the
  // strategy sees only the design parameters).
  Params params_of(const Eigen::VectorXd& x) const;
  // A trial's params as the strategy sees them (without the fidelity when it sees only the target).
  Params strategy_params(Params params) const;
  // Appends the trials' points to the history's pending ones.
  void add_pending(const std::vector<Trial>& trials, History* history) const;
  SuggestRequest request_for(const std::vector<Trial>& trials, int count) const;
  void check_result(double value, const std::vector<double>& constraints) const;
  // The value of a composite study's outputs, after checking them and the constraints.
  double composite_value(const std::vector<double>& outputs, const std::vector<double>& constraints) const;
  // Throws unless the study is multi-objective and `values` holds one finite value per objective.
  void check_values(const std::vector<double>& values, const std::vector<double>& constraints) const;
  void require_single_objective(const std::string& what) const;
  // A complete trial of prior (measured) data, its result still to fill in.
  static Trial measured(const Params& params, const std::vector<double>& constraints);

  std::shared_ptr<Storage> storage_;
  StudyRecord record_;
  StudyObjective objective_;
  std::vector<ObjectiveSpec> objectives_;
  std::unique_ptr<Strategy> strategy_;
  double stale_after_seconds_ = 0.0;
  // What the strategy optimises: the space, or its design parameters alone (see seen_by_strategy).
  SearchSpace strategy_space_;
  bool target_only_ = false;
  std::optional<AffineCost> cost_;  // declared in the study's settings
  TurnReport last_turn_;
};

}  // namespace boex
