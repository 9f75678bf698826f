// The shipped scaling-law data sets (data/scaling/, see its README), loaded as the fitters take
// them, for the tests of fits/, the scaling study and the fit command.
#pragma once

#include <string>

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

}  // namespace boex::testing
