#include "core/search_space.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/errors.h"
#include "core/parse_number.h"
#include "core/rng.h"
#include "core/sobol.h"
#include "core/utf8.h"

namespace boex {
namespace {

double transform(const Parameter& p, double v) { return p.log ? std::log(v) : v; }

double to_unit(const Parameter& p, double v) {
  const double lo = transform(p, p.low), hi = transform(p, p.high);
  if (hi == lo) return 0.5;
  return (transform(p, v) - lo) / (hi - lo);
}

double from_unit(const Parameter& p, double u) {
  u = std::clamp(u, 0.0, 1.0);
  const double lo = transform(p, p.low), hi = transform(p, p.high);
  const double t = lo + u * (hi - lo);
  const double v = p.log ? std::exp(t) : t;
  return std::clamp(v, p.low, p.high);  // exp/log round trips may step just outside
}

std::string where(const Parameter& p) { return "parameter '" + printable(p.name) + "'"; }

void check_int_bound(const std::string& name, std::int64_t bound) {
  if (bound < -Parameter::kMaxIntMagnitude || bound > Parameter::kMaxIntMagnitude)
    throw InvalidArgument("search space: int parameter '" + printable(name) + "' has bound " + std::to_string(bound) +
                          "; int bounds must lie within +-2^53 = " + std::to_string(Parameter::kMaxIntMagnitude) +
                          " (use a float parameter for larger numbers)");
}

// Sequence parameters: site j of a value occupies columns [offset + j w, offset + (j + 1) w) and
// holds its letter's code (a row of `codes`); decoding takes the nearest code.
void encode_sequence(const std::string& value, const std::string& alphabet, const Eigen::MatrixXd& codes, int offset,
                     Eigen::VectorXd& x) {
  const auto w = codes.cols();
  for (std::size_t j = 0; j < value.size(); ++j)
    x.segment(offset + static_cast<Eigen::Index>(j) * w, w) = codes.row(static_cast<Eigen::Index>(alphabet.find(value[j]))).transpose();
}

std::string decode_sequence(const Parameter& p, const Eigen::MatrixXd& codes, int offset, const Eigen::VectorXd& x) {
  const auto w = codes.cols();
  std::string value(static_cast<std::size_t>(p.length), ' ');
  for (int j = 0; j < p.length; ++j) {
    const Eigen::VectorXd site = x.segment(offset + j * w, w).cwiseMax(0.0).cwiseMin(1.0);
    Eigen::Index k = 0;
    (codes.rowwise() - site.transpose()).rowwise().squaredNorm().minCoeff(&k);
    value[static_cast<std::size_t>(j)] = p.alphabet[static_cast<std::size_t>(k)];
  }
  return value;
}

}  // namespace

Parameter Parameter::Float(std::string name, double low, double high, bool log) {
  Parameter p;
  p.name = std::move(name);
  p.type = ParameterType::kFloat;
  p.low = low;
  p.high = high;
  p.log = log;
  return p;
}

Parameter Parameter::Int(std::string name, std::int64_t low, std::int64_t high, bool log) {
  check_int_bound(name, low);
  check_int_bound(name, high);
  Parameter p = Float(std::move(name), static_cast<double>(low), static_cast<double>(high), log);
  p.type = ParameterType::kInt;
  return p;
}

Parameter Parameter::Categorical(std::string name, std::vector<std::string> choices) {
  Parameter p;
  p.name = std::move(name);
  p.type = ParameterType::kCategorical;
  p.choices = std::move(choices);
  return p;
}

Parameter Parameter::as_fidelity(double target_value) const {
  Parameter p = *this;
  p.fidelity = true;
  p.target = target_value;
  return p;
}

Parameter Parameter::Sequence(std::string name, int length, std::string alphabet, SiteEmbedding embedding) {
  Parameter p;
  p.name = std::move(name);
  p.type = ParameterType::kSequence;
  p.length = length;
  p.alphabet = std::move(alphabet);
  p.embedding = std::move(embedding);
  return p;
}

int Parameter::encoded_width() const {
  if (type == ParameterType::kSequence) return length * static_cast<int>(embedding.codes(alphabet).cols());
  return type == ParameterType::kCategorical ? static_cast<int>(choices.size()) : 1;
}

SearchSpace::SearchSpace(std::vector<Parameter> parameters) : parameters_(std::move(parameters)) {
  if (parameters_.empty()) throw InvalidArgument("search space: needs at least one parameter");
  std::set<std::string> names;
  const double max_int = static_cast<double>(Parameter::kMaxIntMagnitude);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    if (p.name.empty()) throw InvalidArgument("search space: parameter " + std::to_string(i) + " has no name");
    require_utf8(p.name, "search space: the name of parameter " + std::to_string(i));
    if (!names.insert(p.name).second) throw InvalidArgument("search space: duplicate " + where(p));
    Eigen::MatrixXd codes;
    if (p.type == ParameterType::kSequence) {
      if (p.length < 1) throw InvalidArgument("search space: sequence " + where(p) + " needs length >= 1");
      validate_alphabet(p.alphabet, "search space: sequence " + where(p));
      try {
        codes = p.embedding.codes(p.alphabet);
      } catch (const InvalidArgument& e) {
        throw InvalidArgument("search space: sequence " + where(p) + ": " + e.what());
      }
    } else if (p.type == ParameterType::kCategorical) {
      if (p.choices.empty()) throw InvalidArgument("search space: " + where(p) + " needs at least one choice");
      for (const std::string& c : p.choices) require_utf8(c, "search space: a choice of " + where(p));
      std::set<std::string> unique(p.choices.begin(), p.choices.end());
      if (unique.size() != p.choices.size())
        throw InvalidArgument("search space: " + where(p) + " lists a choice twice");
    } else {
      if (!std::isfinite(p.low) || !std::isfinite(p.high))
        throw InvalidArgument("search space: " + where(p) + " needs finite low and high");
      if (p.low > p.high)
        throw InvalidArgument("search space: " + where(p) + " has low > high");
      if (p.log && p.low <= 0.0)
        throw InvalidArgument("search space: " + where(p) + " is log-scaled, so low must be > 0");
      // The encoding divides by the width; -1e308..1e308 would make it infinite.
      if (!std::isfinite(transform(p, p.high) - transform(p, p.low)))
        throw InvalidArgument("search space: " + where(p) + ": the width high - low = " +
                              format_double(p.high - p.low) + " overflows a double; narrow the range");
      if (p.type == ParameterType::kInt &&
          (p.low != std::floor(p.low) || p.high != std::floor(p.high)))
        throw InvalidArgument("search space: int " + where(p) + " needs integer bounds");
      if (p.type == ParameterType::kInt && (std::abs(p.low) > max_int || std::abs(p.high) > max_int))
        throw InvalidArgument("search space: int " + where(p) + " has bounds beyond +-2^53 = " +
                              std::to_string(Parameter::kMaxIntMagnitude) + " (use a float parameter for larger numbers)");
    }
    if (p.fidelity) {
      // The fidelity kernels and the affine cost read the value linearly, and a fidelity is more
      // accurate the closer it is to the target: so one linear, ordered range ending at it.
      if (fidelity_index_)
        throw InvalidArgument("search space: " + where(p) + " is a second fidelity; a space has at most one");
      if (p.type != ParameterType::kFloat && p.type != ParameterType::kInt)
        throw InvalidArgument("search space: fidelity " + where(p) + " must be a float or an int (ordered levels)");
      if (p.log) throw InvalidArgument("search space: fidelity " + where(p) + " cannot be log-scaled");
      if (!(p.low < p.high)) throw InvalidArgument("search space: fidelity " + where(p) + " needs low < high");
      if (p.target != p.low && p.target != p.high) {
        std::ostringstream os;
        os << "search space: fidelity " << where(p) << " has target " << p.target << "; it must be the low ("
           << p.low << ") or the high (" << p.high << ") end of its range";
        throw InvalidArgument(os.str());
      }
      fidelity_index_ = static_cast<int>(i);
    } else if (p.target != 0.0) {
      throw InvalidArgument("search space: " + where(p) + " has a target but is not a fidelity");
    }
    offsets_.push_back(dimension_);
    const int width = p.type == ParameterType::kSequence ? p.length * static_cast<int>(codes.cols()) : p.encoded_width();
    letter_codes_.push_back(std::move(codes));
    if (p.type == ParameterType::kFloat) {
      continuous_columns_.push_back(dimension_);
    } else {
      discrete_blocks_.push_back({static_cast<int>(i), dimension_, width});
    }
    dimension_ += width;
    // Checked as it grows: a categorical of millions of choices must not overflow the count.
    if (dimension_ > sobol_max_dimension())
      throw InvalidArgument("search space: the parameters up to " + where(p) + " take " + std::to_string(dimension_) +
                            " encoded columns (a categorical takes one per choice), more than the " +
                            std::to_string(sobol_max_dimension()) + " that boex's Sobol designs support");
  }
  if (fidelity_index_ && parameters_.size() == 1)
    throw InvalidArgument("search space: the fidelity '" + parameters_.front().name +
                          "' needs at least one other parameter to optimise");
}

