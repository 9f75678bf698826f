#include "surrogates/exact_gp.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/errors.h"
#include "core/heap.h"
#include "core/lbfgs.h"
#include "core/linalg.h"
#include "core/normal.h"
#include "core/rng.h"
#include "core/work_counters.h"

namespace boex {
namespace {

constexpr double kMinVariance = 1e-12;  // BoTorch's min_var for analytic acquisitions
constexpr double kMeanBound = 10.0;     // |constant mean| in standardised units

void require(bool ok, const std::string& field, const std::string& rule, double value) {
  if (ok) return;
  std::ostringstream os;
  os << "ExactGP::Options::" << field << " = " << value << "; must be " << rule;
  throw InvalidArgument(os.str());
}

}  // namespace

KernelOptions ExactGP::Options::kernel_options() const {
  KernelOptions k;
  k.min_lengthscale = min_lengthscale;
  k.max_lengthscale = max_lengthscale;
  k.depth = ibnn_depth;
  return k;
}

void ExactGP::Options::validate() const {
  make_kernel(kernel);
  require(num_restarts >= 1, "num_restarts", ">= 1", num_restarts);
  require(max_evaluations >= 1, "max_evaluations", ">= 1", max_evaluations);
  require(min_lengthscale > 0, "min_lengthscale", "> 0", min_lengthscale);
  require(max_lengthscale > min_lengthscale, "max_lengthscale", "> min_lengthscale", max_lengthscale);
  require(ibnn_depth >= 0 && ibnn_depth <= 16, "ibnn_depth", "in 0..16", ibnn_depth);
  require(min_noise_variance > 0, "min_noise_variance", "> 0", min_noise_variance);
  require(max_noise_variance > min_noise_variance, "max_noise_variance", "> min_noise_variance",
          max_noise_variance);
  require(large_n >= 2, "large_n", ">= 2", large_n);
  require(subset_size >= 2, "subset_size", ">= 2", subset_size);
  require(max_refine_evaluations >= 1, "max_refine_evaluations", ">= 1", max_refine_evaluations);
}

ExactGP::ExactGP() : ExactGP(Options()) {}

ExactGP::ExactGP(Options options) : options_(std::move(options)) {
  options_.validate();
  kernel_ = make_kernel(options_.kernel, options_.kernel_options());
}

ExactGP::ExactGP(Options options, std::unique_ptr<Kernel> kernel) : options_(std::move(options)), kernel_(std::move(kernel)) {
  options_.validate();
  if (!kernel_) throw InvalidArgument("ExactGP: no kernel given");
}

ExactGP::ExactGP(const ExactGP& other) { *this = other; }

void ExactGP::warm_start(const Hyperparameters& start, int max_evaluations) {
  if (max_evaluations < 1)
    throw InvalidArgument("ExactGP::warm_start: max_evaluations = " + std::to_string(max_evaluations) + "; must be >= 1");
  warm_ = true;
  warm_start_ = start;
  warm_evaluations_ = max_evaluations;
}

ExactGP& ExactGP::operator=(const ExactGP& other) {
  if (this == &other) return *this;
  options_ = other.options_;
  kernel_ = other.kernel_->clone();
  noise_prior_ = other.noise_prior_;
  data_ = other.data_;
  y_s_ = other.y_s_;
  noise_s_ = other.noise_s_;
  y_mean_ = other.y_mean_;
  y_scale_ = other.y_scale_;
  hyper_ = other.hyper_;
  L_ = other.L_;
  alpha_ = other.alpha_;
  log_marginal_likelihood_ = other.log_marginal_likelihood_;
  return *this;
}

Capabilities ExactGP::capabilities() const {
  Capabilities c;
  c.gaussian_marginals = true;
  c.joint = true;
  c.fidelity = kernel_->models_fidelity();
  return c;
}

void ExactGP::set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& noise) {
  validate_dataset({X, y, noise, kernel_->groups()}, "ExactGP");
  const int n = static_cast<int>(y.size());
  data_ = {X, y, noise, kernel_->groups()};
  y_mean_ = y.mean();
  y_scale_ = 1.0;
  if (n > 1) {
    const double sd = std::sqrt((y.array() - y_mean_).square().sum() / (n - 1));
    // Constant outputs keep unit scale (BoTorch's Standardize). "Constant" is relative to the
    // values' magnitude (a spread at rounding level), not an absolute 1e-8, so that an objective
    // measured in tiny units (1e-9 x Hartmann6) is modelled like the same one in large units.
    if (sd > 1e-12 * y.cwiseAbs().maxCoeff() && sd > std::numeric_limits<double>::min()) y_scale_ = sd;
  }
  y_s_ = (y.array() - y_mean_) / y_scale_;
  noise_s_ = noise.size() ? Eigen::VectorXd(noise / (y_scale_ * y_scale_)) : Eigen::VectorXd();
  kernel_->resize(static_cast<int>(X.cols()));
}

