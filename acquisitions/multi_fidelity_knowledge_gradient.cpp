#include "acquisitions/multi_fidelity_knowledge_gradient.h"

#include <cmath>

#include "acquisitions/expected_max.h"
#include "core/errors.h"

namespace boex {

LogMultiFidelityKnowledgeGradient::LogMultiFidelityKnowledgeGradient(const Surrogate& model, const Eigen::MatrixXd& A,
                                                                     FidelityInputs fidelity)
    : model_(model), fidelity_(std::move(fidelity)), noise_(model.noise_variance()) {
  if (!fidelity_.active()) throw InvalidArgument("the multi-fidelity knowledge gradient needs the fidelity's column");
  if (A.rows() == 0) throw InvalidArgument("the multi-fidelity knowledge gradient needs at least one point to value");
  const Eigen::MatrixXd at_target = fidelity_.at_target(A);
  cross_ = model.cross_covariance(at_target);
  model.predict(at_target, &mean_A_, nullptr);
}

double LogMultiFidelityKnowledgeGradient::log_value_of_information(const Eigen::VectorXd& x,
                                                                   Eigen::VectorXd* gradient) const {
  const Eigen::Index m = mean_A_.size();
  const bool with_gradient = gradient != nullptr;
  // The observation at (x, s): its predictive spread, and every line's covariance with it.
  double mean_x = 0.0, variance = 0.0;
  Eigen::VectorXd dvariance, cov;
  Eigen::MatrixXd dcov;
  model_.predict_with_gradient(x, &mean_x, &variance, nullptr, with_gradient ? &dvariance : nullptr);
  cross_->evaluate(x, &cov, with_gradient ? &dcov : nullptr);
  // x's own line at the target: mean mu(x_t), slope Sigma(x_t, x), both moving with x.
  const Eigen::VectorXd xt = fidelity_.at_target(x);
  double mean_t = 0.0, variance_t = 0.0;
  Eigen::VectorXd dmean_t, dvariance_t, cov_t, dcov_t;
  Eigen::MatrixXd d_second, d_first;
  model_.predict_with_gradient(xt, &mean_t, &variance_t, with_gradient ? &dmean_t : nullptr, nullptr);
  model_.cross_covariance(xt.transpose())->evaluate(x, &cov_t, with_gradient ? &d_second : nullptr);
  if (with_gradient) {
    Eigen::VectorXd unused;
    model_.cross_covariance(x.transpose())->evaluate(xt, &unused, &d_first);  // d Sigma(x, x_t) / d x_t
    dcov_t = d_second.row(0).transpose() + fidelity_.through_target(d_first.row(0).transpose());
    dmean_t = fidelity_.through_target(dmean_t);
  }
  const double denom = std::sqrt(variance + noise_);
  Eigen::VectorXd a(m + 1), b(m + 1);
  a << mean_A_, mean_t;
  b << cov / denom, cov_t(0) / denom;
  const ExpectedMax lines = expected_max_affine(a, b, with_gradient);
  if (with_gradient) {
    // Envelope theorem: dE[max]/dx = sum_i P(i is max) da_i/dx + E[Z; i is max] db_i/dx, where
    // b_i = cov_i / denom and d denom = d variance / (2 denom); only x_t's intercept moves, and
    // the subtracted max a moves with it when x_t's mean is the largest.
    const Eigen::VectorXd ddenom = dvariance / (2.0 * denom);
    Eigen::VectorXd d = lines.probability(m) * dmean_t + lines.slope(m) * (dcov_t / denom - cov_t(0) * ddenom / (denom * denom));
    for (Eigen::Index i = 0; i < m; ++i)
      if (lines.slope(i) != 0.0) d += lines.slope(i) * (dcov.row(i).transpose() / denom - cov(i) * ddenom / (denom * denom));
    if (mean_t >= mean_A_.maxCoeff()) d -= dmean_t;
    const double kg = std::exp(lines.log_increment);
    *gradient = kg > 0 ? Eigen::VectorXd(d / kg) : Eigen::VectorXd::Zero(x.size());
  }
  return lines.log_increment;
}

double LogMultiFidelityKnowledgeGradient::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const double log_kg = log_value_of_information(x, gradient);
  Eigen::VectorXd dcost;
  const double log_cost = fidelity_.log_cost(x, gradient ? &dcost : nullptr);
  if (gradient) *gradient -= dcost;
  return log_kg - log_cost;
}

}  // namespace boex
