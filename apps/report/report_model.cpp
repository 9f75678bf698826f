#include "apps/report/report_model.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <numeric>
#include <optional>

#include "core/errors.h"
#include "engine/study_objective.h"
#include "surrogates/exact_gp.h"
#include "surrogates/stationary_kernel.h"

namespace boex::report {
namespace {

using nlohmann::json;

json number(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }
json number(const std::optional<double>& x) { return x ? number(*x) : json(nullptr); }

json param_json(const ParamValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  return number(std::get<double>(v));
}

std::string type_name(ParameterType type) {
  switch (type) {
    case ParameterType::kFloat: return "float";
    case ParameterType::kInt: return "int";
    case ParameterType::kCategorical: return "categorical";
    case ParameterType::kSequence: return "sequence";
  }
  return "float";
}

json study_json(const StudyRecord& study, const std::vector<Trial>& trials) {
  json parameters = json::array();
  for (const Parameter& p : study.space.parameters()) {
    json entry = {{"name", p.name}, {"type", type_name(p.type)}, {"low", p.low}, {"high", p.high}, {"log", p.log},
                  {"choices", p.choices}};
    if (p.type == ParameterType::kSequence) {  // one parallel-coordinates axis per site
      entry["length"] = p.length;
      entry["alphabet"] = p.alphabet;
    }
    parameters.push_back(entry);
  }
  // A multi-fidelity study: the page draws its history per fidelity, best so far at the target.
  json fidelity = nullptr;
  if (const auto index = study.space.fidelity_index()) {
    const Parameter& p = study.space.parameters()[static_cast<std::size_t>(*index)];
    fidelity = {{"name", p.name}, {"target", p.target}};
  }
  json counts = {{"waiting", 0}, {"running", 0}, {"complete", 0}, {"failed", 0}};
  for (const Trial& t : trials) counts[to_string(t.state)] = counts[to_string(t.state)].get<int>() + 1;
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
  return {{"name", study.name},           {"direction", to_string(study.direction)},
          {"strategy", study.strategy},   {"seed", study.seed},
          {"n_constraints", study.n_constraints}, {"parameters", parameters},
          {"counts", counts},             {"n_trials", trials.size()},
          {"fidelity", fidelity},
          {"generated", stamp},           {"attributes", study.attributes}};
}

// The trials as columns (compact, and what the plots take directly).
json trials_json(const StudyRecord& study, const std::vector<Trial>& trials, const StudyObjective& objective) {
  json number_column = json::array(), state = json::array(), value = json::array(), feasible = json::array(),
       cost = json::array(), best = json::array();
  json params = json::object();
  for (const Parameter& p : study.space.parameters()) params[p.name] = json::array();
  std::vector<json> constraints(static_cast<std::size_t>(study.n_constraints), json::array());
  bool any_cost = false;
  std::optional<double> best_utility;
  std::optional<double> best_value;
  for (const Trial& t : trials) {
    number_column.push_back(t.number);
    state.push_back(to_string(t.state));
    value.push_back(number(t.value));
    feasible.push_back(t.is_feasible() && t.value.has_value());
    cost.push_back(number(t.cost));
    any_cost = any_cost || t.cost.has_value();
    for (const Parameter& p : study.space.parameters()) {
      const auto it = t.params.find(p.name);
      params[p.name].push_back(it == t.params.end() ? json(nullptr) : param_json(it->second));
    }
    for (std::size_t k = 0; k < constraints.size(); ++k)
      constraints[k].push_back(k < t.constraints.size() ? number(t.constraints[k]) : json(nullptr));
    // (In a multi-fidelity study only a result at the target fidelity answers the question.)
    if (t.is_feasible() && t.value && std::isfinite(*t.value) && study.space.at_target(t.params)) {
      const double u = objective.utility(t);
      if (!best_utility || u > *best_utility) best_utility = u, best_value = *t.value;
    }
    best.push_back(number(best_value));
  }
  json out = {{"number", number_column}, {"state", state},       {"value", value}, {"feasible", feasible},
              {"best", best},            {"params", params},     {"constraints", constraints}};
  if (any_cost) out["cost"] = cost;
  return out;
}

json learning_curves(const std::vector<Trial>& trials) {
  json curves = json::array();
  for (const Trial& t : trials) {
    if (t.reports.empty()) continue;
    json steps = json::array(), values = json::array();
    for (const auto& [step, v] : t.reports) steps.push_back(step), values.push_back(number(v));
    curves.push_back({{"number", t.number}, {"state", to_string(t.state)}, {"steps", steps}, {"values", values}});
  }
  return curves;
}

// Complete trials with a finite value: the rows the report's GP may be fitted to.
std::vector<const Trial*> modelable(const std::vector<Trial>& trials) {
  std::vector<const Trial*> rows;
  for (const Trial& t : trials)
    if (t.is_complete() && t.value && std::isfinite(*t.value)) rows.push_back(&t);
  return rows;
}

// At most `limit` rows: the best quarter by utility (where the posterior matters most) and an
// even spread over the others, by trial number.
std::vector<const Trial*> model_subset(std::vector<const Trial*> rows, const StudyObjective& objective, int limit) {
  if (static_cast<int>(rows.size()) <= limit) return rows;
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const Trial* a, const Trial* b) { return objective.utility(*a) > objective.utility(*b); });
  const std::size_t n_best = static_cast<std::size_t>(limit / 4);
  std::vector<const Trial*> chosen(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n_best));
  std::vector<const Trial*> rest(rows.begin() + static_cast<std::ptrdiff_t>(n_best), rows.end());
  std::sort(rest.begin(), rest.end(), [](const Trial* a, const Trial* b) { return a->number < b->number; });
  const std::size_t n_rest = static_cast<std::size_t>(limit) - n_best;
  for (std::size_t i = 0; i < n_rest; ++i) chosen.push_back(rest[i * rest.size() / n_rest]);
  return chosen;
}

