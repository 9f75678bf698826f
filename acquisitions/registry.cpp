// The one place acquisitions are registered by name: a new acquisition adds one line here.
#include "acquisitions/registry.h"

#include <functional>
#include <map>

#include "acquisitions/expected_improvement.h"
#include "acquisitions/log_augmented_ei.h"
#include "acquisitions/log_constrained.h"
#include "acquisitions/log_ei.h"
#include "acquisitions/log_knowledge_gradient.h"
#include "acquisitions/log_noisy_ei.h"
#include "acquisitions/log_probability_of_improvement.h"
#include "acquisitions/multi_fidelity_knowledge_gradient.h"
#include "acquisitions/qlog_nei.h"
#include "acquisitions/upper_confidence_bound.h"
#include "core/errors.h"
#include "core/registry.h"

namespace boex {
namespace {

using Factory = std::function<std::unique_ptr<Acquisition>(const AcquisitionInputs&)>;

struct Entry {
  Factory make;
  AcquisitionTraits traits;
};

AcquisitionTraits traits(bool log_space, ModelNeed needs = ModelNeed::kMarginals, bool pending = false,
                         bool constraints = false, bool discretization = false, FidelityUse fidelity = FidelityUse::kNone) {
  return {log_space, pending, constraints, discretization, needs, fidelity};
}

// The knowledge gradient, at the target fidelity per unit cost when the model sees a fidelity.
std::unique_ptr<Acquisition> knowledge_gradient(const AcquisitionInputs& in) {
  if (in.fidelity.active())
    return std::make_unique<LogMultiFidelityKnowledgeGradient>(*in.objective, in.discretization, in.fidelity);
  return std::make_unique<LogKnowledgeGradient>(*in.objective, in.discretization);
}

std::unique_ptr<Acquisition> qlognei(const AcquisitionInputs& in) {
  Eigen::MatrixXd baseline = in.X_observed;
  if (in.X_pending.rows() > 0) {
    baseline.conservativeResize(in.X_observed.rows() + in.X_pending.rows(), Eigen::NoChange);
    baseline.bottomRows(in.X_pending.rows()) = in.X_pending;
  }
  QLogNeiOptions options;
  options.num_samples = in.num_samples;
  options.seed = in.seed;
  return std::make_unique<QLogNoisyExpectedImprovement>(*in.objective, in.constraints, baseline, options);
}

const std::map<std::string, Entry>& registry() {
  using A = const AcquisitionInputs&;
  using N = ModelNeed;
  static const std::map<std::string, Entry> entries = {
      {"logei", {[](A in) { return std::make_unique<LogExpectedImprovement>(*in.objective, in.best); }, traits(true)}},
      {"ei", {[](A in) { return std::make_unique<ExpectedImprovement>(*in.objective, in.best); }, traits(false)}},
      {"ucb", {[](A in) { return std::make_unique<UpperConfidenceBound>(*in.objective, in.beta); }, traits(false)}},
      {"pi", {[](A in) { return std::make_unique<LogProbabilityOfImprovement>(*in.objective, in.best); }, traits(true)}},
      {"nei", {[](A in) { return std::make_unique<LogNoisyExpectedImprovement>(*in.objective, in.X_observed); },
               traits(true, N::kJoint)}},
      {"kg", {knowledge_gradient, traits(true, N::kJoint, false, false, true, FidelityUse::kCostAware)}},
      {"aei", {[](A in) { return std::make_unique<LogAugmentedExpectedImprovement>(*in.objective, in.X_observed, in.fidelity); },
               traits(true, N::kJoint, false, false, false, FidelityUse::kRequired)}},
      {"qlognei", {qlognei, traits(true, N::kJointOrSamples, true, true)}},
  };
  return entries;
}

const Entry& entry(const std::string& name) { return registered(registry(), name, "acquisition"); }

bool pairs(const AcquisitionTraits& traits, const Capabilities& c) {
  if (!satisfies(c, traits.needs)) return false;
  return c.fidelity ? traits.fidelity != FidelityUse::kNone : traits.fidelity != FidelityUse::kRequired;
}

void require_support(const std::string& name, const Entry& e, const Surrogate& model) {
  const std::string reason = unsupported_reason(name, model.capabilities());
  if (!reason.empty()) throw InvalidArgument(reason + " (surrogate '" + model.name() + "')");
}

}  // namespace

bool satisfies(const Capabilities& c, ModelNeed need) {
  switch (need) {
    case ModelNeed::kMarginals: return c.gaussian_marginals || c.distribution;
    case ModelNeed::kJoint: return c.joint;
    case ModelNeed::kJointOrSamples: return c.joint || c.samples;
  }
  return false;
}

std::string describe(ModelNeed need) {
  switch (need) {
    case ModelNeed::kMarginals: return "Gaussian marginals or a predictive distribution";
    case ModelNeed::kJoint: return "a joint posterior";
    case ModelNeed::kJointOrSamples: return "a joint posterior or function samples";
  }
  return "";
}

std::vector<std::string> acquisition_names() { return registered_names(registry()); }

std::vector<std::string> acquisitions_supported_by(const Capabilities& capabilities) {
  std::vector<std::string> names;
  for (const auto& [name, e] : registry())
    if (pairs(e.traits, capabilities)) names.push_back(name);
  return names;
}

std::string unsupported_reason(const std::string& name, const Capabilities& c) {
  const AcquisitionTraits t = entry(name).traits;
  if (!satisfies(c, t.needs)) return "acquisition '" + name + "' needs " + describe(t.needs) + "; the surrogate offers " + c.describe();
  if (c.fidelity && t.fidelity == FidelityUse::kNone) {
    std::vector<std::string> able;
    for (const auto& [other, o] : registry())
      if (o.traits.fidelity != FidelityUse::kNone) able.push_back(other);
    return "acquisition '" + name + "' cannot choose a fidelity; a model of the fidelity pairs with the multi-fidelity "
           "acquisitions: " + join(able);
  }
  if (!c.fidelity && t.fidelity == FidelityUse::kRequired)
    return "acquisition '" + name + "' chooses a fidelity; it needs a surrogate that models one (mf-gp)";
  return "";
}

AcquisitionTraits acquisition_traits(const std::string& name) { return entry(name).traits; }

std::unique_ptr<Acquisition> make_acquisition(const std::string& name, const AcquisitionInputs& inputs) {
  const Entry& e = entry(name);
  if (!inputs.objective) throw InvalidArgument("make_acquisition: no objective model");
  require_support(name, e, *inputs.objective);
  if (e.traits.fidelity == FidelityUse::kRequired && !inputs.fidelity.active())
    throw InvalidArgument("acquisition '" + name + "' needs the study's fidelity column (a search space with a fidelity parameter)");
  for (const Surrogate* c : inputs.constraints) require_support(name, e, *c);
  if (inputs.constraints.empty()) return e.make(inputs);
  if (!e.traits.log_space) {
    std::vector<std::string> able;
    for (const auto& [other, o] : registry())
      if (o.traits.log_space) able.push_back(other);
    throw InvalidArgument("acquisition '" + name + "' cannot handle constraints; use one of: " + join(able));
  }
  if (!inputs.any_feasible) return std::make_unique<LogConstrainedAcquisition>(nullptr, inputs.constraints);
  if (e.traits.handles_constraints) return e.make(inputs);
  return std::make_unique<LogConstrainedAcquisition>(e.make(inputs), inputs.constraints);
}

}  // namespace boex
