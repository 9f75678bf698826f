#include "core/linear_constraints.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "core/errors.h"
#include "core/rng.h"
#include "core/search_space.h"
#include "core/utf8.h"

namespace boex {
namespace {

using json = nlohmann::json;

// Joint cardinality supports tried at construction when there are more than this.
constexpr int kSupportTrials = 256;
// Feasible supports kept for projections and sampling fallbacks.
constexpr std::size_t kSupportsKept = 64;

double number(const json& entry, const char* key, const std::string& where) {
  const auto it = entry.find(key);
  if (!it->is_number()) throw InvalidArgument(where + ": '" + key + "' must be a number");
  const double v = it->get<double>();
  if (!std::isfinite(v)) throw InvalidArgument(where + ": '" + key + "' must be finite");
  return v;
}

std::vector<std::string> names(const json& entry, const std::string& where) {
  const auto it = entry.find("parameters");
  if (it == entry.end() || !it->is_array()) throw InvalidArgument(where + ": 'parameters' must be an array of names");
  std::vector<std::string> out;
  for (const json& n : *it) {
    if (!n.is_string()) throw InvalidArgument(where + ": 'parameters' must be an array of names");
    out.push_back(n.get<std::string>());
  }
  return out;
}

// "min"/"max"/"equals" of a linear or sum entry.
void bounds(const json& entry, const std::string& where, LinearConstraint* c) {
  if (entry.contains("equals")) {
    if (entry.contains("min") || entry.contains("max"))
      throw InvalidArgument(where + ": give either 'equals' or 'min'/'max'");
    c->min = c->max = number(entry, "equals", where);
    return;
  }
  if (entry.contains("min")) c->min = number(entry, "min", where);
  if (entry.contains("max")) c->max = number(entry, "max", where);
}

void only_fields(const json& entry, const std::set<std::string>& allowed, const std::string& where) {
  for (auto it = entry.begin(); it != entry.end(); ++it)
    if (!allowed.count(it.key())) throw InvalidArgument(where + ": unknown field '" + printable(it.key()) + "'");
}

std::string label(std::size_t i, const char* kind) { return "constraint " + std::to_string(i) + " (" + kind + ")"; }

}  // namespace

InputConstraints constraints_from_json(const json& list) {
  if (!list.is_array()) throw InvalidArgument("search space: 'constraints' must be an array");
  InputConstraints out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    std::string where = "search space constraint " + std::to_string(i);
    if (!entry.is_object() || !entry.contains("type") || !entry["type"].is_string())
      throw InvalidArgument(where + ": must be an object with a 'type' (sum, linear, cardinality, batch_shared)");
    const std::string type = entry["type"].get<std::string>();
    where += " (" + printable(type) + ")";
    if (type == "sum") {
      only_fields(entry, {"type", "parameters", "equals", "min", "max"}, where);
      LinearConstraint c;
      for (const std::string& n : names(entry, where)) c.coefficients[n] += 1.0;
      bounds(entry, where, &c);
      out.linear.push_back(c);
    } else if (type == "linear") {
      only_fields(entry, {"type", "coefficients", "equals", "min", "max"}, where);
      const auto it = entry.find("coefficients");
      if (it == entry.end() || !it->is_object())
        throw InvalidArgument(where + ": 'coefficients' must be an object {\"name\": number}");
      LinearConstraint c;
      for (auto k = it->begin(); k != it->end(); ++k) {
        if (!k->is_number()) throw InvalidArgument(where + ": coefficient of '" + printable(k.key()) + "' must be a number");
        c.coefficients[k.key()] = k->get<double>();
      }
      bounds(entry, where, &c);
      out.linear.push_back(c);
    } else if (type == "cardinality") {
      only_fields(entry, {"type", "parameters", "max_nonzero"}, where);
      CardinalityConstraint c;
      c.parameters = names(entry, where);
      if (!entry.contains("max_nonzero") || !entry["max_nonzero"].is_number_integer())
        throw InvalidArgument(where + ": 'max_nonzero' must be an integer");
      c.max_nonzero = entry["max_nonzero"].get<int>();
      out.cardinality.push_back(c);
    } else if (type == "batch_shared") {
      only_fields(entry, {"type", "parameters"}, where);
      for (const std::string& n : names(entry, where)) out.batch_shared.push_back(n);
      if (out.batch_shared.empty()) throw InvalidArgument(where + ": 'parameters' is empty");
    } else {
      throw InvalidArgument(where + ": unknown type (sum, linear, cardinality, batch_shared)");
    }
  }
  return out;
}