// One axis of a slice: encoded positions of a parameter's column and the user value at each.
struct Axis {
  std::vector<double> unit;
  json labels = json::array();
};

Axis axis_of(const SearchSpace& space, int parameter, int offset, const Eigen::VectorXd& center, int points) {
  const Parameter& p = space.parameters()[static_cast<std::size_t>(parameter)];
  Axis axis;
  std::optional<double> last;
  for (int i = 0; i < points; ++i) {
    Eigen::VectorXd x = center;
    x(offset) = points > 1 ? static_cast<double>(i) / (points - 1) : 0.5;
    x = space.project(x);
    const double user = as_double(space.decode(x).at(p.name));
    if (last && *last == user) continue;  // integers: each value once
    last = user;
    axis.unit.push_back(x(offset));
    axis.labels.push_back(user);
  }
  return axis;
}

// Inverse lengthscales by parameter (a categorical's largest over its one-hot columns), summing
// to one: how fast the posterior mean can change along each parameter. Empty for kernels
// without lengthscales.
std::vector<double> importance(const ExactGP& gp, const SearchSpace& space, const std::vector<int>& offsets) {
  const auto* stationary = dynamic_cast<const StationaryKernel*>(&gp.kernel());
  if (!stationary) return {};
  const Eigen::VectorXd lengthscales = stationary->lengthscales();
  if (lengthscales.size() != space.dimension()) return {};
  std::vector<double> out;
  for (std::size_t i = 0; i < space.size(); ++i) {
    const int width = space.parameters()[i].encoded_width();
    out.push_back(1.0 / lengthscales.segment(offsets[i], width).minCoeff());
  }
  const double total = std::accumulate(out.begin(), out.end(), 0.0);
  for (double& v : out) v /= total;
  return out;
}

json posterior_json(const ExactGP& gp, const Eigen::MatrixXd& X) {
  Eigen::VectorXd mean, variance;
  gp.predict(X, &mean, &variance);
  json m = json::array(), s = json::array();
  for (Eigen::Index i = 0; i < mean.size(); ++i) {
    m.push_back(number(mean(i)));
    s.push_back(number(std::sqrt(std::max(variance(i), 0.0))));
  }
  return {{"mean", m}, {"sd", s}};
}

