// Exact one-step noisy expected improvement (Frazier's tutorial, section 5), in log space: the
// expected rise of the best posterior mean among the evaluated points once a noisy observation
// at x arrives. NEI(x) = E[max_i mu_{n+1}(x_i)] - max_{i<=n} mu_n(x_i), with the candidate among
// the x_i; every mu_{n+1}(x_i) is affine in one normal, so it is exact (LookAhead). Without noise
// it equals EI with the best posterior mean as incumbent.
#pragma once

#include "acquisitions/acquisition.h"
#include "acquisitions/look_ahead.h"

namespace boex {

class LogNoisyExpectedImprovement final : public Acquisition {
 public:
  // X_observed: the evaluated points (n x d); the model must outlive the acquisition.
  LogNoisyExpectedImprovement(const Surrogate& model, const Eigen::MatrixXd& X_observed);
  std::string name() const override { return "nei"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 private:
  LookAhead look_ahead_;
  double best_mean_ = 0.0;
};

}  // namespace boex
