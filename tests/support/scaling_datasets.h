// The shipped scaling-law data sets (data/scaling/, see its README), loaded as the fitters take
// them, for the tests of fits/, the scaling study and the fit command.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/study.h"
#include "fits/scaling_csv.h"

namespace boex::testing {

inline std::string scaling_data_path(const std::string& file) { return std::string(BOEX_DATA_DIR) + "/scaling/" + file; }

// Epoch AI's 245 points from Hoffmann et al.'s Figure 4: N = Model Size, D = FLOP / (6 N).
inline fits::ChinchillaData epoch_chinchilla_points() {
  return fits::chinchilla_data_from_csv(scaling_data_path("chinchilla_svg_extracted_data.csv"),
                                        {"Model Size", "Training FLOP", "loss", /*d_is_flops=*/true});
}

// Step Law's 1911 dense runs; batch sizes count sequences of 2048 tokens.
inline fits::StepLawData step_law_runs() {
  return fits::step_law_data_from_csv(scaling_data_path("steplaw_dense_lr_bs_loss.csv"),
                                      {"N", "D", "lr", "bs", "smooth loss"});
}
constexpr double kStepLawTokensPerSequence = 2048.0;

// Stores runs as measured trials of one study per (N, D) scale, named "<prefix>N<N>_D<D>", with N and D
// as study attributes and lr, bs as (log-scaled) parameters; returns the study names in order.
inline std::vector<std::string> store_runs_by_scale(const std::shared_ptr<Storage>& storage, const std::string& prefix,
                                                    const fits::StepLawData& runs) {
  const auto [lr_lo, lr_hi] = std::minmax_element(runs.lr.begin(), runs.lr.end());
  const auto [bs_lo, bs_hi] = std::minmax_element(runs.batch.begin(), runs.batch.end());
  const SearchSpace space({Parameter::Float("lr", *lr_lo, *lr_hi, true), Parameter::Float("bs", *bs_lo, *bs_hi, true)});
  std::map<std::pair<double, double>, std::vector<int>> by_scale;
  for (int i = 0; i < runs.size(); ++i) by_scale[{runs.N[i], runs.D[i]}].push_back(i);
  std::vector<std::string> names;
  for (const auto& [scale, rows] : by_scale) {
    names.push_back(prefix + "N" + std::to_string(scale.first) + "_D" + std::to_string(scale.second));
    Study study = Study::open(storage, names.back(), space);
    study.set_attribute("N", std::to_string(scale.first));
    study.set_attribute("D", std::to_string(scale.second));
    for (int i : rows) study.add_measured({{"lr", runs.lr[i]}, {"bs", runs.batch[i]}}, runs.loss[i]);
  }
  return names;
}

}  // namespace boex::testing