json model_json(const StudyRecord& study, const std::vector<Trial>& trials, const StudyObjective& objective,
                const ReportOptions& options) {
  const SearchSpace& space = study.space;
  const std::vector<const Trial*> all = modelable(trials);
  if (all.size() < 2 || space.size() == 0)
    return {{"available", false}, {"reason", "the model needs at least two complete trials"}};
  const std::vector<const Trial*> rows = model_subset(all, objective, options.max_model_points);
  Dataset data;
  data.X.resize(static_cast<Eigen::Index>(rows.size()), space.dimension());
  data.y.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    data.X.row(static_cast<Eigen::Index>(i)) = space.encode(rows[i]->params).transpose();
    data.y(static_cast<Eigen::Index>(i)) = *rows[i]->value;
  }
  ExactGP::Options gp_options;
  gp_options.seed = options.seed;
  gp_options.num_restarts = options.fit_restarts;
  ExactGP gp(gp_options);
  const FitSummary fit = gp.fit(data);

  // The recommended point: the feasible fitted trial whose posterior mean is best (what
  // Study::recommend answers for GP strategies), else the best mean of any.
  Eigen::VectorXd mean, variance;
  gp.predict(data.X, &mean, &variance);
  std::optional<Eigen::Index> pick;
  double pick_utility = 0.0;
  for (int pass = 0; pass < 2 && !pick; ++pass) {
    for (Eigen::Index i = 0; i < mean.size(); ++i) {
      if (pass == 0 && !rows[static_cast<std::size_t>(i)]->is_feasible()) continue;
      Trial as_mean = *rows[static_cast<std::size_t>(i)];
      as_mean.value = mean(i);
      const double u = objective.utility(as_mean);
      if (!pick || u > pick_utility) pick = i, pick_utility = u;
    }
  }
  const Trial& recommended = *rows[static_cast<std::size_t>(*pick)];
  const Eigen::VectorXd center = data.X.row(*pick).transpose();

  std::vector<int> offsets;
  int offset = 0;
  for (const Parameter& p : space.parameters()) offsets.push_back(offset), offset += p.encoded_width();
  const std::vector<double> weights = importance(gp, space, offsets);

  json slices = json::array();
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space.parameters()[i];
    if (p.type == ParameterType::kSequence) {
      // A bar per letter at each site, the other sites as recommended; long sequences (more
      // sites than a page shows) get none.
      if (p.length > options.max_sequence_slices) continue;
      const std::string at = std::get<std::string>(space.decode(center).at(p.name));
      for (int site = 0; site < p.length; ++site) {
        Eigen::MatrixXd X(static_cast<Eigen::Index>(p.alphabet.size()), space.dimension());
        json labels = json::array();
        for (std::size_t c = 0; c < p.alphabet.size(); ++c) {
          Params params = space.decode(center);
          std::string v = at;
          v[static_cast<std::size_t>(site)] = p.alphabet[c];
          params[p.name] = v;
          X.row(static_cast<Eigen::Index>(c)) = space.encode(params).transpose();
          labels.push_back(std::string(1, p.alphabet[c]));
        }
        json slice = posterior_json(gp, X);
        slice["parameter"] = p.name + "[" + std::to_string(site + 1) + "]";
        slice["type"] = "categorical";
        slice["x"] = labels;
        slice["log"] = false;
        slice["recommended"] = std::string(1, at[static_cast<std::size_t>(site)]);
        slices.push_back(slice);
      }
      continue;
    }
    Eigen::MatrixXd X;
    json labels = json::array();
    if (p.type == ParameterType::kCategorical) {
      X.resize(static_cast<Eigen::Index>(p.choices.size()), space.dimension());
      for (std::size_t c = 0; c < p.choices.size(); ++c) {
        Params params = space.decode(center);
        params[p.name] = p.choices[c];
        X.row(static_cast<Eigen::Index>(c)) = space.encode(params).transpose();
        labels.push_back(p.choices[c]);
      }
    } else {
      const Axis axis = axis_of(space, static_cast<int>(i), offsets[i], center, options.slice_points);
      X = center.transpose().replicate(static_cast<Eigen::Index>(axis.unit.size()), 1);
      for (std::size_t k = 0; k < axis.unit.size(); ++k) X(static_cast<Eigen::Index>(k), offsets[i]) = axis.unit[k];
      labels = axis.labels;
    }
    json slice = posterior_json(gp, X);
    slice["parameter"] = p.name;
    slice["type"] = type_name(p.type);
    slice["x"] = labels;
    slice["log"] = p.log;
    slices.push_back(slice);
  }

  // The two-parameter slice over the two most important numeric parameters.
  std::vector<int> numeric;
  for (std::size_t i = 0; i < space.size(); ++i)
    if (space.parameters()[i].type == ParameterType::kFloat || space.parameters()[i].type == ParameterType::kInt)
      numeric.push_back(static_cast<int>(i));
  if (!weights.empty())
    std::stable_sort(numeric.begin(), numeric.end(), [&](int a, int b) { return weights[a] > weights[b]; });
  json contour = nullptr;
  if (numeric.size() >= 2) {
    const int a = numeric[0], b = numeric[1];
    const Axis ax = axis_of(space, a, offsets[a], center, options.contour_points);
    const Axis ay = axis_of(space, b, offsets[b], center, options.contour_points);
    Eigen::MatrixXd X = center.transpose().replicate(static_cast<Eigen::Index>(ax.unit.size() * ay.unit.size()), 1);
    for (std::size_t j = 0; j < ay.unit.size(); ++j)
      for (std::size_t k = 0; k < ax.unit.size(); ++k) {
        const auto row = static_cast<Eigen::Index>(j * ax.unit.size() + k);
        X(row, offsets[a]) = ax.unit[k];
        X(row, offsets[b]) = ay.unit[j];
      }
    contour = posterior_json(gp, X);
    contour["x_parameter"] = space.parameters()[a].name;
    contour["y_parameter"] = space.parameters()[b].name;
    contour["x"] = ax.labels;
    contour["y"] = ay.labels;
  }

  json importance_json = json::array();
  for (std::size_t i = 0; i < weights.size(); ++i)
    importance_json.push_back({{"parameter", space.parameters()[i].name}, {"weight", number(weights[i])}});
  json center_params = json::object();
  for (const auto& [name, v] : space.decode(center)) center_params[name] = param_json(v);
  return {{"available", true},
          {"fitted_on", rows.size()},
          {"complete", all.size()},
          {"fell_back", fit.fell_back},
          {"kernel", gp.kernel().name()},
          {"recommended", {{"number", recommended.number}, {"value", number(recommended.value)},
                           {"mean", number(mean(*pick))}, {"params", center_params}}},
          {"slices", slices},
          {"contour", contour},
          {"importance", importance_json}};
}

}  // namespace

