// A trial is one experiment of a study: the parameters boex suggested (or the user supplied), its
// state, and once told, its objective value and constraint values (feasible when c <= 0).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/search_space.h"

namespace boex {

// waiting: enqueued by the user, not yet handed out; running: handed out by ask (pending);
// complete: told with a value; failed: told as failed, or abandoned by a worker that died.
enum class TrialState { kWaiting, kRunning, kComplete, kFailed };

std::string to_string(TrialState state);
TrialState parse_trial_state(const std::string& text);  // throws InvalidArgument

enum class Direction { kMinimize, kMaximize };
std::string to_string(Direction direction);
Direction parse_direction(const std::string& text);  // throws InvalidArgument

struct Trial {
  std::int64_t id = -1;      // unique within the database
  std::int64_t number = -1;  // 0, 1, 2 ... within its study, in order of creation
  TrialState state = TrialState::kRunning;
  Params params;
  std::optional<double> value;     // objective, in the user's direction
  std::vector<double> constraints;  // c_k <= 0 is feasible
  std::vector<double> outputs;      // measured outputs h of a composite study (value = g(h))
  std::vector<double> values;       // every objective of a multi-objective study
  std::optional<double> cost;       // what the experiment cost (multi-fidelity studies)
  std::map<std::int64_t, double> reports;  // intermediate values by step (learning curves)
  std::map<std::string, std::string> attributes;  // operator, batch, notes ...

  bool is_pending() const { return state == TrialState::kRunning || state == TrialState::kWaiting; }
  bool is_complete() const { return state == TrialState::kComplete; }
  bool is_feasible() const;  // complete and every constraint <= 0
};

}  // namespace boex
