#include "acquisitions/log_composite_ei.h"

#include <cmath>

#include "core/errors.h"
#include "core/smooth_math.h"
#include "core/sobol.h"

namespace boex {

LogCompositeExpectedImprovement::LogCompositeExpectedImprovement(std::vector<const Surrogate*> outputs,
                                                                 CompositeFunction g, double best, int num_samples,
                                                                 std::uint64_t seed, double tau)
    : outputs_(std::move(outputs)), g_(std::move(g)), best_(best), tau_(tau) {
  if (outputs_.empty()) throw InvalidArgument("composite EI needs at least one output model");
  if (num_samples < 1 || !(tau > 0)) throw InvalidArgument("composite EI needs num_samples >= 1 and tau > 0");
  Z_ = sobol_normal(num_samples, static_cast<int>(outputs_.size()), seed);
}

double LogCompositeExpectedImprovement::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const Eigen::Index m = static_cast<Eigen::Index>(outputs_.size()), S = Z_.rows(), d = x.size();
  Eigen::VectorXd mean(m), sd(m);
  Eigen::MatrixXd dmean(m, d), dsd(m, d);
  for (Eigen::Index k = 0; k < m; ++k) {
    double mu = 0.0, var = 0.0;
    Eigen::VectorXd dm, dv;
    outputs_[k]->predict_with_gradient(x, &mu, &var, gradient ? &dm : nullptr, gradient ? &dv : nullptr);
    mean(k) = mu;
    sd(k) = std::sqrt(var);
    if (gradient) {
      dmean.row(k) = dm.transpose();
      dsd.row(k) = (dv / (2.0 * sd(k))).transpose();
    }
  }
  Eigen::VectorXd terms(S);
  Eigen::MatrixXd dterms(gradient ? S : 0, d);
  Eigen::VectorXd dg;
  for (Eigen::Index s = 0; s < S; ++s) {
    const Eigen::VectorXd h = mean + sd.cwiseProduct(Z_.row(s).transpose());
    double dlog = 0.0;
    terms(s) = smooth::log_fatplus(g_(h, gradient ? &dg : nullptr) - best_, tau_, &dlog);
    // IPA: d g(h_s)/dx = dg/dh . (dmean + dsd o z_s).
    if (gradient) {
      const Eigen::VectorXd z = Z_.row(s).transpose();
      dterms.row(s) = dlog * (dg.transpose() * (dmean + z.asDiagonal() * dsd));
    }
  }
  const double value = smooth::logmeanexp(terms);
  if (gradient) *gradient = dterms.transpose() * ((terms.array() - value).exp() / static_cast<double>(S)).matrix();
  return value;
}

}  // namespace boex