void ReportOptions::validate() const {
  if (max_model_points < 2)
    throw InvalidArgument("ReportOptions::max_model_points = " + std::to_string(max_model_points) + "; must be >= 2");
  if (slice_points < 2)
    throw InvalidArgument("ReportOptions::slice_points = " + std::to_string(slice_points) + "; must be >= 2");
  if (fit_restarts < 1)
    throw InvalidArgument("ReportOptions::fit_restarts = " + std::to_string(fit_restarts) + "; must be >= 1");
  if (contour_points < 2)
    throw InvalidArgument("ReportOptions::contour_points = " + std::to_string(contour_points) + "; must be >= 2");
  if (max_sequence_slices < 0)
    throw InvalidArgument("ReportOptions::max_sequence_slices = " + std::to_string(max_sequence_slices) + "; must be >= 0");
}

json report_model(const StudyRecord& study, const std::vector<Trial>& trials, const ReportOptions& options) {
  options.validate();
  const StudyObjective objective(study, nullptr);
  json model;
  try {
    model = model_json(study, trials, objective, options);
  } catch (const NumericalError& e) {
    // The page still shows everything else; it says why there is no model.
    model = {{"available", false}, {"reason", std::string("the GP could not be fitted: ") + e.what()}};
  }
  json target = objective.target() ? json(*objective.target()) : json(nullptr);
  return {{"study", study_json(study, trials)},
          {"target", target},
          {"trials", trials_json(study, trials, objective)},
          {"curves", learning_curves(trials)},
          {"model", model}};
}

}  // namespace boex::report
