#include "surrogates/input_warped_kernel.h"

#include <algorithm>
#include <cmath>

namespace boex {
namespace {

constexpr double kEps = 1e-7;

// sum_ij G_ij dK_ij/dtheta for K_ij = k(w(x_i), w(x_j)): the base kernel's own part on the
// warped inputs, and for the concentrations the chain rule through both arguments,
// dK_ij/dc = dk/dw_i . dw_i/dc + dk/dw_j . dw_j/dc, with dk(w_j, w_i)/dw_i from the base
// kernel's input gradient (symmetric kernels: the first argument's slope is the second's).
class WarpedGramGradient final : public GramGradient {
 public:
  WarpedGramGradient(const InputWarpedKernel& kernel, std::unique_ptr<Kernel> base, const Eigen::MatrixXd& X,
                     const Eigen::VectorXd& theta)
      : base_(std::move(base)), theta_(theta) {
    const Eigen::Index d = X.cols(), p = theta.size() - 2 * d;
    W_ = kernel.warped(X, theta);
    base_gram_ = base_->gram(W_, theta.head(p), &base_gradient_);
    dlog_a_.resize(X.rows(), d);
    dlog_b_.resize(X.rows(), d);
    for (Eigen::Index i = 0; i < X.rows(); ++i)
      for (Eigen::Index k = 0; k < d; ++k)
        InputWarpedKernel::warp(X(i, k), std::exp(theta(p + k)), std::exp(theta(p + d + k)), nullptr, &dlog_a_(i, k),
                                &dlog_b_(i, k));
  }

  const Eigen::MatrixXd& base_gram() const { return base_gram_; }

  Eigen::VectorXd contract(const Eigen::MatrixXd& G) const override {
    const Eigen::Index n = W_.rows(), d = W_.cols(), p = theta_.size() - 2 * d;
    Eigen::VectorXd out(theta_.size());
    out.head(p) = base_gradient_->contract(G);
    const Eigen::MatrixXd S = G + G.transpose();
    // slope(i, k) = sum_j S_ij dk(w_j, w_i)/dw_ik.
    Eigen::MatrixXd slope(n, d);
    Eigen::VectorXd column;
    Eigen::MatrixXd D;
    for (Eigen::Index i = 0; i < n; ++i) {
      base_->column(W_, W_.row(i).transpose(), &column, &D);
      slope.row(i) = S.row(i) * D;
    }
    out.segment(p, d) = slope.cwiseProduct(dlog_a_).colwise().sum().transpose();
    out.tail(d) = slope.cwiseProduct(dlog_b_).colwise().sum().transpose();
    return out;
  }

