// What a study optimises, read from its record: the told value in the study's direction, a target
// for it, or a known function g of several measured outputs (a composite study). The one place
// that turns a trial into the utility the models maximise and measured outputs into the value.
#pragma once

#include <Eigen/Dense>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "acquisitions/composite_function.h"
#include "core/trial.h"
#include "storage/storage.h"

namespace boex {

class StudyObjective {
 public:
  // g of a composite study, in the study's direction (code, not data: given by the caller).
  using UserFunction = std::function<double(const Eigen::VectorXd& outputs)>;

  // Records a new study's target (one told value that should hit it) or targets (several
  // measured outputs, minimising the squared distance to them) in its attributes.
  static void store_targets(std::optional<double> target, const std::vector<double>& targets, StudyRecord* record);

  StudyObjective(const StudyRecord& record, UserFunction user_function);

  // The models see measured outputs (one column per output), not the value.
  bool is_composite() const { return single_target_.has_value() || n_outputs_ > 0; }
  // Columns of outputs_of(): 1 for a single target, the study's n_outputs otherwise.
  int model_outputs() const { return single_target_ ? 1 : n_outputs_; }
  std::optional<double> target() const { return single_target_; }
  const std::vector<double>& targets() const { return targets_; }

  // Throws StateError, before anything is claimed, when a composite study's g was not given.
  void require_function() const;
  // The utility of a complete trial, to maximise.
  double utility(const Trial& trial) const;
  // What the output models are fitted to for one complete trial (model_outputs() values).
  Eigen::VectorXd outputs_of(const Trial& trial) const;
  // g in maximisation form, with its gradient (exact for targets, central differences for a
  // user's g); empty for a plain study.
  CompositeFunction composite() const;
  // The value stored for a composite study's measured outputs: g(outputs), checked.
  double value_of(const std::vector<double>& outputs) const;

 private:
  std::string study_;
  Direction direction_;
  int n_outputs_ = 0;
  std::optional<double> single_target_;
  std::vector<double> targets_;
  UserFunction user_function_;
};

}  // namespace boex
