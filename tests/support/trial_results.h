// A TrialResult in one expression, for tests that tell storages directly.
#pragma once

#include <optional>
#include <vector>

#include "storage/storage.h"

namespace boex::testing {

inline TrialResult told(TrialState state, std::optional<double> value, std::vector<double> constraints = {},
                        std::vector<double> outputs = {}) {
  TrialResult r;
  r.state = state;
  r.value = value;
  r.constraints = std::move(constraints);
  r.outputs = std::move(outputs);
  return r;
}

}  // namespace boex::testing