Eigen::VectorXd ExactGP::pack(const Hyperparameters& hyper) const {
  const int p = num_kernel_hyperparameters();
  Eigen::VectorXd u(p + (learns_noise() ? 2 : 1));
  u.head(p) = hyper.kernel;
  if (learns_noise()) u(p) = std::log(hyper.noise_variance);
  u(u.size() - 1) = hyper.constant_mean;
  return u;
}

ExactGP::Hyperparameters ExactGP::unpack(const Eigen::VectorXd& u) const {
  const int p = num_kernel_hyperparameters();
  Hyperparameters h;
  h.kernel = u.head(p);
  h.noise_variance = learns_noise() ? std::exp(u(p)) : 0.0;
  h.constant_mean = u(u.size() - 1);
  return h;
}

double ExactGP::objective(const Eigen::VectorXd& u, Eigen::VectorXd* gradient) const {
  if (data_.X.rows() == 0) throw StateError("ExactGP::objective: no data; call fit or condition first");
  const int n = static_cast<int>(data_.X.rows()), p = num_kernel_hyperparameters();
  const Hyperparameters h = unpack(u);
  std::unique_ptr<GramGradient> dK;
  Eigen::MatrixXd K = kernel_->gram(data_.X, h.kernel, gradient ? &dK : nullptr);
  if (learns_noise())
    K.diagonal().array() += h.noise_variance;
  else
    K.diagonal() += noise_s_;
  const CholeskyResult chol = robust_cholesky(K);
  if (!chol.ok) return -std::numeric_limits<double>::infinity();
  const Eigen::VectorXd r = y_s_.array() - h.constant_mean;
  const Eigen::VectorXd alpha = cholesky_solve(chol.L, r);
  const double lml = -0.5 * r.dot(alpha) - 0.5 * log_det_from_cholesky(chol.L) - 0.5 * n * normal::kLog2Pi;
  Eigen::VectorXd dprior;
  double prior = kernel_->log_prior(h.kernel, gradient ? &dprior : nullptr);
  if (learns_noise()) prior += noise_prior_.log_density(u(p));
  if (gradient) {
    gradient->setZero(u.size());
    const Eigen::MatrixXd Linv = lower_triangular_inverse(chol.L);
    Eigen::MatrixXd W = Eigen::MatrixXd::Zero(n, n);
    W.selfadjointView<Eigen::Lower>().rankUpdate(Linv.transpose());
    W = W.selfadjointView<Eigen::Lower>();  // W = K^-1, full
    // dLML/dtheta_k = 0.5 sum_ij (alpha alpha^T - K^-1)_ij dK_ij/dtheta_k.
    gradient->head(p) = 0.5 * dK->contract(alpha * alpha.transpose() - W) + dprior;
    if (learns_noise())
      (*gradient)(p) = 0.5 * h.noise_variance * (alpha.squaredNorm() - W.trace()) + noise_prior_.dlog_density(u(p));
    (*gradient)(u.size() - 1) = alpha.sum();
    *gradient /= n;
  }
  return (lml + prior) / n;
}

