#include "engine/study_objective.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/errors.h"
#include "core/parse_number.h"
#include "core/utf8.h"

namespace boex {
namespace {

constexpr const char* kTargetAttribute = "target";
constexpr const char* kTargetsAttribute = "targets";

}  // namespace

void StudyObjective::store_targets(std::optional<double> target, const std::vector<double>& targets,
                                   StudyRecord* record) {
  if (!targets.empty()) {
    record->n_outputs = static_cast<int>(targets.size());
    record->attributes[kTargetsAttribute] = nlohmann::json(targets).dump();
  }
  if (target) {
    std::ostringstream os;
    os.precision(17);
    os << *target;
    record->attributes[kTargetAttribute] = os.str();
  }
}

StudyObjective::StudyObjective(const StudyRecord& record, UserFunction user_function)
    : study_(record.name), direction_(record.direction), n_outputs_(record.n_outputs),
      user_function_(std::move(user_function)) {
  // The objective's attributes define the study; a damaged one is the database's problem.
  try {
    if (auto it = record.attributes.find(kTargetAttribute); it != record.attributes.end())
      single_target_ = parse_double(it->second, "the stored target");
    if (auto it = record.attributes.find(kTargetsAttribute); it != record.attributes.end())
      targets_ = nlohmann::json::parse(it->second).get<std::vector<double>>();
  } catch (const std::exception& e) {
    throw StorageError("study '" + printable(study_) + "': its stored targets cannot be read: " + printable(e.what()));
  }
  // A built-in target study carries its g in the database.
  if (!user_function_ && n_outputs_ > 0 && !targets_.empty())
    user_function_ = [closeness = target_value(targets_)](const Eigen::VectorXd& h) { return -closeness(h, nullptr); };
}

void StudyObjective::require_function() const {
  if (n_outputs_ > 0 && !user_function_)
    throw StateError("study '" + study_ + "' optimises a composite function of its outputs that this "
                     "process was not given: open it with Study::open and StudyOptions::composite");
}

double StudyObjective::utility(const Trial& trial) const {
  if (single_target_) return target_value({*single_target_})(Eigen::VectorXd::Constant(1, *trial.value), nullptr);
  return direction_ == Direction::kMinimize ? -*trial.value : *trial.value;
}

Eigen::VectorXd StudyObjective::outputs_of(const Trial& trial) const {
  if (single_target_) return Eigen::VectorXd::Constant(1, *trial.value);
  return Eigen::Map<const Eigen::VectorXd>(trial.outputs.data(), static_cast<Eigen::Index>(trial.outputs.size()));
}

CompositeFunction StudyObjective::composite() const {
  if (single_target_) return target_value({*single_target_});
  if (n_outputs_ == 0) return {};
  if (!targets_.empty()) return target_value(targets_);  // exact gradient
  if (!user_function_) return {};
  const double sign = direction_ == Direction::kMinimize ? -1.0 : 1.0;
  return with_numerical_gradient([g = user_function_, sign](const Eigen::VectorXd& h) { return sign * g(h); });
}

double StudyObjective::value_of(const std::vector<double>& outputs) const {
  if (n_outputs_ == 0)
    throw InvalidArgument("study '" + study_ + "' has no measured outputs; report its value with tell");
  if (static_cast<int>(outputs.size()) != n_outputs_)
    throw InvalidArgument("study '" + study_ + "' expects " + std::to_string(n_outputs_) + " measured outputs, got " +
                          std::to_string(outputs.size()));
  for (double o : outputs)
    if (!std::isfinite(o)) throw InvalidArgument("measured outputs must be finite");
  require_function();
  const double value = user_function_(Eigen::Map<const Eigen::VectorXd>(outputs.data(), n_outputs_));
  if (!std::isfinite(value))
    throw InvalidArgument("the composite function is not finite at these outputs (got " + std::to_string(value) + ")");
  return value;
}

}  // namespace boex
