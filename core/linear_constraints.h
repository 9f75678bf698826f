// Known constraints on a search space's inputs, as lab users state them: linear limits and
// equalities on float parameters (mixtures summing to a total), "at most k of these are non-zero"
// and parameters one batch must share. ConstraintGeometry is their compiled form on the unit cube.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/polytope_sampler.h"

namespace boex {

struct Parameter;

// min <= sum_j a_j v_j <= max on the parameters' own values (user units, not their encoding);
// min == max is an equality. Only non-log float parameters may appear: a log-scaled parameter's
// constraint would be non-linear in the encoding the optimiser works in, so it is refused.
struct LinearConstraint {
  std::map<std::string, double> coefficients;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool operator==(const LinearConstraint& o) const {
    return coefficients == o.coefficients && min == o.min && max == o.max;
  }
};

// At most max_nonzero of these float parameters are non-zero (each must allow 0: low <= 0 <= high).
// A value counts as zero when |v| <= 1e-9 (high - low).
struct CardinalityConstraint {
  std::vector<std::string> parameters;
  int max_nonzero = 1;
  bool operator==(const CardinalityConstraint& o) const {
    return parameters == o.parameters && max_nonzero == o.max_nonzero;
  }
};

struct InputConstraints {
  std::vector<LinearConstraint> linear;
  std::vector<CardinalityConstraint> cardinality;
  // Float parameters every point of one ask(n) shares (one temperature per plate).
  std::vector<std::string> batch_shared;

  bool empty() const { return linear.empty() && cardinality.empty() && batch_shared.empty(); }
  bool operator==(const InputConstraints& o) const {
    return linear == o.linear && cardinality == o.cardinality && batch_shared == o.batch_shared;
  }
};

// Relative tolerance of a linear constraint on user values: it holds when
// sum_j a_j v_j <= max + tol (and >= min - tol), tol = kLinearTolerance (1 + sum_j |a_j| max(|low_j|, |high_j|)).
constexpr double kLinearTolerance = 1e-6;

// The space JSON's "constraints" array: {"type": "sum", "parameters": [...], "equals": 1} (or
// "min"/"max"), {"type": "linear", "coefficients": {"a": 1, "b": -2}, "min": ..., "max": ...,
// "equals": ...}, {"type": "cardinality", "parameters": [...], "max_nonzero": k},
// {"type": "batch_shared", "parameters": [...]}. InvalidArgument names the entry and field.
InputConstraints constraints_from_json(const nlohmann::json& list);
nlohmann::json constraints_to_json(const InputConstraints& constraints);

// The constraints on the encoded cube: a polytope over the involved float columns (box, linear
// rows, fixed columns), with faces for cardinality supports. Immutable after construction except
// a cache of faces, guarded by a mutex (shared between threads asking the same study).
class ConstraintGeometry {
 public:
  // Validates against the space (unknown, non-float or log parameters, empty sets, bad bounds, an
  // infeasible set, cardinality parameters whose range excludes 0) and throws InvalidArgument.
  // `fixed`: encoded column -> value, extra equalities (a batch's shared values).
  ConstraintGeometry(const InputConstraints& constraints, const std::vector<Parameter>& parameters,
                     const std::vector<int>& offsets, const std::map<int, double>& fixed = {});

  // Encoded columns involved (ascending); every other column is free in the cube.
  const std::vector<int>& columns() const { return columns_; }
  // The involved columns of x (a full encoded point) satisfy everything within `tolerance` (cube units).
  bool satisfied(const Eigen::VectorXd& x, double tolerance = 1e-7) const;
  // n rows over columns(): hit-and-run points of the polytope (with cardinality: of a support
  // drawn at random per point, then on that face). Deterministic given the seed.
  Eigen::MatrixXd sample(int n, std::uint64_t seed) const;
  // x (full, encoded) with its involved columns replaced by the nearest point of the polytope (of
  // the face keeping the largest |value - zero| of each cardinality group).
  Eigen::VectorXd project(const Eigen::VectorXd& x) const;
  // The polytope a local search from x stays on: x's own cardinality face (x must satisfy the
  // constraints), the whole polytope without cardinality.
  std::shared_ptr<const Polytope> face_of(const Eigen::VectorXd& x) const;

 private:
  using Support = std::vector<bool>;  // per involved column: forced to its zero
  std::shared_ptr<const Polytope> face(const Support& zeros) const;
  Support largest_support(const Eigen::VectorXd& local) const;
  Eigen::VectorXd local(const Eigen::VectorXd& x) const;

  std::vector<int> columns_;
  Eigen::MatrixXd G_, E_;  // over columns_
  Eigen::VectorXd h_, e_;
  struct Group {
    std::vector<int> members;  // indices into columns_
    int max_nonzero;
  };
  std::vector<Group> groups_;
  Eigen::VectorXd zero_;  // per involved column: the encoding of value 0 (cardinality members)
  std::vector<Support> feasible_supports_;  // found at construction (cardinality only)
  mutable std::mutex mutex_;
  mutable std::map<Support, std::shared_ptr<const Polytope>> faces_;
};

}  // namespace boex