ExactGP::Hyperparameters ExactGP::prior_mode() const {
  Hyperparameters mode;
  mode.kernel = kernel_->prior_mode();
  mode.noise_variance = std::clamp(std::exp(-5.0), options_.min_noise_variance, options_.max_noise_variance);
  mode.constant_mean = 0.0;
  return mode;
}

std::vector<Eigen::VectorXd> ExactGP::fit_starts(const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                                                 int* max_evaluations) const {
  const int n = static_cast<int>(data_.X.rows()), d = static_cast<int>(data_.X.cols());
  const int p = num_kernel_hyperparameters();
  if (warm_) {
    *max_evaluations = warm_evaluations_;
    return {pack(warm_start_).cwiseMax(lower).cwiseMin(upper)};
  }
  Rng rng(mix_seed(options_.seed, static_cast<std::uint64_t>(n)));
  *max_evaluations = options_.max_evaluations;
  if (n > options_.large_n && options_.subset_size < n) {
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    for (int i = n - 1; i > 0; --i) std::swap(order[i], order[rng.index(i + 1)]);
    const int m = options_.subset_size;
    Eigen::MatrixXd Xs(m, d);
    Eigen::VectorXd ys(m), noise;
    if (!learns_noise()) noise.resize(m);
    for (int i = 0; i < m; ++i) {
      Xs.row(i) = data_.X.row(order[i]);
      ys(i) = y_s_(order[i]);
      if (!learns_noise()) noise(i) = noise_s_(order[i]);
    }
    ExactGP subset(*this);
    subset.options_.large_n = std::numeric_limits<int>::max();
    subset.fit(Xs, ys, noise);
    // The subset standardised ys again: map its noise and mean back to this model's units.
    Hyperparameters h = subset.hyperparameters();
    const double scale = subset.output_scale();
    h.noise_variance *= scale * scale;
    h.constant_mean = h.constant_mean * scale + subset.output_mean();
    *max_evaluations = options_.max_refine_evaluations;
    return {pack(h).cwiseMax(lower).cwiseMin(upper)};
  }
  std::vector<Eigen::VectorXd> starts{pack(prior_mode())};
  for (int s = 1; s < options_.num_restarts; ++s) {
    Eigen::VectorXd u = starts.front();
    u.head(p) = kernel_->prior_draw(rng);
    if (learns_noise()) u(p) = noise_prior_.mu + noise_prior_.sigma * rng.normal();
    starts.push_back(u.cwiseMax(lower).cwiseMin(upper));
  }
  return starts;
}

FitSummary ExactGP::fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                 const Eigen::VectorXd& noise_variance) {
  return fit(Dataset{X, y, noise_variance, {}});
}

FitSummary ExactGP::fit(const Dataset& data) {
  ++this_thread_work().model_fits;
  retain_freed_memory();
  kernel_->set_groups(data.groups);
  set_data(data.X, data.y, data.noise_variance);
  const int p = num_kernel_hyperparameters();
  const Hyperparameters mode = prior_mode();
  Eigen::VectorXd lower = pack(mode), upper = pack(mode);
  Eigen::VectorXd kernel_lower, kernel_upper;
  kernel_->bounds(&kernel_lower, &kernel_upper);
  lower.head(p) = kernel_lower;
  upper.head(p) = kernel_upper;
  if (learns_noise()) {
    lower(p) = std::log(options_.min_noise_variance);
    upper(p) = std::log(options_.max_noise_variance);
  }
  lower(lower.size() - 1) = -kMeanBound;
  upper(upper.size() - 1) = kMeanBound;

  const Objective negative = [this](const Eigen::VectorXd& u, Eigen::VectorXd& grad) {
    const double value = -objective(u, &grad);
    grad = -grad;
    return value;
  };
  LbfgsOptions lbfgs;
  lbfgs.relative_ftol = 1e-8;
  FitSummary summary;
  double best = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_u;
  for (const Eigen::VectorXd& start : fit_starts(lower, upper, &lbfgs.max_evaluations)) {
    const LbfgsResult r = minimize_lbfgs(negative, start, lower, upper, lbfgs);
    summary.iterations += r.evaluations;
    if (std::isfinite(r.value) && r.value < best) {
      best = r.value;
      best_u = r.x;
    }
  }
  if (best_u.size() == 0) {
    summary.fell_back = true;
    summary.message = "no start of the MAP fit succeeded; using the prior mode";
    best_u = pack(mode);
  }
  hyper_ = unpack(best_u);
  factorize();
  summary.objective = std::isfinite(best) ? -best : objective(best_u, nullptr);
  if (summary.message.empty()) summary.message = "ok";
  return summary;
}

