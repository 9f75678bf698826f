// Smaller training budgets for the surrogates whose defaults take a second or more per fit, so
// conformance suites that run every registered model stay fast. The models are the same.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace boex::testing {

// The surrogate's options to change (an empty object for the fast ones).
inline nlohmann::json fast_surrogate_options(const std::string& surrogate) {
  if (surrogate == "bnn-ensemble") return {{"members", 4}, {"steps", 200}, {"refit_steps", 30}};
  if (surrogate == "bnn-hmc")
    return {{"pretrain_steps", 200}, {"burn_in", 60}, {"samples", 60}, {"keep_every", 2}, {"refit_steps", 30}};
  return nlohmann::json::object();
}

// The same as strategy options text for a strategy "<surrogate>-<acquisition>" (or a model-free one).
inline std::string fast_strategy_options(const std::string& strategy) {
  for (const char* surrogate : {"bnn-ensemble", "bnn-hmc"})
    if (strategy.rfind(std::string(surrogate) + "-", 0) == 0)
      return nlohmann::json{{"surrogate", fast_surrogate_options(surrogate)}}.dump();
  return "";
}

}  // namespace boex::testing
