// The surrogates that need libtorch (BNNs, later the PFN) live in a plugin, libboex_torch, that is
// loaded on first use: linking libtorch into every program made `boex studies` take 1.5 s (it
// loads ~290 shared libraries and registers thousands of operators before main). A torch model
// exports one factory per surrogate with BOEX_TORCH_SURROGATE; the registry names it.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/options_json.h"
#include "surrogates/surrogate.h"

namespace boex {

// A surrogate from its complete options (JSON) and seed.
using TorchSurrogateFactory = Surrogate* (*)(const nlohmann::json& options, std::uint64_t seed);

// The plugin's factory named `symbol`, loading the plugin on first call: from $BOEX_TORCH_PLUGIN,
// else where this build put it. Throws StateError saying where it looked when it cannot be loaded.
TorchSurrogateFactory torch_surrogate_factory(const std::string& symbol);
std::unique_ptr<Surrogate> make_torch_surrogate(const std::string& symbol, const nlohmann::json& options,
                                                std::uint64_t seed);

}  // namespace boex

// In a torch model's .cpp: exports `symbol`, which builds Model from Model::Options read from JSON.
#define BOEX_TORCH_SURROGATE(symbol, Model)                                                             \
  extern "C" __attribute__((visibility("default"))) boex::Surrogate* symbol(const nlohmann::json& options, \
                                                                            std::uint64_t seed) {       \
    Model::Options o;                                                                                   \
    boex::options_from_json(options, #Model " options", &o);                                            \
    o.seed = seed;                                                                                      \
    return new Model(o);                                                                                \
  }
