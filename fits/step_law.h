// The Step Law of optimal hyperparameters (Li et al. 2025, "Predictable Scale"): the learning rate
// eta*(N, D) = lr_coef N^lr_exp_N D^lr_exp_D and batch size B*(D) = bs_coef D^bs_exp_D (tokens) that
// minimise the final loss, fitted by OLS in log space on the near-optimal runs of each (N, D) scale.
#pragma once

#include <vector>

#include "fits/bootstrap.h"

namespace boex::fits {

struct StepLawParams {
  double lr_coef = 0.0, lr_exp_N = 0.0, lr_exp_D = 0.0, bs_coef = 0.0, bs_exp_D = 0.0;

  double learning_rate(double N, double D) const;  // eta*
  double batch_tokens(double D) const;             // B*, in tokens
  // JSON keys and values in this order: lr_coef, lr_exp_N, lr_exp_D, bs_coef, bs_exp_D.
  static std::vector<const char*> names();
  std::vector<double> values() const;
};

// Training runs, one entry per run in every vector.
struct StepLawData {
  std::vector<double> N;      // parameters (Step Law: non-embedding)
  std::vector<double> D;      // training tokens
  std::vector<double> lr;     // learning rate
  std::vector<double> batch;  // batch size, in the unit StepLawOptions::tokens_per_batch_unit converts
  std::vector<double> loss;   // final (smoothed) loss

  int size() const { return static_cast<int>(loss.size()); }
  // Throws InvalidArgument naming the problem: unequal lengths, or a value that is not positive
  // and finite (with its row).
  void validate() const;
  StepLawData subset(const std::vector<int>& rows) const;
};

// What one row of the OLS is.
enum class StepLawRows {
  // Every near-optimal run, as Step Law's fit_tool.py does; the bootstrap resamples runs.
  kNearOptimalRuns,
  // One row per (N, D) scale at the centre (mean ln lr, mean ln B) of its near-optimal runs, so a
  // scale weighs the same however many runs were made there (runs chosen adaptively pile up where
  // they are cheap). The bootstrap resamples scales, then the near-optimal runs of each drawn one.
  kScaleCentres,
};

struct StepLawOptions {
  // A run is near-optimal when its loss is within this fraction of the lowest loss of its (N, D)
  // scale, |L / L_min - 1| < tolerance; 0.0025 (0.25 %) as in Step Law's fit_tool.py.
  double near_optimal_tolerance = 0.0025;
  // Batch sizes are multiplied by this to get tokens: 1 when they are tokens already, 2048 for Step
  // Law's CSV (sequences of 2048 tokens).
  double tokens_per_batch_unit = 1.0;
  StepLawRows rows = StepLawRows::kNearOptimalRuns;

  void validate() const;  // throws InvalidArgument naming the field
};

// Indices of the near-optimal runs, grouped by exact (N, D).
std::vector<int> near_optimal_runs(const StepLawData& data, double tolerance);

// The measured optimum of the runs of one (N, D) scale: the geometric means of the learning rates
// and batch sizes (tokens) of its near-optimal runs, the centre of the flat valley the law is
// fitted to. Throws InvalidArgument when the runs are empty or span several scales.
struct ScaleOptimum {
  double lr = 0.0;
  double batch_tokens = 0.0;
  int near_optimal = 0;  // runs averaged
};
ScaleOptimum measured_optimum(const StepLawData& scale_runs, const StepLawOptions& options = {});

struct StepLawFit {
  StepLawParams params;
  int n_runs = 0;
  int n_scales = 0;             // distinct (N, D)
  std::vector<int> near_optimal;  // rows of the data the OLS used
};

// Validates, keeps the near-optimal runs and fits ln eta ~ ln N + ln D and ln B ~ ln D by OLS.
// Throws InvalidArgument when the near-optimal runs cannot determine the law (fewer than three
// (N, D) scales off one line in (ln N, ln D), or fewer than two distinct D).
StepLawFit fit_step_law(const StepLawData& data, const StepLawOptions& options = {});

// The fit and its bootstrap (see StepLawRows; resamples that no longer determine the law are
// counted as failed).
struct StepLawEstimate {
  StepLawFit fit;
  Bootstrapped<StepLawParams> bootstrap;
};
StepLawEstimate estimate_step_law(const StepLawData& data, const StepLawOptions& options = {},
                                  const BootstrapOptions& bootstrap = {});

}  // namespace boex::fits