void ExactGP::condition(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Hyperparameters& hyper,
                        const Eigen::VectorXd& noise_variance) {
  set_data(X, y, noise_variance);
  if (hyper.kernel.size() != num_kernel_hyperparameters())
    throw InvalidArgument("ExactGP::condition: kernel '" + kernel_->name() + "' takes " +
                          std::to_string(num_kernel_hyperparameters()) + " hyperparameters for these inputs");
  hyper_ = hyper;
  factorize();
}

ExactGP ExactGP::conditioned(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const {
  if (X_new.cols() != data_.X.cols() || X_new.rows() != y_new.size())
    throw InvalidArgument("ExactGP::condition_on: new points must match the model's dimension");
  ExactGP out(*this);
  const Eigen::Index n = data_.X.rows(), m = X_new.rows();
  out.data_.X.conservativeResize(n + m, Eigen::NoChange);
  out.data_.X.bottomRows(m) = X_new;
  out.data_.y.conservativeResize(n + m);
  out.data_.y.tail(m) = y_new;
  out.y_s_.conservativeResize(n + m);
  out.y_s_.tail(m) = (y_new.array() - y_mean_) / y_scale_;
  if (!learns_noise()) {
    const double mean_noise = noise_s_.mean();
    out.noise_s_.conservativeResize(n + m);
    out.noise_s_.tail(m).setConstant(mean_noise);
    out.data_.noise_variance = out.noise_s_ * (y_scale_ * y_scale_);
  }
  out.factorize();
  return out;
}

std::unique_ptr<Surrogate> ExactGP::condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const {
  return std::make_unique<ExactGP>(conditioned(X_new, y_new));
}

void ExactGP::factorize() {
  kernel_->set_hyperparameters(hyper_.kernel);
  Eigen::MatrixXd K = kernel_->gram(data_.X, hyper_.kernel, nullptr);
  if (learns_noise())
    K.diagonal().array() += hyper_.noise_variance;
  else
    K.diagonal() += noise_s_;
  CholeskyResult chol = robust_cholesky(K);
  if (!chol.ok) {
    // Beyond the jitter ladder (cannot happen with finite data and a noise floor); fall back to
    // a heavily regularised matrix rather than failing the ask.
    K.diagonal().array() += 1e-2;
    chol = robust_cholesky(K);
    if (!chol.ok) throw NumericalError("ExactGP: kernel matrix could not be factorised");
  }
  L_ = std::move(chol.L);
  const Eigen::VectorXd r = y_s_.array() - hyper_.constant_mean;
  alpha_ = cholesky_solve(L_, r);
  const int n = static_cast<int>(data_.X.rows());
  log_marginal_likelihood_ = -0.5 * r.dot(alpha_) - 0.5 * log_det_from_cholesky(L_) - 0.5 * n * normal::kLog2Pi;
}

void ExactGP::predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const {
  const Eigen::MatrixXd Ks = kernel_->matrix(data_.X, X);  // n x m
  if (mean) *mean = ((Ks.transpose() * alpha_).array() + hyper_.constant_mean) * y_scale_ + y_mean_;
  if (variance) {
    const Eigen::MatrixXd V = solve_lower(L_, Ks);
    const Eigen::ArrayXd prior = kernel_->diagonal(X).array();
    *variance = ((prior - V.colwise().squaredNorm().transpose().array()).max(kMinVariance) * y_scale_ * y_scale_).matrix();
  }
}

void ExactGP::kernel_column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
                            Eigen::MatrixXd* J) const {
  kernel_->column(A, x, k, J);
}

