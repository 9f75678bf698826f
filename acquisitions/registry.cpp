// The one place acquisitions are registered by name: a new acquisition adds one line here.
#include "acquisitions/registry.h"

#include <functional>
#include <map>

#include "acquisitions/expected_improvement.h"
#include "acquisitions/log_ei.h"
#include "acquisitions/log_probability_of_improvement.h"
#include "acquisitions/upper_confidence_bound.h"
#include "core/errors.h"

namespace boex {
namespace {

using Factory = std::function<std::unique_ptr<Acquisition>(const Surrogate&, const AcquisitionContext&)>;

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> factories = {
      {"logei", [](const Surrogate& m, const AcquisitionContext& c) { return std::make_unique<LogExpectedImprovement>(m, c.best); }},
      {"ei", [](const Surrogate& m, const AcquisitionContext& c) { return std::make_unique<ExpectedImprovement>(m, c.best); }},
      {"ucb", [](const Surrogate& m, const AcquisitionContext& c) { return std::make_unique<UpperConfidenceBound>(m, c.beta); }},
      {"logpi", [](const Surrogate& m, const AcquisitionContext& c) { return std::make_unique<LogProbabilityOfImprovement>(m, c.best); }},
  };
  return factories;
}

}  // namespace

std::vector<std::string> acquisition_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

std::unique_ptr<Acquisition> make_acquisition(const std::string& name, const Surrogate& model,
                                              const AcquisitionContext& context) {
  auto it = registry().find(name);
  if (it == registry().end()) {
    std::string known;
    for (const auto& n : acquisition_names()) known += (known.empty() ? "" : ", ") + n;
    throw NotFound("unknown acquisition '" + name + "' (known: " + known + ")");
  }
  return it->second(model, context);
}

}  // namespace boex
