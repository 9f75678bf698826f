// What the user may vary: float, integer (both optionally log-scaled), categorical and sequence
// parameters, one float or int of which may be a fidelity. The space alone maps user values to
// the unit cube the models work in, and back.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/linear_constraints.h"
#include "core/sequence.h"

namespace boex {

enum class ParameterType { kFloat, kInt, kCategorical, kSequence };

// One parameter value in user units: a float, an integer, a categorical choice or a sequence.
using ParamValue = std::variant<double, std::int64_t, std::string>;
// A full configuration, by parameter name.
using Params = std::map<std::string, ParamValue>;

struct Parameter {
  std::string name;
  ParameterType type = ParameterType::kFloat;
  double low = 0.0;                  // float/int: inclusive bounds
  double high = 1.0;
  bool log = false;                  // float/int: encode ln(value); needs low > 0
  std::vector<std::string> choices;  // categorical only
  // A fidelity (multi-fidelity studies): how accurate, and how costly, an experiment is (a mesh,
  // a number of epochs, a quick assay), with `target` the value whose results the study
  // optimises. A float or an int (a few discrete levels), not log-scaled, with the target at the
  // low or the high end of its range: accuracy grows towards the target.
  bool fidelity = false;
  double target = 0.0;
  // Sequence only: a string of `length` letters of `alphabet` (one character each), every site
  // encoded by `embedding`. Each site is one discrete choice; see core/sites.h.
  int length = 0;
  std::string alphabet;
  SiteEmbedding embedding;

  // Integers are carried as doubles (bounds, the unit-cube encoding), which hold every integer up
  // to 2^53 in magnitude exactly and skip some beyond: int bounds must lie within +-2^53.
  static constexpr std::int64_t kMaxIntMagnitude = std::int64_t{1} << 53;

  static Parameter Float(std::string name, double low, double high, bool log = false);
  // Throws InvalidArgument for a bound beyond kMaxIntMagnitude.
  static Parameter Int(std::string name, std::int64_t low, std::int64_t high, bool log = false);
  static Parameter Categorical(std::string name, std::vector<std::string> choices);
  static Parameter Sequence(std::string name, int length, std::string alphabet = kAminoAcids,
                            SiteEmbedding embedding = SiteEmbedding());
  // This parameter as the space's fidelity, optimised at `target`.
  Parameter as_fidelity(double target) const;

  // Columns this parameter takes in the unit-cube encoding (one-hot for categoricals; the
  // embedding's width per site for sequences).
  int encoded_width() const;
};

// A contiguous group of encoded columns that only takes discrete values (an int, a one-hot
// categorical or a whole sequence); the acquisition optimiser searches these by discrete moves,
// not by rounding alone.
struct DiscreteBlock {
  int parameter;  // index into parameters()
  int offset;     // first encoded column
  int width;      // 1 for an int, the number of choices for a categorical, every site's for a sequence
};

class SearchSpace {
 public:
  SearchSpace() = default;
  // Validates names and choices (non-empty, unique, UTF-8), bounds (finite, low <= high, a finite
  // width, low > 0 for log, int bounds integers within Parameter::kMaxIntMagnitude) and the
  // encoded width (at most sobol_max_dimension() columns, a categorical taking one per choice).
  explicit SearchSpace(std::vector<Parameter> parameters);
  // With known input constraints (core/linear_constraints.h), validated against the parameters:
  // InvalidArgument for unknown, non-float or log-scaled parameters, empty sets, or constraints no
  // point satisfies.
  SearchSpace(std::vector<Parameter> parameters, InputConstraints constraints);

  const InputConstraints& constraints() const { return constraints_; }
  // Linear, cardinality or fixed constraints restrict the cube (batch_shared alone does not).
  bool constrained() const { return geometry_ != nullptr; }
  const ConstraintGeometry* geometry() const { return geometry_.get(); }
  // The same space with the batch-shared parameters fixed at x's values (an equality each): the
  // space the rest of a batch is chosen in. *this when there are none.
  SearchSpace sharing_batch_values(const Eigen::VectorXd& x) const;
  // The batch-shared parameters' encoded columns.
  std::vector<int> batch_shared_columns() const;
  // The encoded point satisfies the input constraints (cube units; see ConstraintGeometry).
  bool satisfies_constraints(const Eigen::VectorXd& x, double tolerance = 1e-7) const;

