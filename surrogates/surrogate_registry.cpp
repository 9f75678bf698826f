// The one place surrogates are registered by name: a new surrogate adds one line here. Models that
// need libtorch are registered only in builds with it (BOEX_WITH_TORCH).
#include "surrogates/surrogate_registry.h"

#include <map>

#include "core/errors.h"
#include "core/options_json.h"
#include "surrogates/exact_gp.h"
#ifdef BOEX_WITH_TORCH
#include "surrogates/bnn_ensemble.h"
#include "surrogates/bnn_hmc.h"
#endif

namespace boex {
namespace {

// An entry for a model class with Options (visit(), validate(), a seed field) and a constructor
// from them. `check` adds rules of this entry beyond Options::validate (may be empty).
template <class Model>
SurrogateEntry entry(std::string name, std::string description, typename Model::Options defaults,
                     std::function<void(const typename Model::Options&)> check = {}) {
  using Options = typename Model::Options;
  SurrogateEntry e;
  e.name = name;
  e.description = std::move(description);
  e.capabilities = Model(defaults).capabilities();
  e.defaults = options_to_json(defaults);
  e.resolve = [defaults, check](const nlohmann::json& overrides, const std::string& path) {
    Options o = defaults;
    options_from_json(overrides, path, &o);
    try {
      o.validate();
      if (check) check(o);
    } catch (const InvalidArgument& error) {
      throw InvalidArgument(path + ": " + error.what());
    }
    return options_to_json(o);
  };
  e.make = [defaults, path = "surrogate '" + name + "' options"](const nlohmann::json& options, std::uint64_t seed) {
    Options o = defaults;
    options_from_json(options, path, &o);
    o.seed = seed;
    return std::unique_ptr<Surrogate>(std::make_unique<Model>(o));
  };
  return e;
}

ExactGP::Options ibnn_defaults() {
  ExactGP::Options o;
  o.kernel = "ibnn";
  return o;
}

const std::map<std::string, SurrogateEntry>& registry() {
  static const std::map<std::string, SurrogateEntry> entries = [] {
    std::vector<SurrogateEntry> list = {
        entry<ExactGP>("gp", "exact Gaussian process (Matern-5/2 ARD by default), MAP-fitted", {}),
        entry<ExactGP>("ibnn", "exact GP with the infinite-width ReLU BNN kernel (high dimensions)", ibnn_defaults(),
                       [](const ExactGP::Options& o) {
                         if (o.kernel != "ibnn") throw InvalidArgument("kernel is 'ibnn' for this surrogate; use 'gp' for others");
                       }),
#ifdef BOEX_WITH_TORCH
        entry<BnnEnsemble>("bnn-ensemble", "deep ensemble of MLPs, each MAP-trained on its own subsample (libtorch)", {}),
        entry<BnnHmc>("bnn-hmc", "Bayesian MLP sampled by Hamiltonian Monte Carlo (libtorch)", {}),
#endif
    };
    std::map<std::string, SurrogateEntry> out;
    for (SurrogateEntry& e : list) out.emplace(e.name, std::move(e));
    return out;
  }();
  return entries;
}

}  // namespace

std::vector<std::string> surrogate_names() {
  std::vector<std::string> names;
  for (const auto& [name, e] : registry()) names.push_back(name);
  return names;
}

const SurrogateEntry& surrogate_entry(const std::string& name) {
  auto it = registry().find(name);
  if (it == registry().end()) {
    std::string known;
    for (const auto& n : surrogate_names()) known += (known.empty() ? "" : ", ") + n;
    throw NotFound("unknown surrogate '" + name + "' (known: " + known + ")");
  }
  return it->second;
}

}  // namespace boex