SearchSpace::SearchSpace(std::vector<Parameter> parameters, InputConstraints constraints)
    : SearchSpace(std::move(parameters)) {
  constraints_ = std::move(constraints);
  if (!constraints_.linear.empty() || !constraints_.cardinality.empty())
    geometry_ = std::make_shared<const ConstraintGeometry>(constraints_, parameters_, offsets_);
  else if (!constraints_.batch_shared.empty())
    (void)ConstraintGeometry(constraints_, parameters_, offsets_);  // validates the names only
}

SearchSpace SearchSpace::sharing_batch_values(const Eigen::VectorXd& x) const {
  if (constraints_.batch_shared.empty()) return *this;
  SearchSpace out = *this;
  for (int c : batch_shared_columns()) out.fixed_[c] = std::clamp(x(c), 0.0, 1.0);
  out.geometry_ = std::make_shared<const ConstraintGeometry>(constraints_, parameters_, offsets_, out.fixed_);
  return out;
}

std::vector<int> SearchSpace::batch_shared_columns() const {
  std::vector<int> out;
  for (const std::string& name : constraints_.batch_shared)
    for (std::size_t i = 0; i < parameters_.size(); ++i)
      if (parameters_[i].name == name) out.push_back(offsets_[i]);
  return out;
}

bool SearchSpace::satisfies_constraints(const Eigen::VectorXd& x, double tolerance) const {
  return !geometry_ || geometry_->satisfied(x, tolerance);
}

