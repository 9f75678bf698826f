// The objectives of a multi-objective study (each a name, a direction and an optional threshold,
// "worse than this is worthless", which is the hypervolume's reference point), how they are
// stored in StudyRecord::settings under "objectives", and the Pareto view of a study's trials.
#pragma once

#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/trial.h"
#include "storage/storage.h"

namespace boex {

struct ObjectiveSpec {
  std::string name;
  Direction direction = Direction::kMinimize;
  std::optional<double> threshold;  // in the objective's own units; unset: inferred from the front

  bool operator==(const ObjectiveSpec& o) const {
    return name == o.name && direction == o.direction && threshold == o.threshold;
  }
};

// InvalidArgument unless there are >= 2 objectives with distinct non-empty UTF-8 names and
// finite thresholds.
void validate_objectives(const std::vector<ObjectiveSpec>& objectives);

// The CLI's forms: "yield:max:0.2,cost:min:50" (name:direction[:threshold], direction max,
// maximize, min or minimize), or a JSON array [{"name": "yield", "direction": "maximize",
// "threshold": 0.2}, ...]. Validated.
std::vector<ObjectiveSpec> parse_objectives(const std::string& text);
nlohmann::json objectives_to_json(const std::vector<ObjectiveSpec>& objectives);

// Writes the objectives into record->settings (other keys kept).
void store_objectives(const std::vector<ObjectiveSpec>& objectives, StudyRecord* record);
// The stored objectives; empty for a single-objective study. StorageError when unreadable.
std::vector<ObjectiveSpec> stored_objectives(const StudyRecord& record);

// A trial's objective values with signs flipped so that larger is better.
Eigen::RowVectorXd maximising(const std::vector<double>& values, const std::vector<ObjectiveSpec>& objectives);
// The thresholds in maximising units; NaN where an objective has none.
Eigen::VectorXd maximising_thresholds(const std::vector<ObjectiveSpec>& objectives);

// The reference point (maximising units): `thresholds` where finite, elsewhere inferred
// (infer_reference_point) from the Pareto front of the feasible rows of Y, or of all rows while
// none is feasible. Y has at least one row.
Eigen::VectorXd complete_reference(const Eigen::MatrixXd& Y, const std::vector<bool>& feasible,
                                   const Eigen::VectorXd& thresholds);

// The Pareto view of a multi-objective study's trials.
struct ParetoSummary {
  std::vector<int> ranks;             // per trial: non-dominated sorting rank, -1 unless complete and feasible
  std::vector<std::size_t> front;     // indices of the trials with rank 0
  std::vector<double> reference;      // in each objective's own units; empty without complete trials
  std::vector<bool> reference_inferred;  // per objective: no threshold was given
  double hypervolume = 0.0;           // of the feasible trials above the reference
};
ParetoSummary pareto_summary(const std::vector<Trial>& trials, const std::vector<ObjectiveSpec>& objectives);

}  // namespace boex