 private:
  std::unique_ptr<Kernel> base_;  // at theta's head
  Eigen::VectorXd theta_;
  Eigen::MatrixXd W_, base_gram_, dlog_a_, dlog_b_;
  std::unique_ptr<GramGradient> base_gradient_;
};

}  // namespace

InputWarpedKernel::InputWarpedKernel(std::unique_ptr<Kernel> base) : base_(std::move(base)) {}

InputWarpedKernel::InputWarpedKernel(const InputWarpedKernel& other)
    : Kernel(other), base_(other.base_->clone()), prior_(other.prior_) {}

double InputWarpedKernel::warp(double x, double a, double b, double* dx, double* dlog_a, double* dlog_b) {
  const double u = kEps + (1.0 - 2.0 * kEps) * std::clamp(x, 0.0, 1.0);
  const double log_u = std::log(u);
  const double s = std::exp(a * log_u);                  // u^a
  // ln(1 - u^a): log1p where u^a is small (so w stays positive near 0), else via expm1 (u^a near 1).
  const double log_one_minus_s = s < 0.5 ? std::log1p(-s) : std::log(-std::expm1(a * log_u));
  const double t = std::exp(b * log_one_minus_s);        // (1 - u^a)^b
  if (dx) *dx = (1.0 - 2.0 * kEps) * a * b * s / u * std::exp((b - 1.0) * log_one_minus_s);
  if (dlog_a) *dlog_a = a * b * std::exp((b - 1.0) * log_one_minus_s) * s * log_u;
  if (dlog_b) *dlog_b = -b * t * log_one_minus_s;
  return -std::expm1(b * log_one_minus_s);               // 1 - t, without cancellation
}

Eigen::MatrixXd InputWarpedKernel::warped(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta) const {
  const Eigen::Index d = X.cols(), p = theta.size() - 2 * d;
  Eigen::MatrixXd W(X.rows(), d);
  for (Eigen::Index k = 0; k < d; ++k) {
    const double a = std::exp(theta(p + k)), b = std::exp(theta(p + d + k));
    for (Eigen::Index i = 0; i < X.rows(); ++i) W(i, k) = warp(X(i, k), a, b, nullptr, nullptr, nullptr);
  }
  return W;
}

void InputWarpedKernel::resize(int dimension) {
  base_->resize(dimension);
  theta_.resize(base_size() + 2 * dimension);
  theta_ = prior_mode();
}

void InputWarpedKernel::set_hyperparameters(const Eigen::VectorXd& theta) {
  Kernel::set_hyperparameters(theta);
  base_->set_hyperparameters(theta.head(base_size()));
}

void InputWarpedKernel::bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const {
  Eigen::VectorXd base_lower, base_upper;
  base_->bounds(&base_lower, &base_upper);
  const Eigen::Index c = theta_.size() - base_size();
  lower->resize(theta_.size());
  upper->resize(theta_.size());
  *lower << base_lower, Eigen::VectorXd::Constant(c, std::log(kMinConcentration));
  *upper << base_upper, Eigen::VectorXd::Constant(c, std::log(kMaxConcentration));
}

Eigen::VectorXd InputWarpedKernel::prior_mode() const {
  // The identity warp (the prior's median) rather than its mode: a fit starts unwarped.
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(theta_.size());
  theta.head(base_size()) = base_->prior_mode();
  return theta;
}

Eigen::VectorXd InputWarpedKernel::prior_draw(Rng& rng) const {
  Eigen::VectorXd theta(theta_.size());
  theta.head(base_size()) = base_->prior_draw(rng);
  for (Eigen::Index k = base_size(); k < theta.size(); ++k)
    theta(k) = std::clamp(prior_.mu + prior_.sigma * rng.normal(), std::log(kMinConcentration), std::log(kMaxConcentration));
  return theta;
}

double InputWarpedKernel::log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const {
  const int p = base_size();
  Eigen::VectorXd base_gradient;
  double out = base_->log_prior(theta.head(p), gradient ? &base_gradient : nullptr);
  if (gradient) {
    gradient->resize(theta.size());
    gradient->head(p) = base_gradient;
  }
  for (Eigen::Index k = p; k < theta.size(); ++k) {
    out += prior_.log_density(theta(k));
    if (gradient) (*gradient)(k) = prior_.dlog_density(theta(k));
  }
  return out;
}

Eigen::MatrixXd InputWarpedKernel::gram(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta,
                                        std::unique_ptr<GramGradient>* gradient) const {
  const int p = base_size();
  if (!gradient) return base_->gram(warped(X, theta), theta.head(p), nullptr);
  std::unique_ptr<Kernel> base = base_->clone();
  base->set_hyperparameters(theta.head(p));
  auto g = std::make_unique<WarpedGramGradient>(*this, std::move(base), X, theta);
  Eigen::MatrixXd K = g->base_gram();
  *gradient = std::move(g);
  return K;
}

Eigen::MatrixXd InputWarpedKernel::matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const {
  return base_->matrix(warped(A, theta_), warped(B, theta_));
}

void InputWarpedKernel::column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
                               Eigen::MatrixXd* dk) const {
  const Eigen::Index d = x.size(), p = base_size();
  Eigen::VectorXd w(d), slope(d);
  for (Eigen::Index j = 0; j < d; ++j)
    w(j) = warp(x(j), std::exp(theta_(p + j)), std::exp(theta_(p + d + j)), &slope(j), nullptr, nullptr);
  base_->column(warped(A, theta_), w, k, dk);
  if (dk) *dk = (*dk) * slope.asDiagonal();
}

double InputWarpedKernel::diagonal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const Eigen::Index d = x.size(), p = base_size();
  Eigen::VectorXd w(d), slope(d);
  for (Eigen::Index j = 0; j < d; ++j)
    w(j) = warp(x(j), std::exp(theta_(p + j)), std::exp(theta_(p + d + j)), &slope(j), nullptr, nullptr);
  const double value = base_->diagonal(w, gradient);
  if (gradient) *gradient = gradient->cwiseProduct(slope);
  return value;
}

Eigen::VectorXd InputWarpedKernel::diagonal(const Eigen::MatrixXd& X) const { return base_->diagonal(warped(X, theta_)); }

}  // namespace boex