const Parameter& SearchSpace::parameter(const std::string& name) const {
  for (const Parameter& p : parameters_)
    if (p.name == name) return p;
  throw NotFound("search space has no parameter '" + printable(name) + "'");
}

int SearchSpace::fidelity_column() const {
  if (!fidelity_index_) throw InvalidArgument("search space has no fidelity parameter");
  return offsets_[*fidelity_index_];
}

double SearchSpace::fidelity_target() const {
  if (!fidelity_index_) throw InvalidArgument("search space has no fidelity parameter");
  const Parameter& p = parameters_[*fidelity_index_];
  return p.target == p.high ? 1.0 : 0.0;
}

bool SearchSpace::at_target(const Params& params) const {
  if (!fidelity_index_) return true;
  const Parameter& p = parameters_[*fidelity_index_];
  return as_double(params.at(p.name)) == p.target;
}

SearchSpace SearchSpace::without_fidelity() const {
  if (!fidelity_index_) throw InvalidArgument("search space has no fidelity parameter");
  std::vector<Parameter> design;
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    if (static_cast<int>(i) != *fidelity_index_) design.push_back(parameters_[i]);
  return SearchSpace(std::move(design));
}

void SearchSpace::validate(const Params& params) const {
  check_values(params);
  for (std::size_t i = 0; i < constraints_.linear.size(); ++i) {
    const LinearConstraint& c = constraints_.linear[i];
    double sum = 0.0, scale = 1.0;
    for (const auto& [name, a] : c.coefficients) {
      const Parameter& p = parameter(name);
      sum += a * as_double(params.at(name));
      scale += std::abs(a) * std::max(std::abs(p.low), std::abs(p.high));
    }
    const double tol = kLinearTolerance * scale;
    if (sum > c.max + tol || sum < c.min - tol) {
      std::string terms;
      for (const auto& [name, a] : c.coefficients) terms += (terms.empty() ? "" : " + ") + format_double(a) + " " + printable(name);
      throw InvalidArgument("the point violates input constraint " + std::to_string(i) + ": " + terms + " = " +
                            format_double(sum) + ", allowed [" + format_double(c.min) + ", " + format_double(c.max) + "]");
    }
  }
  for (std::size_t i = 0; i < constraints_.cardinality.size(); ++i) {
    const CardinalityConstraint& c = constraints_.cardinality[i];
    int nonzero = 0;
    for (const std::string& name : c.parameters) {
      const Parameter& p = parameter(name);
      nonzero += std::abs(as_double(params.at(name))) > 1e-9 * (p.high - p.low);
    }
    if (nonzero > c.max_nonzero)
      throw InvalidArgument("the point violates cardinality constraint " + std::to_string(i) + ": " +
                            std::to_string(nonzero) + " of its parameters are non-zero, at most " +
                            std::to_string(c.max_nonzero) + " may be");
  }
}

