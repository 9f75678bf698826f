#include "surrogates/gp_classifier.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/errors.h"
#include "core/linalg.h"
#include "core/normal.h"
#include "core/work_counters.h"

namespace boex {
using normal::log_cdf;
using normal::log_pdf;
using normal::quantile;
namespace {

// ln Phi(y f) and its first two derivatives in f (y = +-1), stable in the tails through the
// inverse Mills ratio r = phi(z) / Phi(z).
void probit(double y, double f, double* log_p, double* d1, double* d2) {
  const double z = y * f;
  *log_p = log_cdf(z);
  const double r = std::exp(log_pdf(z) - *log_p);
  *d1 = y * r;
  *d2 = -r * r - z * r;
}

}  // namespace

struct GpClassifier::Fit {
  Eigen::VectorXd g;        // the mode of the latent's deviation from the prior mean
  Eigen::VectorXd d1, sqrt_w;
  Eigen::MatrixXd L;
  double log_evidence = -std::numeric_limits<double>::infinity();
};

GpClassifier::Fit GpClassifier::laplace(const Eigen::MatrixXd& K, const Eigen::VectorXd& y, double mean, int max_steps) {
  // Algorithm 3.1 with f = mean + g, g ~ GP(0, K): Newton steps on ln p(y | f) - g' K^-1 g / 2.
  const Eigen::Index n = y.size();
  Fit fit;
  fit.g = Eigen::VectorXd::Zero(n);
  fit.d1.resize(n);
  fit.sqrt_w.resize(n);
  Eigen::VectorXd W(n), a = Eigen::VectorXd::Zero(n);
  // ln p(y | f) at the current g, with its derivatives and the factor L of I + sW K sW.
  const auto linearise = [&] {
    double log_lik = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      double lp, d1, d2;
      probit(y(i), mean + fit.g(i), &lp, &d1, &d2);
      log_lik += lp;
      fit.d1(i) = d1;
      W(i) = std::max(-d2, 1e-12);
    }
    fit.sqrt_w = W.cwiseSqrt();
    Eigen::MatrixXd B = fit.sqrt_w.asDiagonal() * K * fit.sqrt_w.asDiagonal();
    B.diagonal().array() += 1.0;
    const CholeskyResult chol = robust_cholesky(B);
    if (!chol.ok) throw NumericalError("GpClassifier: I + sW K sW is not positive definite");
    fit.L = chol.L;
    return log_lik;
  };
  double objective = -std::numeric_limits<double>::infinity();
  for (int step = 0; step < max_steps; ++step) {
    const double current = linearise() - 0.5 * a.dot(fit.g);
    if (step > 0 && std::abs(current - objective) < 1e-10 * (1 + std::abs(current))) break;
    objective = current;
    const Eigen::VectorXd b = W.cwiseProduct(fit.g) + fit.d1;
    a = b - fit.sqrt_w.cwiseProduct(cholesky_solve(fit.L, fit.sqrt_w.cwiseProduct(K * b)));
    fit.g = K * a;
  }
  // The evidence and the factors at the final mode.
  const double log_lik = linearise();
  // (g = K a, so g' K^-1 g = a' g.)
  fit.log_evidence = -0.5 * a.dot(fit.g) + log_lik - fit.L.diagonal().array().log().sum();
  return fit;
}

GpClassifier::GpClassifier(const Eigen::MatrixXd& X, const Eigen::Array<bool, Eigen::Dynamic, 1>& success,
                           Options options)
    : X_(X) {
  ++this_thread_work().model_fits;
  const Eigen::Index n = X.rows();
  if (n == 0 || success.size() != n) throw InvalidArgument("GpClassifier: needs one label per point, and a point");
  if (options.lengthscales.empty() || options.variances.empty() || options.max_newton_steps < 1)
    throw InvalidArgument("GpClassifier::Options: lengthscales and variances must be non-empty, max_newton_steps >= 1");
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) y(i) = success(i) ? 1.0 : -1.0;
  const double rate = (static_cast<double>(success.count()) + 1.0) / (static_cast<double>(n) + 2.0);
  mean_ = quantile(rate);
  kernel_ = make_kernel("matern52");
  kernel_->resize(static_cast<int>(X.cols()));
  Fit best;
  for (double l : options.lengthscales) {
    kernel_->set_hyperparameters(Eigen::VectorXd::Constant(X.cols(), std::log(l)));
    const Eigen::MatrixXd unit = kernel_->matrix(X, X);
    for (double s2 : options.variances) {
      Fit fit = laplace(s2 * unit, y, mean_, options.max_newton_steps);
      if (fit.log_evidence > best.log_evidence) {
        best = std::move(fit);
        lengthscale_ = l;
        variance_ = s2;
      }
    }
  }
  if (!std::isfinite(best.log_evidence)) throw NumericalError("GpClassifier: no grid point gave a finite evidence");
  kernel_->set_hyperparameters(Eigen::VectorXd::Constant(X.cols(), std::log(lengthscale_)));
  log_evidence_ = best.log_evidence;
  gradient_log_likelihood_ = best.d1;
  sqrt_w_ = best.sqrt_w;
  L_ = best.L;
}

double GpClassifier::log_success(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  // Algorithm 3.2: mean m + k*' d ln p, variance k** - v'v with v = L^-1 (sW k*).
  Eigen::VectorXd k;
  Eigen::MatrixXd dk;
  kernel_->column(X_, x, &k, gradient ? &dk : nullptr);
  k *= variance_;
  Eigen::VectorXd diag_gradient;
  const double kxx = variance_ * kernel_->diagonal(x, gradient ? &diag_gradient : nullptr);
  const double f = mean_ + k.dot(gradient_log_likelihood_);
  const Eigen::VectorXd v = solve_lower(L_, sqrt_w_.cwiseProduct(k));
  const double var = std::max(kxx - v.squaredNorm(), 0.0);
  const double s = std::sqrt(1.0 + var);
  const double z = f / s;
  const double value = log_cdf(z);
  if (gradient) {
    dk *= variance_;
    const Eigen::VectorXd df = dk.transpose() * gradient_log_likelihood_;
    // d(v'v)/dx = 2 v' L^-1 (sW dk)
    const Eigen::MatrixXd dv = solve_lower(L_, sqrt_w_.asDiagonal() * dk);
    Eigen::VectorXd dvar = -2.0 * dv.transpose() * v;
    if (diag_gradient.size() == x.size()) dvar += variance_ * diag_gradient;
    if (kxx - v.squaredNorm() <= 0.0) dvar.setZero();
    const Eigen::VectorXd dz = df / s - 0.5 * f / (s * s * s) * dvar;
    *gradient = std::exp(log_pdf(z) - value) * dz;
  }
  return value;
}

double GpClassifier::success(const Eigen::VectorXd& x) const { return std::exp(log_success(x)); }

}  // namespace boex
