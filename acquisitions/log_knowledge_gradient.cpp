#include "acquisitions/log_knowledge_gradient.h"

#include <cmath>

#include "acquisitions/expected_max.h"
#include "core/errors.h"

namespace boex {

LogKnowledgeGradient::LogKnowledgeGradient(const Surrogate& model, const Eigen::MatrixXd& A)
    : model_(model), cross_(model.cross_covariance(A)), noise_(model.noise_variance()) {
  if (A.rows() == 0) throw InvalidArgument("knowledge gradient needs a non-empty discretisation");
  model.predict(A, &mean_A_, nullptr);
}

double LogKnowledgeGradient::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const Eigen::Index m = mean_A_.size();
  double mean = 0.0, variance = 0.0;
  Eigen::VectorXd dmean, dvariance, cov;
  Eigen::MatrixXd dcov;
  model_.predict_with_gradient(x, &mean, &variance, gradient ? &dmean : nullptr, gradient ? &dvariance : nullptr);
  cross_->evaluate(x, &cov, gradient ? &dcov : nullptr);
  const double denom = std::sqrt(variance + noise_);
  Eigen::VectorXd a(m + 1), b(m + 1);
  a << mean_A_, mean;
  b << cov / denom, variance / denom;
  const ExpectedMax e = expected_max_affine(a, b, gradient != nullptr);
  if (gradient) {
    // KG = E[max] - max a; the second term moves with x only when x's own mean is the largest.
    const Eigen::VectorXd ddenom = dvariance / (2.0 * denom);
    Eigen::VectorXd dkg = e.probability(m) * dmean + e.slope(m) * (dvariance / denom - variance * ddenom / (denom * denom));
    for (Eigen::Index i = 0; i < m; ++i)
      if (e.slope(i) != 0.0) dkg += e.slope(i) * (dcov.row(i).transpose() / denom - cov(i) * ddenom / (denom * denom));
    if (mean >= mean_A_.maxCoeff()) dkg -= dmean;
    const double kg = std::exp(e.log_increment);
    *gradient = kg > 0 ? Eigen::VectorXd(dkg / kg) : Eigen::VectorXd::Zero(x.size());
  }
  return e.log_increment;
}

}  // namespace boex
