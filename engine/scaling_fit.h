// Scaling laws fitted from the trials of boex studies: the C++ side of `boex fit --storage`. Each
// complete trial is one training run; its value is the loss, its scale (N, D) and hyperparameters
// are read from its parameters or attributes, or from its study's attributes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/study.h"
#include "fits/chinchilla_law.h"
#include "fits/step_law.h"

namespace boex {

// A complete trial carrying this attribute is a diverged training run: its value is a stand-in
// (a scaling study tells the worst converged loss of the scale) and the attribute holds the
// measured loss. The fits skip such trials.
inline constexpr const char* kDivergedLossAttribute = "diverged_loss";

// Names of the quantities of a run. Each is looked up, in order, among the trial's parameters,
// the trial's attributes and the study's attributes (a study per scale can carry N and D once).
struct ScalingColumns {
  std::string N = "N";       // parameters of the model
  std::string D = "D";       // training tokens
  std::string lr = "lr";     // learning rate (Step Law)
  std::string batch = "bs";  // batch size (Step Law), in the unit StepLawOptions converts to tokens
};

// The complete trials of the studies (diverged ones skipped) as fitter data, loss = the trial's value. Throws
// InvalidArgument for a maximising study (its values are not losses) or a trial without one of the
// quantities (naming the study, the trial and the column) or with one that is not a number.
fits::ChinchillaData chinchilla_data_from_studies(const std::vector<const Study*>& studies, const ScalingColumns& columns);
fits::StepLawData step_law_data_from_studies(const std::vector<const Study*>& studies, const ScalingColumns& columns);

fits::ChinchillaEstimate fit_chinchilla_from_studies(const std::vector<const Study*>& studies, const ScalingColumns& columns,
                                                     const fits::ChinchillaOptions& options = {},
                                                     const fits::BootstrapOptions& bootstrap = {});
fits::StepLawEstimate fit_step_law_from_studies(const std::vector<const Study*>& studies, const ScalingColumns& columns,
                                                const fits::StepLawOptions& options = {},
                                                const fits::BootstrapOptions& bootstrap = {});

// Stores a fits/law_report.h report in the study's attributes under "scaling_law.<law>" (JSON
// text), where `boex trials`/Study::record() and later fits can read it. Returns the key.
std::string save_law_report(Study& study, const nlohmann::json& report);

}  // namespace boex
