// A scaling study: boex chooses the training runs that pin down the Step Law. Each (N, D) scale is
// a boex study on (learning rate, batch size) whose experiments are training runs; the study picks
// the scale to train at next by a documented rule, its GP picks the hyperparameters, the Step Law
// is refitted after every run, and the loop stops once the law's optimum at a target scale is known
// to a given precision (or the compute budget is spent).
#pragma once

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/study.h"
#include "fits/bootstrap.h"
#include "fits/step_law.h"
#include "storage/storage.h"

namespace boex {

// One (N, D) scale and the box of hyperparameters its study searches (both log-scaled).
struct ScalingScale {
  double N = 0.0;  // parameters
  double D = 0.0;  // training tokens
  double lr_low = 0.0, lr_high = 0.0;
  double batch_low = 0.0, batch_high = 0.0;  // in the unit StepLawOptions::tokens_per_batch_unit converts
  double cost() const { return 6.0 * N * D; }  // training FLOP of one run
};

struct Hyperparameters {
  double lr = 0.0;
  double batch = 0.0;
};

// Where training runs come from: a training job for real, a replay of measured runs for benchmarks.
class TrainingRuns {
 public:
  virtual ~TrainingRuns() = default;
  // The setting to train for the study's suggestion at a scale: the suggestion itself when any
  // setting can be trained (the default); a replay answers with a measured one; nullopt when
  // nothing is left to run there.
  virtual std::optional<Hyperparameters> setting_for(int scale, const Hyperparameters& suggested) { return suggested; }
  // Whether another run can be made at the scale (a replay runs out of measured settings).
  virtual bool can_run(int scale) const { return true; }
  // Trains a model at the scale with the setting and returns its final loss.
  virtual double train(int scale, const Hyperparameters& setting) = 0;
};

// How the next scale is chosen once every scale has had its initial design.
enum class ScaleRule {
  // Among the scales whose optimum is not located yet (ScalingStudyOptions::settle_after), or all
  // once every one is, the scale whose next run is expected to shrink the variance of the law's
  // prediction at the target the most per FLOP (scaling_design.h: expected_variance_drops / 6 N D).
  kVariancePerFlop,
  // The scale with the fewest runs, the cheaper first: equal effort everywhere (a baseline).
  kRoundRobin,
};

struct ScalingStudyOptions {
  std::vector<ScalingScale> scales;  // at least three, not on one line in (ln N, ln D)
  double target_N = 0.0;             // the scale the law is extrapolated to
  double target_D = 0.0;
  // Stop once the bootstrap intervals of ln eta*(target) and ln B*(target) are both narrower than
  // this: 0.25 is an interval spanning a factor e^0.25 = 1.28.
  double precision = 0.25;
  // Stop before a run would take the compute spent (sum of 6 N D) past this many FLOP.
  double max_compute = std::numeric_limits<double>::infinity();
  int max_runs = 0;  // stop after this many runs in all (0: no limit)
  // Runs of each scale's initial design (scrambled Sobol), made before any scale gets a GP-chosen run.
  int n_init = 4;
  // A scale counts as located once this many of its runs in a row have not lowered its best loss;
  // kVariancePerFlop serves scales not yet located first. On Step Law's grids a GP finds a scale's
  // best run after ~13 runs on average (4 initial), and the set of near-optimal runs after ~25.
  int settle_after = 10;
  ScaleRule rule = ScaleRule::kVariancePerFlop;
  // A run whose loss is not finite or exceeds this multiple of the lowest loss at its scale (at any
  // scale, for a scale's first run) is diverged: its loss says nothing about the valley the law is
  // fitted to, and a few diverged losses (Step Law's reach 2.9x the best, converged runs at the
  // edges of its grids 1.13x) would swamp the GP's model of that valley. It is told
  // at the worst converged loss of its scale, so the GP learns to avoid the region, its measured
  // loss kept in the trial attribute kDivergedLossAttribute (engine/scaling_fit.h; fits skip it).
  double divergence_ratio = 1.2;
  std::string strategy = "gp-logei";  // of every scale's study
  std::uint64_t seed = 0;
  // The law is fitted to one centre per scale (StepLawRows::kScaleCentres): the runs a scaling
  // study chooses pile up where they are cheap, and every near-optimal run weighing the same
  // (Step Law's own fit) would let the cheapest scales dominate the law.
  fits::StepLawOptions law = {0.0025, 1.0, fits::StepLawRows::kScaleCentres};
  fits::BootstrapOptions bootstrap = {200, 0.95, 0};

  void validate() const;  // throws InvalidArgument naming the field
};

struct ScalingStatus {
  int runs = 0;          // training runs made, diverged ones included
  int diverged = 0;
  double compute = 0.0;  // their training FLOP, sum of 6 N D
  std::vector<int> runs_per_scale;
  std::vector<int> near_optimal_per_scale;
  std::vector<int> runs_since_best;  // runs made at each scale since its lowest loss
  // Once the runs determine the law: its fit and bootstrap, and the target's predictions.
  std::optional<fits::StepLawEstimate> law;
  Hyperparameters target_optimum;  // eta* and B* (tokens) at the target
  fits::Interval lr_interval, batch_interval;
  double lr_width = std::numeric_limits<double>::infinity();  // of ln eta*, ln B*
  double batch_width = std::numeric_limits<double>::infinity();
  // Why the loop stopped: "" (not yet), "precise", "compute budget", "run budget", "no runs left".
  std::string stopped;
};

class ScalingStudy {
 public:
  // Creates or resumes one study per scale in the storage, named "<name>/N<N>_D<D>", each with N and
  // D as study attributes and parameters "lr" and "bs" (so `boex fit --law steplaw` reads them).
  static ScalingStudy open(std::shared_ptr<Storage> storage, const std::string& name, const ScalingStudyOptions& options);
  static ScalingStudy open(const std::string& storage_url, const std::string& name, const ScalingStudyOptions& options);

  // Makes one run where it helps most and returns true, or returns false (making none) when a stop
  // condition holds; status().stopped says which.
  bool step(TrainingRuns& runs);
  // Steps until a stop condition holds, then stores the law's report (fits/law_report.h, with the
  // prediction at the target) in every scale's study attributes as "scaling_law.steplaw".
  const ScalingStatus& run(TrainingRuns& runs);
  const ScalingStatus& status() const { return status_; }
  // Which scale the next run goes to (the rule above); -1 when no scale can take one.
  int next_scale(const TrainingRuns& runs) const;

  const ScalingStudyOptions& options() const { return options_; }
  std::vector<const Study*> studies() const;

 private:
  ScalingStudy(ScalingStudyOptions options, std::vector<Study> studies);
  void refresh();  // recomputes status_ from the studies' trials
  // Asks scale s's study for a suggestion, runs it (or the setting the runs map it to), tells.
  void run_at(int s, TrainingRuns& runs);

  ScalingStudyOptions options_;
  std::vector<Study> studies_;
  ScalingStatus status_;
  fits::StepLawData data_;       // every complete run, in study order
  std::vector<int> row_scale_;   // the scale of each row of data_
};

}  // namespace boex
