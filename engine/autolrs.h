// AutoLRS (Jin et al., "AutoLRS: Automatic learning-rate schedule by Bayesian optimization on the
// fly", ICLR 2021): tunes the learning rate of one training run stage by stage, with a boex study.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/trainer.h"

namespace boex {

// One stage's progress as AutoLRS reports it (for a progress line).
struct AutoLrsProgress {
  int stage = 0;
  std::string phase;  // "warmup", "explore" (a candidate from the checkpoint), "exploit"
  double lr = 0.0;
  double loss = 0.0;  // the latest training loss (NaN when the step diverged)
  std::int64_t steps_done = 0, steps_budget = 0;
};

struct AutoLrsOptions {
  // The learning rates searched, log-uniformly: 0 < min_lr < max_lr (finite).
  double min_lr = 1e-3;
  double max_lr = 1e-1;
  int candidates = 10;           // k, learning rates tried per stage (>= 1; LR_TO_EXPLORE)
  std::int64_t tau_prime = 100;  // tau', steps each candidate trains from the stage's checkpoint (LR_STEPS)
  std::int64_t tau = 1000;       // tau, steps at the chosen rate (EXPLOITATION_STEP); >= tau_prime
  // Both double after every stage while tau' < tau_max / 10 (tau capped at tau_max); from then on
  // candidates are judged by validation losses (TAU_MAX).
  std::int64_t tau_max = 8000;
  // Every optimiser step the run may take, warm-up and exploration included; the last stages are
  // shortened to fit (exceeded only when a chosen rate diverges and the next best is retrained).
  // Must cover the warm-up and one stage of k tau' + tau' steps.
  std::int64_t total_steps = 0;
  // Linear warm-up before the first stage: lr = warmup_lr (t + 1) / warmup_steps.
  std::int64_t warmup_steps = 0;
  double warmup_lr = 0.0;
  // Validation-loss mode: evaluations per candidate (val_freq = tau' / val_points; the reference's 16).
  int val_points = 16;
  // The loss a curve may settle at, at the lowest (LossForecastOptions::floor): 0 for
  // cross-entropy and squared errors; -inf for losses that can be negative.
  double loss_floor = 0.0;
  // The forecast told to the study for a candidate whose loss went NaN/infinite or could not be
  // fitted (the reference tells 1e6); such a candidate is never chosen.
  double diverged_loss = 1e6;
  // Where the stage studies live ("<name>/stage-<i>", one per stage, objective: the forecast loss,
  // parameter log10_lr); required.
  std::string storage_url;
  std::string name = "autolrs";
  // The trainer's state and the run's position at the start of the current stage, rewritten
  // (atomically) at every stage boundary. A run started again with the same storage, name and
  // checkpoint resumes at that stage (the stage's told candidates are kept); empty: no resume.
  std::string checkpoint_path;
  // The study's strategy and its settings. The reference's BO is a GP with LCB, kappa = 1e6: in
  // effect it tries the rate of largest posterior uncertainty; boex's UCB with beta = kappa^2.
  std::string strategy = "gp-ucb";
  std::string strategy_options = R"({"acquisition": {"ucb_beta": 1e12}})";
  std::uint64_t seed = 0;
  std::function<void(const AutoLrsProgress&)> on_progress;  // called after every step; optional

  void validate() const;  // throws InvalidArgument naming the field
};

struct AutoLrsCandidate {
  double lr = 0.0;
  double forecast = 0.0;  // diverged_loss when it diverged
  bool diverged = false;
};

struct AutoLrsStage {
  int index = 0;
  std::int64_t tau_prime = 0, tau = 0;  // tau as run (the last stage may be shorter)
  bool validation_mode = false;
  std::vector<AutoLrsCandidate> candidates;  // in the order tried
  double lr = 0.0;                           // the rate chosen and trained tau steps
  double forecast = 0.0;                     // its forecast loss after tau steps
  std::int64_t start_step = 0;               // the run's step count when the stage began
};

struct AutoLrsResult {
  std::vector<AutoLrsStage> stages;
  std::int64_t steps_total = 0;   // every optimiser step taken, exploration included
  std::int64_t tail_steps = 0;    // steps after the last stage at its rate (too few left for a stage)
  double final_val_loss = 0.0;    // trainer.evaluate() at the end
  std::optional<int> resumed_at;  // the stage a resumed run started at
  std::int64_t warmup_steps = 0;  // as run (from the options)
  double warmup_lr = 0.0;
  // The learning rate of every step of the final model's path (warm-up, then each stage's tau
  // steps at its rate, then the tail): the schedule AutoLRS found, without the exploration.
  std::vector<double> schedule() const;
};

// Runs AutoLRS on `trainer` to options.total_steps. Each stage: the checkpoint is saved, k
// candidate rates asked from the stage's study are each trained tau' steps from it (their losses
// reported to their trials as the learning curve), the forecaster (loss_forecast.h) extrapolates
// each curve to tau steps and the forecast is told; the best rate then trains tau steps from the
// checkpoint. A candidate that diverges is told diverged_loss; when the chosen rate diverges while
// it trains, the next best is tried from the checkpoint; NumericalError when every candidate of a
// stage diverges.
AutoLrsResult run_autolrs(Trainer& trainer, const AutoLrsOptions& options);

// The schedule found, one line per stage for a person: the steps it covers, tau', the chosen rate,
// its forecast, and a bar whose length is the rate on a log scale over [min_lr, max_lr].
std::string render_autolrs_schedule(const AutoLrsResult& result, double min_lr, double max_lr);

}  // namespace boex
