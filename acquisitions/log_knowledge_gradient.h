// Discrete knowledge gradient (Frazier, Powell and Dayanik 2009), in log space: the expected rise
// of the maximum posterior mean over a discretisation A once a noisy observation at x arrives.
// Exact through LookAhead; x itself always joins A. O(n M + M log M) per x.
#pragma once

#include "acquisitions/acquisition.h"
#include "acquisitions/look_ahead.h"

namespace boex {

class LogKnowledgeGradient final : public Acquisition {
 public:
  // A: the discretisation (M x d), e.g. the observed points, space-filling points and the
  // maximisers of the posterior mean. The model must outlive the acquisition.
  LogKnowledgeGradient(const Surrogate& model, const Eigen::MatrixXd& A) : look_ahead_(model, A) {}
  std::string name() const override { return "kg"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 private:
  LookAhead look_ahead_;
};

}  // namespace boex
