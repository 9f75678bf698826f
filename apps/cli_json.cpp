#include "apps/cli_json.h"

#include <algorithm>
#include <sstream>

#include "core/json_io.h"
#include "engine/multi_fidelity.h"
#include "engine/multi_objective.h"

namespace boex::cli {

using nlohmann::json;

json trial_to_json(const Trial& trial) {
  json out = {{"trial", trial.id},
              {"number", trial.number},
              {"state", to_string(trial.state)},
              {"params", params_to_json(trial.params)},
              {"value", trial.value ? json(*trial.value) : json(nullptr)},
              {"constraints", trial.constraints}};
  if (!trial.outputs.empty()) out["outputs"] = trial.outputs;
  if (!trial.values.empty()) out["values"] = trial.values;
  if (trial.cost) out["cost"] = *trial.cost;
  if (!trial.reports.empty()) {
    json reports = json::array();
    for (const auto& [step, value] : trial.reports) reports.push_back({{"step", step}, {"value", value}});
    out["reports"] = reports;
  }
  if (!trial.attributes.empty()) out["attributes"] = trial.attributes;
  return out;
}

json study_to_json(const StudyRecord& study, std::int64_t n_trials) {
  json out = {{"study", study.name},         {"direction", to_string(study.direction)},
          {"strategy", study.strategy},   {"seed", study.seed},
          {"constraints", study.n_constraints}, {"n_init", study.n_init},
          {"n_trials", n_trials},         {"space", space_to_json(study.space)}};
  if (study.n_outputs > 0) out["outputs"] = study.n_outputs;
  if (const auto objectives = stored_objectives(study); !objectives.empty()) out["objectives"] = objectives_to_json(objectives);
  // Complete settings as stored; a study created before schema 4 has none (it uses its defaults).
  if (!study.strategy_options.empty())
    out["strategy_options"] = json::parse(study.strategy_options, nullptr, /*allow_exceptions=*/false);
  if (!study.attributes.empty()) out["attributes"] = study.attributes;
  if (const auto cost = cost_from_settings(study.settings)) out["cost"] = {{"fixed", cost->fixed}, {"weight", cost->weight}};
  return out;
}

json recommendation_to_json(const SearchSpace& space, const Trial& trial) {
  json out = trial_to_json(trial);
  if (!space.fidelity_index()) return out;
  const bool evaluated = trial.id >= 0;
  out["evaluated_at_target"] = evaluated;
  if (!evaluated) {
    for (const char* key : {"state", "value", "constraints", "attributes"}) out.erase(key);
    out["trial"] = nullptr;
    out["number"] = nullptr;
    out["predicted_value"] = json::parse(trial.attributes.at("predicted_value"));
    out["note"] = trial.attributes.at("recommendation");
  }
  return out;
}

namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Shortest text that reads back as the same double (what JSON output uses too).
std::string number(double v) { return json(v).dump(); }

}  // namespace

std::string trials_to_csv(const StudyRecord& study, const std::vector<Trial>& trials, const std::vector<int>& ranks) {
  const std::vector<ObjectiveSpec> objectives = stored_objectives(study);
  const SearchSpace& space = study.space;
  std::ostringstream os;
  os << "trial,number,state";
  for (const Parameter& p : space.parameters()) os << ',' << csv_field(p.name);
  os << ",value";
  for (int k = 0; k < study.n_constraints; ++k) os << ",c" << k + 1;
  for (int k = 0; k < study.n_outputs; ++k) os << ",h" << k + 1;
  bool with_cost = study.space.fidelity_index().has_value();
  for (const Trial& t : trials) with_cost = with_cost || t.cost.has_value();
  if (with_cost) os << ",cost";
  for (const ObjectiveSpec& o : objectives) os << ',' << csv_field(o.name);
  if (!ranks.empty()) os << ",pareto_rank";
  // Learning curves (Study::report) as their length and latest point; the JSON has every point.
  const bool curves = std::any_of(trials.begin(), trials.end(), [](const Trial& t) { return !t.reports.empty(); });
  if (curves) os << ",n_reports,last_step,last_report";
  os << '\n';
  for (const Trial& t : trials) {
    os << t.id << ',' << t.number << ',' << to_string(t.state);
    for (const Parameter& p : space.parameters()) {
      const ParamValue& v = t.params.at(p.name);
      os << ',' << (std::holds_alternative<double>(v) ? number(std::get<double>(v)) : csv_field(to_string(v)));
    }
    os << ',' << (t.value ? number(*t.value) : "");
    for (int k = 0; k < study.n_constraints; ++k)
      os << ',' << (k < static_cast<int>(t.constraints.size()) ? number(t.constraints[k]) : "");
    for (int k = 0; k < study.n_outputs; ++k)
      os << ',' << (k < static_cast<int>(t.outputs.size()) ? number(t.outputs[k]) : "");
    if (with_cost) os << ',' << (t.cost ? number(*t.cost) : "");
    for (std::size_t j = 0; j < objectives.size(); ++j) os << ',' << (j < t.values.size() ? number(t.values[j]) : "");
    if (!ranks.empty()) {
      const int rank = ranks[static_cast<std::size_t>(&t - trials.data())];
      os << ',' << (rank >= 0 ? std::to_string(rank) : "");
    }
    if (curves) {
      os << ',' << t.reports.size();
      if (t.reports.empty())
        os << ",,";
      else
        os << ',' << t.reports.rbegin()->first << ',' << number(t.reports.rbegin()->second);
    }
    os << '\n';
  }
  return os.str();
}

}  // namespace boex::cli