json constraints_to_json(const InputConstraints& constraints) {
  json list = json::array();
  for (const LinearConstraint& c : constraints.linear) {
    json entry = {{"type", "linear"}, {"coefficients", c.coefficients}};
    if (c.min == c.max) {
      entry["equals"] = c.min;
    } else {
      if (std::isfinite(c.min)) entry["min"] = c.min;
      if (std::isfinite(c.max)) entry["max"] = c.max;
    }
    list.push_back(entry);
  }
  for (const CardinalityConstraint& c : constraints.cardinality)
    list.push_back({{"type", "cardinality"}, {"parameters", c.parameters}, {"max_nonzero", c.max_nonzero}});
  if (!constraints.batch_shared.empty())
    list.push_back({{"type", "batch_shared"}, {"parameters", constraints.batch_shared}});
  return list;
}

ConstraintGeometry::ConstraintGeometry(const InputConstraints& constraints, const std::vector<Parameter>& parameters,
                                       const std::vector<int>& offsets, const std::map<int, double>& fixed) {
  // Every parameter named must be a plain (non-log) float: its value is then affine in its column.
  const auto find = [&](const std::string& name, const std::string& where) -> std::size_t {
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      if (parameters[i].name != name) continue;
      const Parameter& p = parameters[i];
      if (p.type != ParameterType::kFloat)
        throw InvalidArgument(where + ": parameter '" + printable(name) +
                              "' is not a float; input constraints apply to float parameters only");
      if (p.log)
        throw InvalidArgument(where + ": parameter '" + printable(name) +
                              "' is log-scaled; linear constraints apply to a parameter's own value, which is not "
                              "linear in its log encoding, so they are refused (use a plain float parameter)");
      return i;
    }
    throw InvalidArgument(where + ": unknown parameter '" + printable(name) + "'");
  };
  std::set<int> involved;
  for (std::size_t i = 0; i < constraints.linear.size(); ++i) {
    const LinearConstraint& c = constraints.linear[i];
    const std::string where = label(i, "linear");
    if (c.coefficients.empty()) throw InvalidArgument(where + ": names no parameter");
    if (std::isnan(c.min) || std::isnan(c.max) || c.min == std::numeric_limits<double>::infinity() ||
        c.max == -std::numeric_limits<double>::infinity())
      throw InvalidArgument(where + ": bounds must be numbers (min may be -inf, max +inf)");
    if (!std::isfinite(c.min) && !std::isfinite(c.max)) throw InvalidArgument(where + ": needs a min, a max or equals");
    if (c.min > c.max) throw InvalidArgument(where + ": min > max");
    for (const auto& [name, a] : c.coefficients) {
      if (!std::isfinite(a)) throw InvalidArgument(where + ": coefficient of '" + printable(name) + "' is not finite");
      involved.insert(offsets[find(name, where)]);
    }
  }
  for (std::size_t i = 0; i < constraints.cardinality.size(); ++i) {
    const CardinalityConstraint& c = constraints.cardinality[i];
    const std::string where = label(i, "cardinality");
    if (c.parameters.empty()) throw InvalidArgument(where + ": names no parameter");
    if (c.max_nonzero < 1) throw InvalidArgument(where + ": max_nonzero must be >= 1");
    if (std::set<std::string>(c.parameters.begin(), c.parameters.end()).size() != c.parameters.size())
      throw InvalidArgument(where + ": names a parameter twice");
    for (const std::string& name : c.parameters) {
      const Parameter& p = parameters[find(name, where)];
      if (!(p.low <= 0.0 && 0.0 <= p.high))
        throw InvalidArgument(where + ": parameter '" + printable(name) + "' cannot be zero (its range excludes 0)");
      involved.insert(offsets[find(name, where)]);
    }
  }
  for (std::size_t i = 0; i < constraints.batch_shared.size(); ++i)
    find(constraints.batch_shared[i], "batch_shared");
  for (const auto& [column, value] : fixed) involved.insert(column);
  columns_.assign(involved.begin(), involved.end());
  const auto local_index = [&](int column) {
    return static_cast<Eigen::Index>(std::lower_bound(columns_.begin(), columns_.end(), column) - columns_.begin());
  };
  const auto m = static_cast<Eigen::Index>(columns_.size());

  // Rows on the encoding: v_j = low_j + (high_j - low_j) u_j.
  std::vector<Eigen::VectorXd> g_rows, e_rows;
  std::vector<double> g_rhs, e_rhs;
  for (const LinearConstraint& c : constraints.linear) {
    Eigen::VectorXd row = Eigen::VectorXd::Zero(m);
    double shift = 0.0;
    for (const auto& [name, a] : c.coefficients) {
      const std::size_t i = find(name, "");
      const Parameter& p = parameters[i];
      row(local_index(offsets[i])) += a * (p.high - p.low);
      shift += a * p.low;
    }
    if (c.min == c.max) {
      e_rows.push_back(row);
      e_rhs.push_back(c.min - shift);
      continue;
    }
    if (std::isfinite(c.max)) {
      g_rows.push_back(row);
      g_rhs.push_back(c.max - shift);
    }
    if (std::isfinite(c.min)) {
      g_rows.push_back(-row);
      g_rhs.push_back(shift - c.min);
    }
  }
  for (const auto& [column, value] : fixed) {
    Eigen::VectorXd row = Eigen::VectorXd::Zero(m);
    row(local_index(column)) = 1.0;
    e_rows.push_back(row);
    e_rhs.push_back(value);
  }
  G_.resize(static_cast<Eigen::Index>(g_rows.size()), m);
  h_.resize(G_.rows());
  for (std::size_t r = 0; r < g_rows.size(); ++r) {
    G_.row(static_cast<Eigen::Index>(r)) = g_rows[r].transpose();
    h_(static_cast<Eigen::Index>(r)) = g_rhs[r];
  }
  E_.resize(static_cast<Eigen::Index>(e_rows.size()), m);
  e_.resize(E_.rows());
  for (std::size_t r = 0; r < e_rows.size(); ++r) {
    E_.row(static_cast<Eigen::Index>(r)) = e_rows[r].transpose();
    e_(static_cast<Eigen::Index>(r)) = e_rhs[r];
  }
  zero_ = Eigen::VectorXd::Zero(m);
  for (const CardinalityConstraint& c : constraints.cardinality) {
    Group g{{}, c.max_nonzero};
    for (const std::string& name : c.parameters) {
      const std::size_t i = find(name, "");
      const Parameter& p = parameters[i];
      const Eigen::Index j = local_index(offsets[i]);
      g.members.push_back(static_cast<int>(j));
      zero_(j) = p.high == p.low ? 0.5 : (0.0 - p.low) / (p.high - p.low);
    }
    groups_.push_back(g);
  }

  if (face(Support(static_cast<std::size_t>(m), false))->empty())
    throw InvalidArgument("search space constraints admit no point: the linear constraints and parameter bounds "
                          "are infeasible together");
  if (groups_.empty()) return;
  // Cardinality: some choice of at most k non-zero members per group must leave a feasible face.
  // Joint supports are enumerated when few, drawn at random (seeded) otherwise.
  Rng rng(0xca4d);
  for (int trial = 0; trial < kSupportTrials && feasible_supports_.size() < kSupportsKept; ++trial) {
    Support zeros(static_cast<std::size_t>(m), false);
    for (const Group& g : groups_) {
      std::vector<int> order = g.members;
      if (trial > 0)
        for (std::size_t k = 0; k + 1 < order.size(); ++k) std::swap(order[k], order[k + rng.index(order.size() - k)]);
      for (std::size_t k = static_cast<std::size_t>(g.max_nonzero); k < order.size(); ++k)
        zeros[static_cast<std::size_t>(order[k])] = true;
    }
    if (std::find(feasible_supports_.begin(), feasible_supports_.end(), zeros) != feasible_supports_.end()) continue;
    if (!face(zeros)->empty()) feasible_supports_.push_back(zeros);
  }
  if (feasible_supports_.empty())
    throw InvalidArgument("search space constraints admit no point: no choice of non-zero parameters allowed by the "
                          "cardinality constraints satisfies the linear constraints (" +
                          std::to_string(kSupportTrials) + " choices tried)");
}

