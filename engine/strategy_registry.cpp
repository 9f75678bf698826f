// Strategies by name: one "<surrogate>-<acquisition>" for every registered surrogate and every
// acquisition whose needs it meets (both registries), plus the model-free baselines. A new
// model-free strategy adds one line here; a new surrogate or acquisition adds none.
#include <functional>
#include <map>

#include "acquisitions/registry.h"
#include "core/errors.h"
#include "core/json_io.h"
#include "core/registry.h"
#include "engine/model_strategy.h"
#include "engine/multi_objective_strategy.h"
#include "engine/random_strategy.h"
#include "surrogates/surrogate_registry.h"

namespace boex {
namespace {

struct Entry {
  // Complete settings from a user's overrides (a JSON object).
  std::function<nlohmann::json(const nlohmann::json& overrides)> resolve;
  std::function<std::unique_ptr<Strategy>(const nlohmann::json& settings)> make;
  // Stored settings -> what they meant when stored, where a default has changed since (empty: none has).
  std::function<nlohmann::json(nlohmann::json stored)> as_stored;
};

Entry model_based(const std::string& surrogate, const std::string& acquisition) {
  return {[surrogate](const nlohmann::json& overrides) { return ModelStrategy::Settings::resolve(surrogate, overrides).to_json(); },
          [surrogate, acquisition](const nlohmann::json& settings) {
            return std::make_unique<ModelStrategy>(surrogate, acquisition, ModelStrategy::Settings::resolve(surrogate, settings));
          },
          ModelStrategy::Settings::as_stored};
}

// GameOpt (Bal et al., ICLR 2025): a GP with the overlap kernel (unless the options name another)
// and UCB with beta = 2 standard deviations, maximised by `solver` games over the sites.
Entry game_based(const std::string& name, const std::string& solver) {
  GameOptimizer::Options game;
  game.solver = solver;
  const auto resolve = [game](nlohmann::json overrides) {
    if (overrides.is_object()) {
      nlohmann::json& surrogate = overrides["surrogate"];
      if (surrogate.is_null()) surrogate = nlohmann::json::object();
      if (surrogate.is_object() && !surrogate.contains("kernel")) surrogate["kernel"] = "overlap";
    }
    return ModelStrategy::Settings::resolve("gp", overrides, game);
  };
  return {[resolve](const nlohmann::json& overrides) { return resolve(overrides).to_json(); },
          [resolve, name](const nlohmann::json& settings) {
            return std::make_unique<ModelStrategy>("gp", "ucb", resolve(settings), name);
          },
          ModelStrategy::Settings::as_stored};
}

// Several objectives (multi_objective_strategy.h), registered by name: their acquisitions take one
// model per objective, which the "<surrogate>-<acquisition>" pairs' single-objective acquisition
// inputs cannot express. qLogNEHVI defaults to BoTorch's 128 Monte-Carlo samples (its cost grows
// with the samples times the boxes of each sampled front).
Entry multi_objective(MultiObjectiveStrategy::Method method) {
  const auto resolve = [method](nlohmann::json overrides) {
    if (method == MultiObjectiveStrategy::Method::kQLogNehvi && overrides.is_object()) {
      nlohmann::json& acquisition = overrides["acquisition"];
      if (acquisition.is_null()) acquisition = nlohmann::json::object();
      if (acquisition.is_object() && !acquisition.contains("mc_samples")) acquisition["mc_samples"] = 128;
    }
    return ModelStrategy::Settings::resolve("gp", overrides);
  };
  return {[resolve](const nlohmann::json& overrides) { return resolve(overrides).to_json(); },
          [resolve, method](const nlohmann::json& settings) {
            return std::make_unique<MultiObjectiveStrategy>(method, resolve(settings));
          },
          ModelStrategy::Settings::as_stored};
}

template <class S>
Entry model_free(const std::string& name) {
  return {[name](const nlohmann::json& overrides) {
            if (!overrides.is_object() || !overrides.empty())
              throw InvalidArgument("strategy options: strategy '" + name + "' takes none, got " + overrides.dump());
            return nlohmann::json::object();
          },
          [](const nlohmann::json&) { return std::make_unique<S>(); },
          nullptr};
}

const std::map<std::string, Entry>& registry() {
  static const std::map<std::string, Entry> entries = [] {
    std::map<std::string, Entry> out = {
        {"random", model_free<RandomStrategy>("random")},
        {"sobol", model_free<SobolStrategy>("sobol")},
        {"gp-gameopt", game_based("gp-gameopt", "hedge")},
        {"gp-gameopt-ibr", game_based("gp-gameopt-ibr", "ibr")},
        {"gp-qlognehvi", multi_objective(MultiObjectiveStrategy::Method::kQLogNehvi)},
        {"gp-parego", multi_objective(MultiObjectiveStrategy::Method::kParEgo)},
    };
    for (const std::string& surrogate : surrogate_names())
      for (const std::string& acquisition : acquisitions_supported_by(surrogate_entry(surrogate).capabilities))
        out.emplace(surrogate + "-" + acquisition, model_based(surrogate, acquisition));
    return out;
  }();
  return entries;
}

// NotFound listing the names; for "<surrogate>-<acquisition>" pairs that do not fit, it says what
// that surrogate supports.
const Entry& entry(const std::string& name) {
  auto it = registry().find(name);
  if (it != registry().end()) return it->second;
  for (const std::string& surrogate : surrogate_names()) {
    if (name.rfind(surrogate + "-", 0) != 0) continue;
    const Capabilities c = surrogate_entry(surrogate).capabilities;
    std::vector<std::string> able;
    for (const std::string& a : acquisitions_supported_by(c)) able.push_back(surrogate + "-" + a);
    const std::string acquisition = name.substr(surrogate.size() + 1);
    const std::vector<std::string> all = acquisition_names();
    if (std::find(all.begin(), all.end(), acquisition) == all.end()) continue;
    throw NotFound("strategy '" + name + "' does not exist: " + unsupported_reason(acquisition, c) + "; surrogate '" +
                   surrogate + "' works with: " + join(able));
  }
  return registered(registry(), name, "strategy");
}

nlohmann::json parse(const std::string& text, const std::string& what) {
  if (text.empty()) return nlohmann::json::object();
  return parse_json(text, what);
}

}  // namespace

std::vector<std::string> strategy_names() { return registered_names(registry()); }

namespace {

template <class Predicate>
std::vector<std::string> strategies_where(Predicate keep) {
  std::vector<std::string> names;
  for (const std::string& name : strategy_names())
    if (keep(*make_strategy(name))) names.push_back(name);
  return names;
}

}  // namespace

std::vector<std::string> strategies_supporting_constraints() {
  return strategies_where([](const Strategy& s) { return s.supports_constraints(); });
}

std::vector<std::string> strategies_modelling_fidelity() {
  return strategies_where([](const Strategy& s) { return s.models_fidelity(); });
}

std::string resolve_strategy_options(const std::string& name, const std::string& overrides) {
  return entry(name).resolve(parse(overrides, "strategy options")).dump();
}

std::unique_ptr<Strategy> make_strategy(const std::string& name, const std::string& options) {
  const Entry& e = entry(name);
  nlohmann::json stored = parse(options, "stored strategy options");
  if (e.as_stored) stored = e.as_stored(std::move(stored));
  return e.make(e.resolve(stored));
}

}  // namespace boex
