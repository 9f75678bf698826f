// The one-step look-ahead shared by noisy EI and the knowledge gradient: after a noisy observation
// at x, the posterior mean at each fixed point a_i and at x moves along a line in one normal Z,
// mu_{n+1} = mu_n + b(x) Z with b = Sigma_n(., x) / sqrt(sigma_n^2(x) + noise). This evaluates those
// lines' expected maximum and the gradient in x of its log increment (in log space, so that it
// stays informative where the increment itself underflows).
#pragma once

#include <memory>

#include "acquisitions/expected_max.h"
#include "surrogates/surrogate.h"

namespace boex {

class LookAhead {
 public:
  struct Result {
    ExpectedMax lines;      // over [A; x], x last
    double mean = 0.0;      // mu_n(x)
    Eigen::VectorXd dmean;  // d mu_n(x)/dx
    Eigen::VectorXd dlog_increment;  // d lines.log_increment / dx (0 where it is -inf)
  };

  // A: the fixed points (m x d, m >= 1). The model must outlive this object.
  LookAhead(const Surrogate& model, const Eigen::MatrixXd& A);
  Result at(const Eigen::VectorXd& x, bool with_gradient) const;
  const Eigen::VectorXd& mean_A() const { return mean_A_; }

 private:
  const Surrogate& model_;
  std::unique_ptr<CrossCovariance> cross_;
  Eigen::VectorXd mean_A_;
  double noise_ = 0.0;
};

}  // namespace boex