void SearchSpace::check_values(const Params& params) const {
  for (const auto& [name, value] : params) {
    (void)value;
    if (std::none_of(parameters_.begin(), parameters_.end(), [&n = name](const Parameter& p) { return p.name == n; }))
      throw InvalidArgument("the point has a value for '" + printable(name) + "', which is not a parameter of the space");
  }
  for (const Parameter& p : parameters_) {
    auto it = params.find(p.name);
    if (it == params.end()) throw InvalidArgument("missing value for " + where(p));
    const ParamValue& v = it->second;
    if (p.type == ParameterType::kSequence) {
      const auto* s = std::get_if<std::string>(&v);
      if (!s)
        throw InvalidArgument(where(p) + " is a sequence: give a string of " + std::to_string(p.length) + " letters of " +
                              p.alphabet);
      const std::string problem = sequence_problem(*s, p.length, p.alphabet);
      if (!problem.empty()) throw InvalidArgument(where(p) + ": " + problem);
      continue;
    }
    if (p.type == ParameterType::kCategorical) {
      const auto* s = std::get_if<std::string>(&v);
      if (!s) throw InvalidArgument(where(p) + " is categorical: give one of its choices as a string");
      if (std::find(p.choices.begin(), p.choices.end(), *s) == p.choices.end())
        throw InvalidArgument(where(p) + ": '" + printable(*s) + "' is not one of its choices");
      continue;
    }
    if (std::holds_alternative<std::string>(v))
      throw InvalidArgument(where(p) + " is numeric, got the string '" + printable(std::get<std::string>(v)) + "'");
    const double x = as_double(v);
    if (!std::isfinite(x)) throw InvalidArgument(where(p) + " must be finite, got " + to_string(v));
    if (p.type == ParameterType::kInt && x != std::floor(x))
      throw InvalidArgument(where(p) + " is an integer, got " + to_string(v));
    // An integer is compared as one: through a double, 2^53 + 1 would pass as 2^53. (Int bounds
    // lie within 2^53, so they convert exactly.)
    const auto* i = p.type == ParameterType::kInt ? std::get_if<std::int64_t>(&v) : nullptr;
    const bool outside = i ? (*i < static_cast<std::int64_t>(p.low) || *i > static_cast<std::int64_t>(p.high))
                           : (x < p.low || x > p.high);
    if (outside)
      throw InvalidArgument(where(p) + " = " + to_string(v) + " is out of bounds [" + format_double(p.low) + ", " +
                            format_double(p.high) + "]");
  }
}

Eigen::VectorXd SearchSpace::encode(const Params& params) const {
  check_values(params);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(dimension_);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    const ParamValue& v = params.at(p.name);
    if (p.type == ParameterType::kSequence) {
      encode_sequence(std::get<std::string>(v), p.alphabet, letter_codes_[i], offsets_[i], x);
    } else if (p.type == ParameterType::kCategorical) {
      const auto& s = std::get<std::string>(v);
      const auto k = std::find(p.choices.begin(), p.choices.end(), s) - p.choices.begin();
      x(offsets_[i] + k) = 1.0;
    } else {
      x(offsets_[i]) = to_unit(p, as_double(v));
    }
  }
  return x;
}

