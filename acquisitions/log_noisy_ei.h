// Exact one-step noisy expected improvement (Frazier's tutorial, section 5), in log space: the
// expected rise of the best posterior mean among the evaluated points once a noisy observation
// at x arrives. NEI(x) = E[max_i mu_{n+1}(x_i)] - max_{i<=n} mu_n(x_i), with the candidate among
// the x_i; conditioning makes every mu_{n+1}(x_i) affine in one normal, so it is exact
// (expected_max_affine). Without noise it equals EI with the best posterior mean as incumbent.
#pragma once

#include <memory>

#include "acquisitions/acquisition.h"
#include "surrogates/surrogate.h"

namespace boex {

class LogNoisyExpectedImprovement final : public Acquisition {
 public:
  // X_observed: the evaluated points (n x d); the model must outlive the acquisition.
  LogNoisyExpectedImprovement(const Surrogate& model, const Eigen::MatrixXd& X_observed);
  std::string name() const override { return "lognei"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;

 private:
  const Surrogate& model_;
  std::unique_ptr<CrossCovariance> cross_;
  Eigen::VectorXd mean_observed_;
  double best_mean_ = 0.0;
  double noise_ = 0.0;
};

}  // namespace boex
