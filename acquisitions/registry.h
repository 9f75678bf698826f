// Acquisitions by name, for strategies chosen at run time. Each entry declares its traits (how a
// strategy feeds it: pending points, constraints, a discretisation) and what it needs of the
// model, so that only workable surrogate/acquisition pairs become strategies.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "acquisitions/acquisition.h"
#include "acquisitions/fidelity.h"
#include "surrogates/surrogate.h"

namespace boex {

// Everything an acquisition may need; each takes what it uses. Models must outlive it.
struct AcquisitionInputs {
  const Surrogate* objective = nullptr;       // posterior of the objective (maximised)
  std::vector<const Surrogate*> constraints;  // posterior of each constraint c_k (feasible: c_k <= 0)
  Eigen::MatrixXd X_observed;                 // complete trials, encoded (n x d)
  Eigen::MatrixXd X_pending;                  // pending trials, for acquisitions that handle them
  double best = 0.0;                          // incumbent: best feasible observed objective
  bool any_feasible = true;                   // false: maximise the probability of feasibility
  Eigen::MatrixXd discretization;             // the knowledge gradient's set A (M x d)
  double beta = 4.0;                          // UCB's exploration weight
  int num_samples = 256;                      // base samples of Monte-Carlo acquisitions
  std::uint64_t seed = 0;                     // base samples of Monte-Carlo acquisitions
  // Multi-fidelity studies whose model sees the fidelity: its column, target and the cost model.
  FidelityInputs fidelity;
};

// What an acquisition needs of its models (Capabilities in surrogate.h).
enum class ModelNeed {
  kMarginals,       // Gaussian marginals, or a predictive distribution computing its own EI/PI
  kJoint,           // a joint Gaussian posterior with exact fantasies (look-ahead acquisitions)
  kJointOrSamples,  // joint Gaussian samples, or the model's own function draws
};
bool satisfies(const Capabilities& capabilities, ModelNeed need);
std::string describe(ModelNeed need);

// How an acquisition treats a fidelity parameter, which decides the surrogates it pairs with: a
// model of the fidelity (Capabilities::fidelity) needs an acquisition that chooses the fidelity.
enum class FidelityUse {
  kNone,       // knows none: pairs only with models without a fidelity
  kCostAware,  // with inputs.fidelity active, chooses the fidelity too, valuing information at the
               // target per unit cost; as usual without one (pairs with both kinds of model)
  kRequired,   // only with a fidelity (pairs only with models of one)
};

struct AcquisitionTraits {
  bool log_space = true;              // a log utility: constraints combine by adding ln P(feasible)
  bool handles_pending = false;       // pending points enter the acquisition (else: kriging believer)
  bool handles_constraints = false;   // constraints enter the acquisition itself
  bool needs_discretization = false;  // reads inputs.discretization
  ModelNeed needs = ModelNeed::kMarginals;
  FidelityUse fidelity = FidelityUse::kNone;
};

// With constraints, an acquisition that does not handle them becomes base + sum ln P(c_k <= 0)
// (log-space ones only), and while nothing feasible is known, feasibility alone.
// Throws NotFound listing the names, InvalidArgument for constraints on a non-log acquisition or
// a model that lacks what the acquisition needs.
std::unique_ptr<Acquisition> make_acquisition(const std::string& name, const AcquisitionInputs& inputs);
AcquisitionTraits acquisition_traits(const std::string& name);
std::vector<std::string> acquisition_names();
// The names whose needs a model with these capabilities meets (for a model of a fidelity, those
// that choose the fidelity; for others, those that need none).
std::vector<std::string> acquisitions_supported_by(const Capabilities& capabilities);
// Why acquisition `name` cannot use a model with these capabilities ("" when it can).
std::string unsupported_reason(const std::string& name, const Capabilities& capabilities);

}  // namespace boex
