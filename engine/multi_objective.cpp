#include "engine/multi_objective.h"

#include <cmath>
#include <set>

#include "core/errors.h"
#include "core/hypervolume.h"
#include "core/json_io.h"
#include "core/parse_number.h"
#include "core/pareto.h"
#include "core/utf8.h"

namespace boex {
namespace {

constexpr const char* kSettingsKey = "objectives";

Direction parse_short_direction(const std::string& text) {
  if (text == "max") return Direction::kMaximize;
  if (text == "min") return Direction::kMinimize;
  return parse_direction(text);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

ObjectiveSpec from_json(const nlohmann::json& j, const std::string& what) {
  if (!j.is_object() || !j.contains("name") || !j["name"].is_string())
    throw InvalidArgument(what + ": each objective is an object with a string \"name\"");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "name" && it.key() != "direction" && it.key() != "threshold")
      throw InvalidArgument(what + ": unknown objective field '" + it.key() + "' (name, direction, threshold)");
  ObjectiveSpec o;
  o.name = j["name"].get<std::string>();
  if (j.contains("direction")) {
    if (!j["direction"].is_string()) throw InvalidArgument(what + ": \"direction\" is \"minimize\" or \"maximize\"");
    o.direction = parse_short_direction(j["direction"].get<std::string>());
  }
  if (j.contains("threshold") && !j["threshold"].is_null()) {
    if (!j["threshold"].is_number()) throw InvalidArgument(what + ": \"threshold\" must be a number");
    o.threshold = j["threshold"].get<double>();
  }
  return o;
}

}  // namespace

void validate_objectives(const std::vector<ObjectiveSpec>& objectives) {
  if (objectives.size() < 2)
    throw InvalidArgument("objectives: a multi-objective study needs at least 2 objectives, got " +
                          std::to_string(objectives.size()) + " (one objective: use direction)");
  std::set<std::string> names;
  for (const ObjectiveSpec& o : objectives) {
    if (o.name.empty()) throw InvalidArgument("objectives: every objective needs a non-empty name");
    require_utf8(o.name, "an objective's name");
    if (!names.insert(o.name).second) throw InvalidArgument("objectives: the name '" + o.name + "' appears twice");
    if (o.threshold && !std::isfinite(*o.threshold))
      throw InvalidArgument("objectives: the threshold of '" + o.name + "' must be finite");
  }
}

std::vector<ObjectiveSpec> parse_objectives(const std::string& text) {
  std::vector<ObjectiveSpec> out;
  const std::size_t first = text.find_first_not_of(" \t\n");
  if (first != std::string::npos && text[first] == '[') {
    const nlohmann::json j = parse_json(text, "objectives");
    for (const nlohmann::json& item : j) out.push_back(from_json(item, "objectives"));
  } else {
    for (const std::string& item : split(text, ',')) {
      const std::vector<std::string> parts = split(item, ':');
      if (parts.size() < 2 || parts.size() > 3)
        throw InvalidArgument("objectives: '" + item + "' is not name:direction or name:direction:threshold");
      ObjectiveSpec o;
      o.name = parts[0];
      o.direction = parse_short_direction(parts[1]);
      if (parts.size() == 3) o.threshold = parse_double(parts[2], "the threshold of objective '" + parts[0] + "'");
      out.push_back(std::move(o));
    }
  }
  validate_objectives(out);
  return out;
}

nlohmann::json objectives_to_json(const std::vector<ObjectiveSpec>& objectives) {
  nlohmann::json out = nlohmann::json::array();
  for (const ObjectiveSpec& o : objectives) {
    nlohmann::json j = {{"name", o.name}, {"direction", to_string(o.direction)}};
    j["threshold"] = o.threshold ? nlohmann::json(*o.threshold) : nlohmann::json(nullptr);
    out.push_back(std::move(j));
  }
  return out;
}

void store_objectives(const std::vector<ObjectiveSpec>& objectives, StudyRecord* record) {
  nlohmann::json settings = record->settings.empty() ? nlohmann::json::object() : parse_json(record->settings, "study settings");
  settings[kSettingsKey] = objectives_to_json(objectives);
  record->settings = settings.dump();
}

std::vector<ObjectiveSpec> stored_objectives(const StudyRecord& record) {
  if (record.settings.empty()) return {};
  try {
    const nlohmann::json settings = nlohmann::json::parse(record.settings);
    if (!settings.is_object() || !settings.contains(kSettingsKey)) return {};
    std::vector<ObjectiveSpec> out;
    for (const nlohmann::json& item : settings[kSettingsKey]) out.push_back(from_json(item, "stored objectives"));
    validate_objectives(out);
    return out;
  } catch (const std::exception& e) {
    throw StorageError("study '" + printable(record.name) + "': its stored objectives cannot be read: " + printable(e.what()));
  }
}

Eigen::RowVectorXd maximising(const std::vector<double>& values, const std::vector<ObjectiveSpec>& objectives) {
  Eigen::RowVectorXd out(static_cast<Eigen::Index>(objectives.size()));
  for (std::size_t j = 0; j < objectives.size(); ++j)
    out(static_cast<Eigen::Index>(j)) = objectives[j].direction == Direction::kMaximize ? values.at(j) : -values.at(j);
  return out;
}

Eigen::VectorXd maximising_thresholds(const std::vector<ObjectiveSpec>& objectives) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(objectives.size()));
  for (std::size_t j = 0; j < objectives.size(); ++j) {
    const ObjectiveSpec& o = objectives[j];
    out(static_cast<Eigen::Index>(j)) =
        !o.threshold ? NAN : (o.direction == Direction::kMaximize ? *o.threshold : -*o.threshold);
  }
  return out;
}