std::shared_ptr<const Polytope> ConstraintGeometry::face(const Support& zeros) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = faces_.find(zeros);
    if (it != faces_.end()) return it->second;
  }
  const auto m = static_cast<Eigen::Index>(columns_.size());
  const auto nz = std::count(zeros.begin(), zeros.end(), true);
  Eigen::MatrixXd E(E_.rows() + nz, m);
  Eigen::VectorXd e(E.rows());
  E.topRows(E_.rows()) = E_;
  e.head(E_.rows()) = e_;
  Eigen::Index r = E_.rows();
  for (Eigen::Index j = 0; j < m; ++j) {
    if (!zeros[static_cast<std::size_t>(j)]) continue;
    E.row(r) = Eigen::RowVectorXd::Unit(m, j);
    e(r++) = zero_(j);
  }
  auto polytope = std::make_shared<const Polytope>(G_, h_, E, e);
  std::lock_guard<std::mutex> lock(mutex_);
  return faces_.emplace(zeros, std::move(polytope)).first->second;
}

Eigen::VectorXd ConstraintGeometry::local(const Eigen::VectorXd& x) const {
  Eigen::VectorXd u(static_cast<Eigen::Index>(columns_.size()));
  for (std::size_t j = 0; j < columns_.size(); ++j) u(static_cast<Eigen::Index>(j)) = x(columns_[j]);
  return u;
}

