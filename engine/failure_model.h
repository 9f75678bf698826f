// Failures that teach: trials told as failed train a GP classifier of success (gp_classifier.h),
// and ln p(success | x) is added to a log-space acquisition, so the study stops proposing in
// regions where experiments fail instead of only avoiding the exact failed points (Atlas's
// unknown-constraint treatment, after Hickman et al.'s Anubis).
#pragma once

#include <memory>
#include <string>

#include "acquisitions/acquisition.h"
#include "engine/strategy.h"
#include "surrogates/gp_classifier.h"

namespace boex {

// The "failure_model" part of a model strategy's settings.
struct FailureModelOptions {
  // Weigh the acquisition by p(success) once at least one trial failed. Acquisitions that are not
  // log utilities (UCB, posterior mean, ...) are left alone: a product with them has no meaning.
  bool enabled = true;

  void validate() const {}
  template <class Visitor>
  void visit(Visitor& v) {
    v("enabled", enabled);
  }
};

// The classifier of the history's complete (success) and failed trials; null when disabled, when
// nothing failed, or when the classifier cannot be fitted.
std::shared_ptr<const GpClassifier> fit_failure_model(const History& history, const FailureModelOptions& options);

// acq(x) + ln p(success | x): the log of the utility times the probability of success.
class LogSuccessWeighted final : public Acquisition {
 public:
  LogSuccessWeighted(std::unique_ptr<Acquisition> inner, std::shared_ptr<const GpClassifier> classifier)
      : inner_(std::move(inner)), classifier_(std::move(classifier)) {}
  std::string name() const override { return inner_->name() + "*p(success)"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 private:
  std::unique_ptr<Acquisition> inner_;
  std::shared_ptr<const GpClassifier> classifier_;
};

}  // namespace boex
