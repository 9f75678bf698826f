// Discrete knowledge gradient (Frazier, Powell and Dayanik 2009), in log space: the expected rise
// of the maximum posterior mean over a discretisation A once a noisy observation at x arrives.
// Exact through expected_max_affine; x itself always joins A. O(n M + M log M) per x.
#pragma once

#include <memory>

#include "acquisitions/acquisition.h"
#include "surrogates/surrogate.h"

namespace boex {

class LogKnowledgeGradient final : public Acquisition {
 public:
  // A: the discretisation (M x d), e.g. the observed points, space-filling points and the
  // maximisers of the posterior mean. The model must outlive the acquisition.
  LogKnowledgeGradient(const Surrogate& model, const Eigen::MatrixXd& A);
  std::string name() const override { return "logkg"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 private:
  const Surrogate& model_;
  std::unique_ptr<CrossCovariance> cross_;
  Eigen::VectorXd mean_A_;
  double noise_ = 0.0;
};

}  // namespace boex