Params SearchSpace::decode(const Eigen::VectorXd& x) const {
  if (x.size() != dimension_)
    throw InvalidArgument("decode: point has " + std::to_string(x.size()) + " columns, space has " +
                          std::to_string(dimension_));
  Params params;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    const int o = offsets_[i];
    switch (p.type) {
      case ParameterType::kFloat:
        params[p.name] = from_unit(p, x(o));
        break;
      case ParameterType::kInt:
        params[p.name] = static_cast<std::int64_t>(
            std::clamp(std::round(from_unit(p, x(o))), p.low, p.high));
        break;
      case ParameterType::kCategorical: {
        Eigen::Index k = 0;
        x.segment(o, p.encoded_width()).maxCoeff(&k);
        params[p.name] = p.choices[k];
        break;
      }
      case ParameterType::kSequence:
        params[p.name] = decode_sequence(p, letter_codes_[i], o, x);
        break;
    }
  }
  return params;
}

Eigen::VectorXd SearchSpace::project(const Eigen::VectorXd& x) const {
  Eigen::VectorXd out = encode(decode(x));
  // Keep continuous columns exactly (a log round trip would perturb them in the last bits).
  for (int c : continuous_columns_) out(c) = std::clamp(x(c), 0.0, 1.0);
  return geometry_ ? geometry_->project(out) : out;
}

Eigen::VectorXd SearchSpace::from_uniform(const Eigen::VectorXd& u) const {
  // (Constrained columns are placed afterwards by place_constrained, not projected.)
  Eigen::VectorXd x = encode(decode(u));
  for (int c : continuous_columns_) x(c) = std::clamp(u(c), 0.0, 1.0);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    if (p.type != ParameterType::kSequence) continue;
    const auto k = static_cast<double>(p.alphabet.size());
    std::string value(static_cast<std::size_t>(p.length), ' ');
    for (int j = 0; j < p.length; ++j) {
      // The site's letter comes from column offset + j, one of the block's leading columns, not
      // its first one-hot column (offset + j * w): Sobol's low coordinates spread pairs of sites
      // more evenly than coordinates 20 apart, which repeat pairs of letters.
      const double first = std::clamp(u(offsets_[i] + j), 0.0, 1.0);
      value[static_cast<std::size_t>(j)] = p.alphabet[static_cast<std::size_t>(std::min(std::floor(first * k), k - 1))];
    }
    encode_sequence(value, p.alphabet, letter_codes_[i], offsets_[i], x);
  }
  return x;
}

Eigen::MatrixXd SearchSpace::sobol(int n, std::uint64_t seed, std::uint64_t start) const {
  Eigen::MatrixXd points = sobol_points(n, dimension_, seed, start);
  for (Eigen::Index i = 0; i < points.rows(); ++i) points.row(i) = from_uniform(points.row(i).transpose()).transpose();
  if (geometry_) place_constrained(points, mix_seed(seed, start));
  return points;
}

Eigen::MatrixXd SearchSpace::random(int n, std::uint64_t seed) const {
  Rng rng(seed);
  Eigen::MatrixXd points(n, dimension_);
  for (int i = 0; i < n; ++i) {
    Eigen::VectorXd u(dimension_);
    for (Eigen::Index j = 0; j < u.size(); ++j) u(j) = rng.uniform();
    points.row(i) = from_uniform(u).transpose();
  }
  if (geometry_) place_constrained(points, mix_seed(seed, 0xc0u));
  return points;
}

void SearchSpace::place_constrained(Eigen::MatrixXd& points, std::uint64_t seed) const {
  const Eigen::MatrixXd inside = geometry_->sample(static_cast<int>(points.rows()), seed);
  const std::vector<int>& columns = geometry_->columns();
  for (std::size_t j = 0; j < columns.size(); ++j) points.col(columns[j]) = inside.col(static_cast<Eigen::Index>(j));
}

bool SearchSpace::operator==(const SearchSpace& other) const {
  if (parameters_.size() != other.parameters_.size() || !(constraints_ == other.constraints_) || fixed_ != other.fixed_)
    return false;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter &a = parameters_[i], &b = other.parameters_[i];
    if (a.name != b.name || a.type != b.type || a.low != b.low || a.high != b.high ||
        a.log != b.log || a.choices != b.choices || a.length != b.length || a.alphabet != b.alphabet ||
        !(a.embedding == b.embedding) || a.fidelity != b.fidelity || a.target != b.target)
      return false;
  }
  return true;
}

std::string to_string(const ParamValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  return format_double(std::get<double>(value));
}

double as_double(const ParamValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  throw InvalidArgument("expected a number, got the string '" + std::get<std::string>(value) + "'");
}

}  // namespace boex
