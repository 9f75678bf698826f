// Scores a PFN against the oracle bound on fresh prior tasks: the mean negative log predictive
// density per test point of the PFN and of an exact GP given each task's true hyperparameters.
// Shared by the pre-training program (progress), the regression test and the benchmark table.
#pragma once

#include <cstdint>
#include <vector>

#include "surrogates/gp_prior_sampler.h"
#include "surrogates/pfn_model.h"

namespace boex {

struct PfnEvaluationOptions {
  // Training-set sizes; tasks_per_size tasks are drawn for each (200 tasks = 4 x 50).
  std::vector<int> n_train = {5, 10, 20, 40};
  int tasks_per_size = 50;
  // Test points per task, scored independently (per-point marginal densities).
  int n_test = 50;
  int min_features = 1;
  int max_features = 6;
  std::uint64_t seed = 20240611;
  GpPriorOptions prior;

  void validate() const;  // throws InvalidArgument naming the field
};

struct PfnEvaluationRow {
  int n_train = 0;
  int tasks = 0;
  double pfn_nll = 0.0;     // nats per test point, in the units of the task's y
  double oracle_nll = 0.0;  // exact GP with the true hyperparameters
  double gap() const { return pfn_nll - oracle_nll; }
};

// One row per training-set size, then a last row (n_train = 0) over all tasks. The tasks depend
// only on the options (seed), never on the model, so two models are compared on the same tasks.
std::vector<PfnEvaluationRow> evaluate_pfn_nll(const PfnModel& model, const PfnEvaluationOptions& options);

}  // namespace boex
