// JSON views of studies and trials for the boex CLI (design.md's formats), kept apart from the
// command plumbing so the formats live in one place.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/trial.h"
#include "storage/storage.h"

namespace boex::cli {

// {"trial": id, "number": n, "state": ..., "params": {...}, "value": v|null, "constraints": [...],
//  "outputs": [...] (composite studies), "values": [...] (several objectives), "cost": c,
//  "reports": [{"step": s, "value": v}, ...] (intermediate values), "attributes": {...}}
nlohmann::json trial_to_json(const Trial& trial);
nlohmann::json study_to_json(const StudyRecord& study, std::int64_t n_trials);
// What recommend answers: the trial's JSON; in a multi-fidelity study also "evaluated_at_target"
// (false when the point never ran at the target fidelity: then "trial" is null and
// "predicted_value" is the model's mean there).
nlohmann::json recommendation_to_json(const SearchSpace& space, const Trial& trial);
// CSV with a header: trial,number,state,<parameters...>,value,c1..cN,h1..hK, then cost when the
// study has a fidelity or any trial a cost, and for a study of several objectives one column per
// objective and pareto_rank (`ranks`, one per trial).
std::string trials_to_csv(const StudyRecord& study, const std::vector<Trial>& trials,
                          const std::vector<int>& ranks = {});

}  // namespace boex::cli