void ExactGP::kernel_column(const Eigen::VectorXd& x, Eigen::VectorXd* k, Eigen::MatrixXd* J) const {
  kernel_->column(data_.X, x, k, J);
}

Eigen::MatrixXd ExactGP::solve_cross(const Eigen::MatrixXd& A) const {
  return cholesky_solve(L_, kernel_->matrix(data_.X, A));
}

Eigen::MatrixXd ExactGP::whiten(const Eigen::MatrixXd& V) const { return solve_lower(L_, V); }

void ExactGP::predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance,
                                    Eigen::VectorXd* dmean, Eigen::VectorXd* dvariance) const {
  Eigen::VectorXd k, dprior;
  Eigen::MatrixXd J;  // dk_i/dx
  kernel_->column(data_.X, x, &k, (dmean || dvariance) ? &J : nullptr);
  const double prior = kernel_->diagonal(x, dvariance ? &dprior : nullptr);
  const Eigen::VectorXd v = solve_lower(L_, k);
  const double var_s = prior - v.squaredNorm();
  *mean = (hyper_.constant_mean + k.dot(alpha_)) * y_scale_ + y_mean_;
  if (dmean) *dmean = (J.transpose() * alpha_) * y_scale_;
  if (dvariance) {
    if (var_s > kMinVariance) {
      const Eigen::VectorXd w = solve_lower_transpose(L_, v);  // (K + noise)^-1 k
      *dvariance = (dprior - 2.0 * (J.transpose() * w)) * (y_scale_ * y_scale_);
    } else {
      dvariance->setZero(x.size());
    }
  }
  *variance = std::max(var_s, kMinVariance) * y_scale_ * y_scale_;
}

namespace {

// Sigma(A_i, x) = k(A_i, x) - k(X, A_i)^T (K + noise)^-1 k(X, x), with W_A = (K + noise)^-1 K(X, A)
// precomputed, so each x costs O(n m + (n + m) d).
class GpCrossCovariance final : public CrossCovariance {
 public:
  GpCrossCovariance(const ExactGP& gp, const Eigen::MatrixXd& A) : gp_(gp), A_(A), W_(gp.solve_cross(A)) {}

  void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* cov, Eigen::MatrixXd* dcov) const override {
    Eigen::VectorXd kA, kX;
    Eigen::MatrixXd JA, JX;
    gp_.kernel_column(A_, x, &kA, dcov ? &JA : nullptr);
    gp_.kernel_column(x, &kX, dcov ? &JX : nullptr);
    const double s2 = gp_.output_scale() * gp_.output_scale();
    *cov = (kA - W_.transpose() * kX) * s2;
    if (dcov) *dcov = (JA - W_.transpose() * JX) * s2;
  }

 private:
  const ExactGP& gp_;
  Eigen::MatrixXd A_, W_;
};

}  // namespace

std::unique_ptr<CrossCovariance> ExactGP::cross_covariance(const Eigen::MatrixXd& A) const {
  return std::make_unique<GpCrossCovariance>(*this, A);
}

Posterior ExactGP::posterior(const Eigen::MatrixXd& X) const {
  Posterior p;
  const Eigen::MatrixXd Ks = kernel_->matrix(data_.X, X);
  const Eigen::MatrixXd V = solve_lower(L_, Ks);
  p.mean = ((Ks.transpose() * alpha_).array() + hyper_.constant_mean) * y_scale_ + y_mean_;
  p.covariance = (kernel_->matrix(X, X) - V.transpose() * V) * (y_scale_ * y_scale_);
  p.covariance.diagonal() = p.covariance.diagonal().cwiseMax(kMinVariance * y_scale_ * y_scale_);
  return p;
}

double ExactGP::noise_variance() const {
  const double s = learns_noise() ? hyper_.noise_variance : noise_s_.mean();
  return s * y_scale_ * y_scale_;
}

double ExactGP::prior_scale() const {
  // The prior sd of f over the observed inputs (stationary kernels: exactly the output scale).
  return y_scale_ * std::sqrt(std::max(kernel_->diagonal(data_.X).mean(), 1e-300));
}

}  // namespace boex
