// JSON reports of fitted scaling laws, the format `boex fit` prints and saves to a study:
// "parameters" and "intervals" (same keys, each [low, high]) and predictions with intervals.
#pragma once

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "fits/chinchilla_law.h"
#include "fits/step_law.h"

namespace boex::fits {

// (N, D) pairs to predict at.
using ScalePoints = std::vector<std::pair<double, double>>;

// {"law": "chinchilla", "objective", "parameters": {"A", "B", "E", "alpha", "beta"}, "intervals": {...},
//  "level", "resamples", "failed_resamples", "n_points", "huber_sum", "rmse_log",
//  "predictions": [{"N", "D", "loss", "loss_interval"}],
//  "compute_optimal": [{"flops", "N", "N_interval", "D", "D_interval", "loss", "loss_interval"}]}
nlohmann::json chinchilla_report(const ChinchillaEstimate& estimate, const ChinchillaOptions& options,
                                 const ScalePoints& predict_at, const std::vector<double>& flop_budgets);

// {"law": "steplaw", "parameters": {"lr_coef", "lr_exp_N", "lr_exp_D", "bs_coef", "bs_exp_D"},
//  "intervals": {...}, "level", "resamples", "failed_resamples", "n_runs", "n_scales", "n_near_optimal", "rows",
//  "predictions": [{"N", "D", "lr", "lr_interval", "batch_tokens", "batch_tokens_interval"}]}
nlohmann::json step_law_report(const StepLawEstimate& estimate, const StepLawOptions& options, const ScalePoints& predict_at);

}  // namespace boex::fits
