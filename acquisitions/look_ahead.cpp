#include "acquisitions/look_ahead.h"

#include <cmath>

#include "core/errors.h"

namespace boex {

LookAhead::LookAhead(const Surrogate& model, const Eigen::MatrixXd& A)
    : model_(model), cross_(model.cross_covariance(A)), noise_(model.noise_variance()) {
  if (A.rows() == 0) throw InvalidArgument("a look-ahead needs at least one fixed point");
  model.predict(A, &mean_A_, nullptr);
}

LookAhead::Result LookAhead::at(const Eigen::VectorXd& x, bool with_gradient) const {
  const Eigen::Index m = mean_A_.size();
  Result r;
  double variance = 0.0;
  Eigen::VectorXd dvariance, cov;
  Eigen::MatrixXd dcov;
  model_.predict_with_gradient(x, &r.mean, &variance, with_gradient ? &r.dmean : nullptr,
                               with_gradient ? &dvariance : nullptr);
  cross_->evaluate(x, &cov, with_gradient ? &dcov : nullptr);
  const double denom = std::sqrt(variance + noise_);
  Eigen::VectorXd a(m + 1), b(m + 1);
  a << mean_A_, r.mean;
  b << cov / denom, variance / denom;
  r.lines = expected_max_affine(a, b, with_gradient);
  if (with_gradient) {
    // Only x's own intercept moves with x; every slope b_i = cov_i / denom moves, with
    // d denom = d variance / (2 denom).
    const Eigen::VectorXd& wa = r.lines.dlog_increment_da;
    const Eigen::VectorXd& wb = r.lines.dlog_increment_db;
    const Eigen::VectorXd ddenom = dvariance / (2.0 * denom);
    r.dlog_increment = wa(m) * r.dmean + wb(m) * (dvariance / denom - variance * ddenom / (denom * denom));
    for (Eigen::Index i = 0; i < m; ++i)
      if (wb(i) != 0.0) r.dlog_increment += wb(i) * (dcov.row(i).transpose() / denom - cov(i) * ddenom / (denom * denom));
  }
  return r;
}

}  // namespace boex
