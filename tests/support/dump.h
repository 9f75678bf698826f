// A complete text dump of a storage's studies and trials, to check that a rejected operation
// left the database exactly as it was.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/json_io.h"
#include "storage/storage.h"

namespace boex::testing {

inline std::string dump(Storage& storage) {
  nlohmann::json out = nlohmann::json::array();
  for (const StudyListing& listing : storage.studies()) {
    if (!listing.readable()) {
      out.push_back({listing.record.id, listing.record.name, listing.problem});
      continue;
    }
    const StudyRecord& s = listing.record;
    nlohmann::json trials = nlohmann::json::array();
    for (const Trial& t : storage.trials(s.id))
      trials.push_back({t.id, t.number, to_string(t.state), params_to_json(t.params),
                        t.value ? nlohmann::json(*t.value) : nlohmann::json(nullptr), t.constraints, t.outputs, t.values,
                        t.cost ? nlohmann::json(*t.cost) : nlohmann::json(nullptr), t.reports, t.attributes});
    nlohmann::json candidates = nlohmann::json::array();
    for (const Params& p : storage.candidates(s.id)) candidates.push_back(params_to_json(p));
    out.push_back({s.name, space_to_json(s.space), to_string(s.direction), s.strategy, s.seed, s.n_constraints, s.n_init,
                    s.n_outputs, s.strategy_options, s.settings, s.attributes, trials, candidates});
  }
  return out.dump();
}

}  // namespace boex::testing