  const std::vector<Parameter>& parameters() const { return parameters_; }
  std::size_t size() const { return parameters_.size(); }
  int dimension() const { return dimension_; }  // encoded columns
  const std::vector<int>& continuous_columns() const { return continuous_columns_; }
  const std::vector<DiscreteBlock>& discrete_blocks() const { return discrete_blocks_; }
  const Parameter& parameter(const std::string& name) const;

  // Multi-fidelity spaces: the fidelity parameter's index (nullopt when there is none), its
  // encoded column, and that column's value at the target (0 or 1).
  std::optional<int> fidelity_index() const { return fidelity_index_; }
  int fidelity_column() const;
  double fidelity_target() const;
  // Whether params (valid for this space) are at the target fidelity; true without a fidelity.
  bool at_target(const Params& params) const;
  // The space of the other (design) parameters: what a strategy that does not model the fidelity
  // optimises, every trial at the target. InvalidArgument when the space has no fidelity.
  SearchSpace without_fidelity() const;

  // Throws InvalidArgument naming the parameter when params miss one, add an unknown one, hold a
  // non-finite number, a non-integer for an int, a value out of bounds or an unknown choice; and
  // naming the constraint when a linear one fails by more than its tolerance (kLinearTolerance)
  // or a cardinality one counts too many non-zero values.
  void validate(const Params& params) const;
  // User values -> a point of [0,1]^dimension (validates first).
  Eigen::VectorXd encode(const Params& params) const;
  // A point of the cube (clamped to it) -> user values: ints rounded, categoricals by largest
  // column, each sequence site to the letter whose code is nearest.
  Params decode(const Eigen::VectorXd& x) const;
  // The nearest encodable point: encode(decode(x)). Identity on continuous columns inside the cube.
  // Constrained spaces: then the constrained columns' Euclidean projection onto the constraints.
  Eigen::VectorXd project(const Eigen::VectorXd& x) const;
  // A uniform point u of the cube -> an encodable point whose values are uniformly distributed:
  // project(u), except that site j of a sequence takes letter floor(u_c K) from column c = offset + j
  // of its block (the nearest code of a uniform point would favour central letters of an embedding).
  Eigen::VectorXd from_uniform(const Eigen::VectorXd& u) const;
  // Scrambled-Sobol points [start, start + n) of this space's cube, mapped by from_uniform
  // (rows): initial designs, raw samples of the acquisition optimiser. Constrained spaces: the
  // constrained columns come from a hit-and-run chain of the polytope seeded by (seed, start)
  // instead (ConstraintGeometry::sample), the others stay Sobol's.
  Eigen::MatrixXd sobol(int n, std::uint64_t seed, std::uint64_t start = 0) const;
  // n uniform random points (rows) of the cube mapped by from_uniform, constrained columns as in sobol().
  Eigen::MatrixXd random(int n, std::uint64_t seed) const;
  // The first encoded column of parameter i.
  int offset(std::size_t i) const { return offsets_[i]; }
  // Sequence parameter i: the encoded columns of each letter of its alphabet (letters x width).
  const Eigen::MatrixXd& letter_codes(std::size_t i) const { return letter_codes_[i]; }

  bool operator==(const SearchSpace& other) const;

 private:
  std::vector<Parameter> parameters_;
  std::vector<int> offsets_;
  std::vector<Eigen::MatrixXd> letter_codes_;  // per parameter; empty unless a sequence
  int dimension_ = 0;
  std::vector<int> continuous_columns_;
  std::vector<DiscreteBlock> discrete_blocks_;
  std::optional<int> fidelity_index_;
  InputConstraints constraints_;
  std::map<int, double> fixed_;  // encoded column -> value (a batch's shared values)
  std::shared_ptr<const ConstraintGeometry> geometry_;

  void check_values(const Params& params) const;  // validate() without the constraints
  void place_constrained(Eigen::MatrixXd& points, std::uint64_t seed) const;
};

// Human-readable value ("0.25", "3", "water") for messages and progress lines.
std::string to_string(const ParamValue& value);
// Numeric value of a float or int parameter value; throws for a categorical.
double as_double(const ParamValue& value);

}  // namespace boex
