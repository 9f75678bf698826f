// Scaling-law data read from CSV files by column name: Epoch's Chinchilla points, Step Law's
// training runs, or a lab's own sheet, for the fitters, the `boex fit --csv` command and the tests.
#pragma once

#include <string>

#include "fits/chinchilla_law.h"
#include "fits/step_law.h"

namespace boex::fits {

struct ChinchillaColumns {
  std::string N = "N", D = "D", loss = "loss";
  // The D column holds training FLOP C, not tokens: D = C / (6 N) (Epoch's CSV).
  bool d_is_flops = false;
};
ChinchillaData chinchilla_data_from_csv(const std::string& path, const ChinchillaColumns& columns);

struct StepLawColumns {
  std::string N = "N", D = "D", lr = "lr", batch = "bs", loss = "loss";
};
StepLawData step_law_data_from_csv(const std::string& path, const StepLawColumns& columns);

}  // namespace boex::fits
