// Acquisitions by name, for strategies chosen at run time ("logei", "ei", "ucb", "logpi").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "acquisitions/acquisition.h"
#include "surrogates/surrogate.h"

namespace boex {

// What an analytic acquisition may need beyond the model.
struct AcquisitionContext {
  double best = 0.0;  // incumbent for improvement-based acquisitions (maximisation)
  double beta = 4.0;  // UCB's exploration weight (mean + sqrt(beta) sd)
};

// The acquisition keeps a reference to model: the model must outlive it.
// Throws NotFound listing the known names.
std::unique_ptr<Acquisition> make_acquisition(const std::string& name, const Surrogate& model,
                                              const AcquisitionContext& context);
std::vector<std::string> acquisition_names();

}  // namespace boex
