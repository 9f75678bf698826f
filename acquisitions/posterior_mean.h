// The posterior mean as an acquisition: what to maximise to find the model's best guess (the
// knowledge gradient's discretisation, recommendations under noise).
#pragma once

#include "acquisitions/analytic_acquisition.h"

namespace boex {

class PosteriorMean final : public AnalyticAcquisition {
 public:
  explicit PosteriorMean(const Surrogate& model) : AnalyticAcquisition(model) {}
  std::string name() const override { return "mean"; }
  double utility(double mean, double sd, double* dmean, double* dsd) const override {
    *dmean = 1.0;
    *dsd = 0.0;
    return mean;
  }
};

}  // namespace boex
