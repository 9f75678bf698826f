// The one place surrogates are registered by name: a new surrogate adds one line here. Models that
// need libtorch are registered only in builds with it (BOEX_WITH_TORCH).
#include "surrogates/surrogate_registry.h"

#include <map>

#include "core/errors.h"
#include "core/options_json.h"
#include "core/registry.h"
#include "surrogates/bnn_options.h"
#include "surrogates/exact_gp.h"
#include "surrogates/multi_fidelity_gp.h"
#include "surrogates/pfn_options.h"
#include "surrogates/torch_plugin.h"

namespace boex {
namespace {

// The parts of an entry every model shares: options with visit(), validate() and a seed field.
// `check` adds rules of this entry beyond Options::validate (may be empty).
template <class Options>
SurrogateEntry entry_for(std::string name, std::string description, Capabilities capabilities, Options defaults,
                         std::function<void(const Options&)> check) {
  SurrogateEntry e;
  e.name = name;
  e.description = std::move(description);
  e.capabilities = capabilities;
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
  return e;
}

// A model built in this library from its Options.
template <class Model>
SurrogateEntry entry(std::string name, std::string description, typename Model::Options defaults,
                     std::function<void(const typename Model::Options&)> check = {}) {
  using Options = typename Model::Options;
  SurrogateEntry e = entry_for<Options>(name, std::move(description), Model(defaults).capabilities(), defaults, check);
  e.make = [defaults, path = "surrogate '" + name + "' options"](const nlohmann::json& options, std::uint64_t seed) {
    Options o = defaults;
    options_from_json(options, path, &o);
    o.seed = seed;
    return std::unique_ptr<Surrogate>(std::make_unique<Model>(o));
  };
  return e;
}

// A model of the libtorch plugin, made by its exported factory `symbol` (loaded on first use).
template <class Options>
SurrogateEntry torch_entry(std::string name, std::string description, Capabilities capabilities,
                           std::string symbol, std::function<void(const Options&)> check = {}) {
  SurrogateEntry e = entry_for<Options>(std::move(name), std::move(description), capabilities, Options(), check);
  e.make = [symbol](const nlohmann::json& options, std::uint64_t seed) {
    return make_torch_surrogate(symbol, options, seed);
  };
  return e;
}

#ifdef BOEX_WITH_TORCH
// The PFN: its checkpoint must exist when the study is created, not only at the first ask. Each
// point a local search evaluates is a forward and a backward pass, so its strategies search with
// a few short L-BFGS runs from the best of many candidates scored in one batched pass.
SurrogateEntry pfn_entry() {
  SurrogateEntry e = torch_entry<PfnSurrogateOptions>(
      "pfn", "prior-data fitted network (PFNs4BO): a pre-trained transformer, one forward pass per ask",
      pfn_capabilities(), "boex_make_pfn_surrogate",
      [](const PfnSurrogateOptions& o) { pfn_checkpoint_file(o.checkpoint); });
  e.single_precision = true;
  e.strategy_defaults = {{"optimizer", {{"raw_samples", 256}, {"num_restarts", 4}, {"max_evaluations", 10}, {"joint_local_search", true}}}};
  return e;
}
#endif

// The multi-fidelity GP, made for the study's fidelity column.
SurrogateEntry multi_fidelity_gp(std::string name, std::string description) {
  const MultiFidelityGpOptions defaults;
  SurrogateEntry e = entry_for<MultiFidelityGpOptions>(
      name, std::move(description), make_multi_fidelity_gp(defaults, FidelityColumn())->capabilities(), defaults, {});
  e.make_for_fidelity = [path = "surrogate '" + name + "' options"](const nlohmann::json& options, std::uint64_t seed,
                                                                  const FidelityColumn& fidelity) {
    MultiFidelityGpOptions o;
    options_from_json(options, path, &o);
    o.gp.seed = seed;
    return std::unique_ptr<Surrogate>(make_multi_fidelity_gp(o, fidelity));
  };
  e.make = [make = e.make_for_fidelity](const nlohmann::json& options, std::uint64_t seed) {
    return make(options, seed, FidelityColumn());
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
        multi_fidelity_gp("mf-gp", "exact GP over a fidelity parameter (linear-truncated or AR1 kernel), MAP-fitted"),
#ifdef BOEX_WITH_TORCH
        torch_entry<BnnEnsembleOptions>("bnn-ensemble", "deep ensemble of MLPs, each MAP-trained on its own subsample",
                                        bnn_capabilities(), "boex_make_bnn_ensemble"),
        torch_entry<BnnHmcOptions>("bnn-hmc", "Bayesian MLP sampled by Hamiltonian Monte Carlo", bnn_capabilities(),
                                   "boex_make_bnn_hmc"),
        pfn_entry(),
#endif
    };
    std::map<std::string, SurrogateEntry> out;
    for (SurrogateEntry& e : list) out.emplace(e.name, std::move(e));
    return out;
  }();
  return entries;
}

}  // namespace

std::vector<std::string> surrogate_names() { return registered_names(registry()); }

const SurrogateEntry& surrogate_entry(const std::string& name) { return registered(registry(), name, "surrogate"); }

}  // namespace boex
