#include "engine/scaling_fit.h"

#include <cmath>

#include "core/errors.h"

namespace boex {
namespace {

std::string where(const Study& study, const Trial& t) {
  return "study '" + study.record().name + "', trial " + std::to_string(t.id);
}

double quantity(const Study& study, const Trial& t, const std::string& name) {
  if (auto p = t.params.find(name); p != t.params.end()) {
    if (std::holds_alternative<std::string>(p->second))
      throw InvalidArgument(where(study, t) + ": parameter '" + name + "' is categorical, not a number");
    return as_double(p->second);
  }
  const auto& study_attributes = study.record().attributes;
  auto a = t.attributes.find(name);
  if (a == t.attributes.end()) a = study_attributes.find(name);
  if (a == study_attributes.end())
    throw InvalidArgument(where(study, t) + " has no parameter or attribute '" + name + "' (nor has its study)");
  std::size_t used = 0;
  double v = std::nan("");
  try {
    v = std::stod(a->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != a->second.size())
    throw InvalidArgument(where(study, t) + ": attribute '" + name + "' = '" + a->second + "' is not a number");
  return v;
}

// Calls add(study, trial) for every complete trial, after checking the studies hold losses.
template <class Add>
void for_each_run(const std::vector<const Study*>& studies, Add&& add) {
  for (const Study* s : studies) {
    if (s->record().direction == Direction::kMaximize)
      throw InvalidArgument("study '" + s->record().name + "' maximises its value; a scaling-law fit reads losses");
    for (const Trial& t : s->trials())
      if (t.is_complete() && t.value && !t.attributes.count(kDivergedLossAttribute)) add(*s, t);
  }
}

}  // namespace

fits::ChinchillaData chinchilla_data_from_studies(const std::vector<const Study*>& studies, const ScalingColumns& columns) {
  fits::ChinchillaData d;
  for_each_run(studies, [&](const Study& s, const Trial& t) {
    d.N.push_back(quantity(s, t, columns.N));
    d.D.push_back(quantity(s, t, columns.D));
    d.loss.push_back(*t.value);
  });
  return d;
}

fits::StepLawData step_law_data_from_studies(const std::vector<const Study*>& studies, const ScalingColumns& columns) {
  fits::StepLawData d;
  for_each_run(studies, [&](const Study& s, const Trial& t) {
    d.N.push_back(quantity(s, t, columns.N));
    d.D.push_back(quantity(s, t, columns.D));
    d.lr.push_back(quantity(s, t, columns.lr));
    d.batch.push_back(quantity(s, t, columns.batch));
    d.loss.push_back(*t.value);
  });
  return d;
}

fits::ChinchillaEstimate fit_chinchilla_from_studies(const std::vector<const Study*>& studies, const ScalingColumns& columns,
                                                     const fits::ChinchillaOptions& options,
                                                     const fits::BootstrapOptions& bootstrap) {
  return fits::estimate_chinchilla(chinchilla_data_from_studies(studies, columns), options, bootstrap);
}

fits::StepLawEstimate fit_step_law_from_studies(const std::vector<const Study*>& studies, const ScalingColumns& columns,
                                                const fits::StepLawOptions& options, const fits::BootstrapOptions& bootstrap) {
  return fits::estimate_step_law(step_law_data_from_studies(studies, columns), options, bootstrap);
}

std::string save_law_report(Study& study, const nlohmann::json& report) {
  if (!report.contains("law") || !report["law"].is_string())
    throw InvalidArgument("save_law_report: the report has no \"law\" name");
  const std::string key = "scaling_law." + report["law"].get<std::string>();
  study.set_attribute(key, report.dump());
  return key;
}

}  // namespace boex