Eigen::VectorXd complete_reference(const Eigen::MatrixXd& Y, const std::vector<bool>& feasible,
                                   const Eigen::VectorXd& thresholds) {
  if (thresholds.allFinite()) return thresholds;
  if (Y.rows() == 0) throw InvalidArgument("complete_reference: no objective values to infer a reference point from");
  std::vector<Eigen::Index> front = pareto_front(Y, feasible);
  if (front.empty()) front = pareto_front(Y);
  Eigen::MatrixXd F(static_cast<Eigen::Index>(front.size()), Y.cols());
  for (std::size_t r = 0; r < front.size(); ++r) F.row(static_cast<Eigen::Index>(r)) = Y.row(front[r]);
  const Eigen::VectorXd inferred = infer_reference_point(F);
  Eigen::VectorXd out = thresholds;
  for (Eigen::Index j = 0; j < out.size(); ++j)
    if (!std::isfinite(out(j))) out(j) = inferred(j);
  return out;
}

ParetoSummary pareto_summary(const std::vector<Trial>& trials, const std::vector<ObjectiveSpec>& objectives) {
  const Eigen::Index k = static_cast<Eigen::Index>(objectives.size());
  ParetoSummary s;
  s.ranks.assign(trials.size(), -1);
  std::vector<std::size_t> complete;
  for (std::size_t i = 0; i < trials.size(); ++i)
    if (trials[i].is_complete() && static_cast<Eigen::Index>(trials[i].values.size()) == k) complete.push_back(i);
  Eigen::MatrixXd Y(static_cast<Eigen::Index>(complete.size()), k);
  std::vector<bool> feasible(complete.size());
  for (std::size_t r = 0; r < complete.size(); ++r) {
    Y.row(static_cast<Eigen::Index>(r)) = maximising(trials[complete[r]].values, objectives);
    feasible[r] = trials[complete[r]].is_feasible();
  }
  const std::vector<int> ranks = pareto_ranks(Y, feasible);
  for (std::size_t r = 0; r < complete.size(); ++r) {
    s.ranks[complete[r]] = ranks[r];
    if (ranks[r] == 0) s.front.push_back(complete[r]);
  }
  const Eigen::VectorXd thresholds = maximising_thresholds(objectives);
  for (Eigen::Index j = 0; j < k; ++j) s.reference_inferred.push_back(!std::isfinite(thresholds(j)));
  if (complete.empty()) return s;
  const Eigen::VectorXd reference = complete_reference(Y, feasible, thresholds);
  Eigen::MatrixXd F(static_cast<Eigen::Index>(s.front.size()), k);
  Eigen::Index row = 0;
  for (std::size_t r = 0; r < complete.size(); ++r)
    if (ranks[r] == 0) F.row(row++) = Y.row(static_cast<Eigen::Index>(r));
  s.hypervolume = hypervolume(F, reference);
  for (Eigen::Index j = 0; j < k; ++j)
    s.reference.push_back(objectives[static_cast<std::size_t>(j)].direction == Direction::kMaximize ? reference(j) : -reference(j));
  return s;
}

}  // namespace boex