ConstraintGeometry::Support ConstraintGeometry::largest_support(const Eigen::VectorXd& u) const {
  Support zeros(columns_.size(), false);
  for (const Group& g : groups_) {
    std::vector<int> order = g.members;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return std::abs(u(a) - zero_(a)) > std::abs(u(b) - zero_(b)); });
    for (std::size_t k = static_cast<std::size_t>(g.max_nonzero); k < order.size(); ++k)
      zeros[static_cast<std::size_t>(order[k])] = true;
  }
  return zeros;
}

bool ConstraintGeometry::satisfied(const Eigen::VectorXd& x, double tolerance) const {
  const Eigen::VectorXd u = local(x);
  if (!face(Support(columns_.size(), false))->contains(u, tolerance)) return false;
  for (const Group& g : groups_) {
    int nonzero = 0;
    for (int j : g.members) nonzero += std::abs(u(j) - zero_(j)) > 1e-9;
    if (nonzero > g.max_nonzero) return false;
  }
  return true;
}

std::shared_ptr<const Polytope> ConstraintGeometry::face_of(const Eigen::VectorXd& x) const {
  Support zeros(columns_.size(), false);
  if (!groups_.empty()) {
    const Eigen::VectorXd u = local(x);
    for (const Group& g : groups_) {
      // The non-zero members stay free, and while fewer than k are, the first members at zero
      // fill the free places up to k; every other member stays at zero (a linear face).
      int nonzero = 0;
      for (int j : g.members) nonzero += std::abs(u(j) - zero_(j)) > 1e-9;
      int spare = g.max_nonzero - nonzero;
      for (int j : g.members) {
        if (std::abs(u(j) - zero_(j)) > 1e-9) continue;
        if (spare > 0) {
          --spare;
        } else {
          zeros[static_cast<std::size_t>(j)] = true;
        }
      }
    }
  }
  return face(zeros);
}

Eigen::MatrixXd ConstraintGeometry::sample(int n, std::uint64_t seed) const {
  const auto m = static_cast<Eigen::Index>(columns_.size());
  if (groups_.empty()) return face(Support(columns_.size(), false))->sample(n, seed);
  // A support per point, drawn uniformly per group (a feasible one kept at construction when the
  // draw's face is empty); then each face's points from one chain.
  Rng rng(mix_seed(seed, 0x5u));
  std::map<Support, std::vector<int>> by_face;
  for (int i = 0; i < n; ++i) {
    Support zeros(columns_.size(), false);
    for (const Group& g : groups_) {
      std::vector<int> order = g.members;
      for (std::size_t k = 0; k + 1 < order.size(); ++k) std::swap(order[k], order[k + rng.index(order.size() - k)]);
      for (std::size_t k = static_cast<std::size_t>(g.max_nonzero); k < order.size(); ++k)
        zeros[static_cast<std::size_t>(order[k])] = true;
    }
    if (face(zeros)->empty()) zeros = feasible_supports_[rng.index(feasible_supports_.size())];
    by_face[zeros].push_back(i);
  }
  Eigen::MatrixXd out(n, m);
  std::uint64_t chain = 0;
  for (const auto& [zeros, rows] : by_face) {
    Eigen::MatrixXd points = face(zeros)->sample(static_cast<int>(rows.size()), mix_seed(seed, ++chain));
    // Members held at zero are exactly zero (the null-space parametrisation leaves ~1e-17).
    for (Eigen::Index j = 0; j < m; ++j)
      if (zeros[static_cast<std::size_t>(j)]) points.col(j).setConstant(zero_(j));
    for (std::size_t r = 0; r < rows.size(); ++r) out.row(rows[r]) = points.row(static_cast<Eigen::Index>(r));
  }
  return out;
}

Eigen::VectorXd ConstraintGeometry::project(const Eigen::VectorXd& x) const {
  const Eigen::VectorXd u = local(x);
  const auto member = [this](Eigen::Index j) {
    for (const Group& g : groups_)
      if (std::find(g.members.begin(), g.members.end(), static_cast<int>(j)) != g.members.end()) return true;
    return false;
  };
  Support chosen = largest_support(u);
  std::shared_ptr<const Polytope> target = face(chosen);
  Eigen::VectorXd best = target->empty() ? u : target->project(u);
  if (target->empty()) {
    // The face of the largest members is empty: the nearest point over the feasible faces known.
    double best_distance = std::numeric_limits<double>::infinity();
    for (const Support& zeros : feasible_supports_) {
      const Eigen::VectorXd v = face(zeros)->project(u);
      if ((v - u).squaredNorm() < best_distance) {
        best_distance = (v - u).squaredNorm();
        best = v;
        chosen = zeros;
      }
    }
  }
  Eigen::VectorXd out = x;
  for (std::size_t j = 0; j < columns_.size(); ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    // Members at (or within round-off of) zero are exactly zero.
    out(columns_[j]) = chosen[j] || (member(jj) && std::abs(best(jj) - zero_(jj)) <= 1e-9) ? zero_(jj) : best(jj);
  }
  return out;
}

}  // namespace boex
