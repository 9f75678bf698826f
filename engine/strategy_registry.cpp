// The one place strategies are registered by name: a new strategy adds one line here.
#include <functional>
#include <map>

#include "core/errors.h"
#include "engine/gp_strategy.h"
#include "engine/random_strategy.h"

namespace boex {
namespace {

using Factory = std::function<std::unique_ptr<Strategy>(const std::string& name)>;

Factory gp(const std::string& acquisition) {
  return [acquisition](const std::string& name) {
    GpStrategy::Options options;
    options.acquisition = acquisition;
    return std::make_unique<GpStrategy>(name, options);
  };
}

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> strategies = {
      {"gp-logei", gp("logei")},
      {"gp-ei", gp("ei")},
      {"gp-ucb", gp("ucb")},
      {"gp-pi", gp("logpi")},
      {"gp-nei", gp("lognei")},
      {"gp-kg", gp("logkg")},
      {"gp-qlognei", gp("qlognei")},
      {"random", [](const std::string&) { return std::make_unique<RandomStrategy>(); }},
      {"sobol", [](const std::string&) { return std::make_unique<SobolStrategy>(); }},
  };
  return strategies;
}

}  // namespace

std::vector<std::string> strategy_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

std::vector<std::string> strategies_supporting_constraints() {
  std::vector<std::string> names;
  for (const std::string& name : strategy_names())
    if (make_strategy(name)->supports_constraints()) names.push_back(name);
  return names;
}

std::string resolve_strategy_options(const std::string& name, const std::string& overrides) {
  make_strategy(name);
  if (!overrides.empty() && overrides != "{}") throw InvalidArgument("strategy '" + name + "' takes no options yet");
  return "{}";
}

std::unique_ptr<Strategy> make_strategy(const std::string& name, const std::string&) {
  auto it = registry().find(name);
  if (it == registry().end()) {
    std::string known;
    for (const auto& n : strategy_names()) known += (known.empty() ? "" : ", ") + n;
    throw NotFound("unknown strategy '" + name + "' (known: " + known + ")");
  }
  return it->second(name);
}

}  // namespace boex
