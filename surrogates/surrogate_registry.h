// Surrogates by name ("gp", "ibnn", "bnn-ensemble", "bnn-hmc", ...), each with its capabilities
// and its options as JSON (complete defaults, a user's overrides checked field by field). Strategy
// names are "<surrogate>-<acquisition>" for every acquisition a surrogate can feed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "surrogates/kernel.h"
#include "surrogates/surrogate.h"

namespace boex {

struct SurrogateEntry {
  std::string name;
  std::string description;  // one line for help texts
  Capabilities capabilities;
  // Every option at its default, as a JSON object.
  nlohmann::json defaults;
  // A model from complete, checked options and the seed of its random choices.
  std::function<std::unique_ptr<Surrogate>(const nlohmann::json& options, std::uint64_t seed)> make;
  // Models of a fidelity (capabilities.fidelity): the model for inputs whose fidelity is where
  // `fidelity` says (make assumes the last column, continuous, target 1). Empty for the others.
  std::function<std::unique_ptr<Surrogate>(const nlohmann::json& options, std::uint64_t seed,
                                           const FidelityColumn& fidelity)>
      make_for_fidelity;
  // Applies `overrides` (a JSON object, fields by name) to the defaults and validates the result;
  // InvalidArgument names the field (`path` prefixes it: "strategy options: surrogate").
  std::function<nlohmann::json(const nlohmann::json& overrides, const std::string& path)> resolve;
  // Strategy settings this model works best with, beneath the user's overrides (a JSON object of
  // the strategy-options shape, e.g. a smaller acquisition search for a model that is costly to
  // query point by point). Empty for most models.
  nlohmann::json strategy_defaults = nlohmann::json::object();
  // The model computes in float32 (a pre-trained network): its outputs are smooth only above
  // about 1e-6 relative, which gradient checks by finite differences must allow for.
  bool single_precision = false;
};

// Throws NotFound listing the registered names.
const SurrogateEntry& surrogate_entry(const std::string& name);
std::vector<std::string> surrogate_names();

}  // namespace boex
