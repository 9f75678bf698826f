// Training runs replayed from measured ones (e.g. Step Law's 1911 runs), for benchmarks and tests
// of scaling studies: a run's loss is the measured loss of that (N, D, lr, batch), and the setting
// trained for a suggestion is a measured one, so nothing is invented.
#pragma once

#include <optional>
#include <vector>

#include "engine/scaling_study.h"
#include "fits/step_law.h"

namespace boex {

class ReplayRuns : public TrainingRuns {
 public:
  // `scales` in the scaling study's order; each must have measured runs.
  ReplayRuns(fits::StepLawData measured, const std::vector<ScalingScale>& scales);

  // The scales of the measured runs (ordered by N, then D) with each box spanning its measured
  // settings: ScalingStudyOptions::scales for a replay.
  static std::vector<ScalingScale> scales_of(const fits::StepLawData& measured);

  std::optional<Hyperparameters> setting_for(int scale, const Hyperparameters& suggested) override;
  bool can_run(int scale) const override;
  // The measured loss of the setting setting_for last returned at this scale (InvalidArgument for
  // any other setting: a replay can only train what was measured).
  double train(int scale, const Hyperparameters& setting) override;

  int runs_left(int scale) const;

 private:
  // The measured setting of the scale not yet run that is nearest the suggestion in the scale's
  // box, (ln lr, ln batch) each scaled to [0, 1]: the one place that turns a continuous suggestion
  // into a measured run (a candidate pool on the study will make it unnecessary).
  std::optional<int> nearest_unrun(int scale, const Hyperparameters& suggested) const;

  struct Pool {
    ScalingScale scale;
    std::vector<int> rows;     // of measured_
    std::vector<bool> used;    // per entry of rows
    int chosen = -1;           // entry handed out by setting_for, not yet trained
  };
  fits::StepLawData measured_;
  std::vector<Pool> pools_;
};

}  // namespace boex
