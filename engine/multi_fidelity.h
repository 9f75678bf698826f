// How the engine prices and models a multi-fidelity study (one whose search space has a fidelity
// parameter): the cost of an experiment, declared affine in the fidelity's value (BoTorch's
// AffineFidelityCostModel) or modelled from the costs told with results; and where the models
// find the fidelity among the encoded columns.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/search_space.h"
#include "surrogates/kernel.h"

namespace boex {

// cost = fixed + weight * s, with s the fidelity's value in user units (5 + s for BoTorch's
// augmented test problems). Stored in the study's settings as "cost": {"fixed": f, "weight": w}.
struct AffineCost {
  double fixed = 1.0;
  double weight = 0.0;

  double at(double fidelity_value) const { return fixed + weight * fidelity_value; }
  // InvalidArgument (naming the field) unless both are finite and the cost is > 0 over the whole
  // range of the space's fidelity; also when the space has no fidelity.
  void validate(const SearchSpace& space) const;
};

// The declared cost in a study's settings (a JSON object's text), nullopt when none is declared;
// and the settings with `cost` stored under its key.
std::optional<AffineCost> cost_from_settings(const std::string& settings);
std::string settings_with_cost(const std::string& settings, const AffineCost& cost);

// Checks a told cost: finite and >= 0 (a cached or failed experiment may have cost nothing).
void validate_cost(double cost);

// Where a model of the fidelity finds it in the space's encoding (an int fidelity is discrete,
// with one level per value).
FidelityColumn fidelity_column(const SearchSpace& space);

// What an experiment at an encoded point costs, with its gradient: the declared affine cost, or,
// without one, exp of a GP's mean fitted to ln(cost) of the points (rows of X) whose cost was told
// (NaN where not); 1 everywhere while no cost is known, so fidelities are then weighed by what
// they tell alone.
using CostFunction = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd* gradient)>;
CostFunction cost_function(const SearchSpace& space, const std::optional<AffineCost>& declared, const Eigen::MatrixXd& X,
                           const Eigen::VectorXd& costs, std::uint64_t seed);

}  // namespace boex
