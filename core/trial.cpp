#include "core/trial.h"

#include "core/errors.h"

namespace boex {

std::string to_string(TrialState state) {
  switch (state) {
    case TrialState::kWaiting: return "waiting";
    case TrialState::kRunning: return "running";
    case TrialState::kComplete: return "complete";
    case TrialState::kFailed: return "failed";
  }
  return "unknown";
}

TrialState parse_trial_state(const std::string& text) {
  if (text == "waiting") return TrialState::kWaiting;
  if (text == "running") return TrialState::kRunning;
  if (text == "complete") return TrialState::kComplete;
  if (text == "failed") return TrialState::kFailed;
  throw InvalidArgument("unknown trial state '" + text + "' (waiting, running, complete, failed)");
}

std::string to_string(Direction direction) {
  return direction == Direction::kMinimize ? "minimize" : "maximize";
}

Direction parse_direction(const std::string& text) {
  if (text == "minimize") return Direction::kMinimize;
  if (text == "maximize") return Direction::kMaximize;
  throw InvalidArgument("unknown direction '" + text + "' (minimize or maximize)");
}

bool Trial::is_feasible() const {
  if (!is_complete()) return false;
  for (double c : constraints)
    if (!(c <= 0.0)) return false;
  return true;
}

}  // namespace boex
