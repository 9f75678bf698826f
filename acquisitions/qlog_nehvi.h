// Monte-Carlo log noisy expected hypervolume improvement (qLogNEHVI: Daulton et al. 2021, in the
// log space of Ament et al. 2023; BoTorch's multi-objective default). In each joint posterior
// sample of the objectives at the baseline (evaluated and pending points) and at x, the baseline's
// feasible Pareto front splits the space above the reference point into disjoint boxes
// (hypervolume.h); x's improvement is the volume of [reference, f(x)] in them, made smooth and
// logarithmic with fatplus per side and logsumexp over boxes, times fatmoid(-c) per constraint.
// The value is ln of the mean over samples. Fixed Sobol base samples make it deterministic; with
// pending points in the baseline, maximising it point by point builds a batch greedily.
#pragma once

#include <memory>
#include <vector>

#include "acquisitions/acquisition.h"
#include "acquisitions/joint_sampler.h"
#include "core/hypervolume.h"

namespace boex {

struct QLogNehviOptions {
  int num_samples = 128;   // QMC base samples (BoTorch's qNEHVI default: 128)
  double tau_relu = 1e-6;  // fatplus temperature, relative to each objective's prior scale
  double eta = 1e-3;       // fatmoid temperature on constraints, relative to their scale
  std::uint64_t seed = 0;  // of the base samples
  // Draw the candidate jointly with only the baseline points that are on the sampled Pareto front
  // in at least one sample (BoTorch's prune_baseline): same expectation, a candidate's cost grows
  // with the front rather than with every observation.
  bool prune_baseline = true;

  void validate() const;  // InvalidArgument naming the field
};

class QLogNoisyExpectedHypervolumeImprovement final : public Acquisition {
 public:
  // Objective models are maximised; `reference`: one finite value per objective in the models'
  // units. X_baseline: m >= 1 rows. Models outlive the acquisition.
  QLogNoisyExpectedHypervolumeImprovement(std::vector<const Surrogate*> objectives,
                                          std::vector<const Surrogate*> constraints,
                                          const Eigen::MatrixXd& X_baseline, const Eigen::VectorXd& reference,
                                          const QLogNehviOptions& options = QLogNehviOptions());
  std::string name() const override { return "qlognehvi"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  // How many baseline points the candidate is drawn jointly with (all of them unless pruned).
  int baseline_kept() const { return baseline_kept_; }

 private:
  QLogNehviOptions options_;
  std::vector<std::unique_ptr<SampleSource>> objectives_, constraints_;
  // Per sample, where the baseline's front leaves room: the boxes' bounds as rows, and ln fatplus
  // of each finite side's full length (what a side capped by its upper bound contributes).
  struct SampleBoxes {
    Eigen::MatrixXd lower, upper, log_capped;
  };
  std::vector<SampleBoxes> boxes_;
  Eigen::VectorXd tau_, log_tau_;
  std::vector<double> eta_;
  int baseline_kept_ = 0;
};

}  // namespace boex
