// Settings of the PFN surrogate, kept free of libtorch so that a study can be created, checked and
// listed without loading the plugin (the network itself lives in libboex_torch, torch_plugin.h).
#pragma once

#include <cstdint>
#include <string>

#include "surrogates/surrogate.h"

namespace boex {

// A full predictive distribution (the bar distribution) whose log EI, PI and quantiles are exact;
// no Gaussian marginals, no joint posterior, no function samples.
Capabilities pfn_capabilities();

struct PfnSurrogateOptions {
  // The pre-trained network: a name of a checkpoint shipped in boex's models directory
  // ("pfn-v1" -> models/pfn-v1.boexpfn), or a path to a .boexpfn file. Stored with the study, so
  // a study keeps its network when a newer one ships.
  std::string checkpoint = "pfn-v1";
  // "yeo-johnson" (PFNs4BO's: the values are Yeo-Johnson transformed, lambda by maximum likelihood,
  // and standardised before the network sees them) or "standardize" (linear only).
  std::string output_transform = "yeo-johnson";
  std::uint64_t seed = 0;  // unused: inference is deterministic (kept for the surrogate factory)

  void validate() const;  // throws InvalidArgument naming the field
  template <class Visitor>
  void visit(Visitor& v) {
    v("checkpoint", checkpoint);
    v("output_transform", output_transform);
  }
};

// The file of checkpoint `name_or_path`: a path (it contains '/' or ends in .boexpfn) as given;
// a name in $BOEX_PFN_MODELS, then the installed models directory, then the source tree's.
// Throws NotFound saying where it looked.
std::string pfn_checkpoint_file(const std::string& name_or_path);

}  // namespace boex
