#include "surrogates/ar1_fidelity_kernel.h"

#include <algorithm>
#include <cmath>

#include "surrogates/priors.h"

namespace boex {
namespace {

constexpr double kRhoMean = 1.0, kRhoSd = 1.0, kRhoBound = 3.0;
constexpr double kLogSqrt2Pi = 0.91893853320467274178;

int level_count(const KernelOptions& options) { return options.fidelity.levels >= 2 ? options.fidelity.levels : 2; }

// K = sum_k v_k (V_k V_k^T) o K_k: the part k contracts v_k G o V_k V_k^T; ln v_k gives
// v_k V_k^T (G o K_k) V_k; rho_l gives sum_k v_k (dV_k^T (G o K_k) V_k + V_k^T (G o K_k) dV_k).
class Ar1GramGradient final : public GramGradient {
 public:
  explicit Ar1GramGradient(Eigen::MatrixXd design) : Z(std::move(design)) {}

  Eigen::VectorXd contract(const Eigen::MatrixXd& G) const override {
    Eigen::VectorXd out(size);
    const int L = static_cast<int>(parts.size());
    std::vector<Eigen::MatrixXd> GK(static_cast<std::size_t>(L));
    for (int k = 0; k < L; ++k) {
      const Eigen::VectorXd Vk = V.col(k);
      const Eigen::VectorXd g = parts[k]->contract(variance(k) * G.cwiseProduct(Vk * Vk.transpose()));
      out.segment(offsets[k], g.size()) = g;
      GK[k] = G.cwiseProduct(K[k]);
      if (k > 0) out(own + k - 1) = variance(k) * Vk.dot(GK[k] * Vk);
    }
    for (int l = 0; l + 1 < L; ++l) {
      double sum = 0.0;
      for (int k = 0; k < L; ++k) {
        const Eigen::VectorXd Vk = V.col(k), dVk = dV[l].col(k);
        sum += variance(k) * (dVk.dot(GK[k] * Vk) + Vk.dot(GK[k] * dVk));
      }
      out(own + L - 1 + l) = sum;
    }
    return out;
  }

  const Eigen::MatrixXd Z;  // the design columns, which the parts' gradients refer to
  std::vector<std::unique_ptr<GramGradient>> parts;
  std::vector<Eigen::MatrixXd> K;   // each level's difference kernel on Z
  Eigen::MatrixXd V;                // n x L weights
  std::vector<Eigen::MatrixXd> dV;  // d V / d rho_l
  Eigen::VectorXd variance;
  std::vector<Eigen::Index> offsets;
  Eigen::Index own = 0, size = 0;
};

}  // namespace

Ar1FidelityKernel::Ar1FidelityKernel(const KernelOptions& options)
    : FidelityKernel(options, level_count(options)), levels_(level_count(options)) {}

int Ar1FidelityKernel::level(double u) const {
  const double t = std::round(coordinate(u) * (levels_ - 1));
  return static_cast<int>(std::clamp(t, 0.0, static_cast<double>(levels_ - 1)));
}

void Ar1FidelityKernel::own_bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const {
  lower->resize(num_own());
  upper->resize(num_own());
  lower->head(levels_ - 1).setConstant(std::log(1e-6));
  upper->head(levels_ - 1).setConstant(std::log(10.0));
  lower->tail(levels_ - 1).setConstant(-kRhoBound);
  upper->tail(levels_ - 1).setConstant(kRhoBound);
}

Eigen::VectorXd Ar1FidelityKernel::own_mode() const {
  Eigen::VectorXd own(num_own());
  own.head(levels_ - 1).setConstant(std::log(fidelity_difference_prior().mode()));
  own.tail(levels_ - 1).setConstant(kRhoMean);
  return own;
}

Eigen::VectorXd Ar1FidelityKernel::own_draw(Rng& rng) const {
  const LogNormalPrior prior = fidelity_difference_prior();
  Eigen::VectorXd own(num_own());
  for (int k = 0; k + 1 < levels_; ++k) own(k) = prior.mu + prior.sigma * rng.normal();
  for (int l = 0; l + 1 < levels_; ++l) own(levels_ - 1 + l) = kRhoMean + kRhoSd * rng.normal();
  return own;
}

double Ar1FidelityKernel::own_log_prior(const Eigen::VectorXd& own, Eigen::VectorXd* gradient) const {
  const LogNormalPrior prior = fidelity_difference_prior();
  if (gradient) gradient->resize(num_own());
  double out = 0.0;
  for (int k = 0; k + 1 < levels_; ++k) {
    out += prior.log_density(own(k));
    if (gradient) (*gradient)(k) = prior.dlog_density(own(k));
  }
  for (int l = 0; l + 1 < levels_; ++l) {
    const double z = (own(levels_ - 1 + l) - kRhoMean) / kRhoSd;
    out += -0.5 * z * z - std::log(kRhoSd) - kLogSqrt2Pi;
    if (gradient) (*gradient)(levels_ - 1 + l) = -z / kRhoSd;
  }
  return out;
}

Eigen::VectorXd Ar1FidelityKernel::variances(const Eigen::VectorXd& own) const {
  Eigen::VectorXd v(levels_);
  v(0) = 1.0;
  v.tail(levels_ - 1) = own.head(levels_ - 1).array().exp();
  return v;
}

Eigen::MatrixXd Ar1FidelityKernel::products(const Eigen::VectorXd& own) const {
  const Eigen::VectorXd rho = own.tail(levels_ - 1);
  Eigen::MatrixXd P = Eigen::MatrixXd::Zero(levels_, levels_);
  for (int k = 0; k < levels_; ++k) {
    P(k, k) = 1.0;
    for (int i = k + 1; i < levels_; ++i) P(i, k) = P(i - 1, k) * rho(i - 1);
  }
  return P;
}

Eigen::MatrixXd Ar1FidelityKernel::dproducts(const Eigen::VectorXd& own, int l) const {
  // prod_{m=k}^{i-1} rho_m without rho_l, where k <= l < i (a product, so never a division by rho_l).
  const Eigen::VectorXd rho = own.tail(levels_ - 1);
  Eigen::MatrixXd dP = Eigen::MatrixXd::Zero(levels_, levels_);
  for (int k = 0; k <= l; ++k)
    for (int i = l + 1; i < levels_; ++i) {
      double product = 1.0;
      for (int m = k; m < i; ++m)
        if (m != l) product *= rho(m);
      dP(i, k) = product;
    }
  return dP;
}

Eigen::MatrixXd Ar1FidelityKernel::weights(const Eigen::MatrixXd& X, const Eigen::MatrixXd& P) const {
  Eigen::MatrixXd V(X.rows(), levels_);
  for (Eigen::Index r = 0; r < X.rows(); ++r) V.row(r) = P.row(level(X(r, fidelity_input())));
  return V;
}

Eigen::MatrixXd Ar1FidelityKernel::gram(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta,
                                        std::unique_ptr<GramGradient>* gradient) const {
  const Eigen::VectorXd own = own_theta(theta);
  const Eigen::VectorXd v = variances(own);
  const Eigen::MatrixXd V = weights(X, products(own));
  auto g = std::make_unique<Ar1GramGradient>(design(X));
  Eigen::MatrixXd K = Eigen::MatrixXd::Zero(X.rows(), X.rows());
  for (int k = 0; k < levels_; ++k) {
    std::unique_ptr<GramGradient> dk;
    Eigen::MatrixXd Kk = part(k).gram(g->Z, part_theta(theta, k), gradient ? &dk : nullptr);
    K += v(k) * (V.col(k) * V.col(k).transpose()).cwiseProduct(Kk);
    if (gradient) {
      g->parts.push_back(std::move(dk));
      g->K.push_back(std::move(Kk));
      g->offsets.push_back(part_offset(k));
    }
  }
  if (gradient) {
    g->V = V;
    for (int l = 0; l + 1 < levels_; ++l) g->dV.push_back(weights(X, dproducts(own, l)));
    g->variance = v;
    g->own = own_offset();
    g->size = theta.size();
    *gradient = std::move(g);
  }
  return K;
}

Eigen::MatrixXd Ar1FidelityKernel::matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const {
  const Eigen::VectorXd own = own_theta(theta_);
  const Eigen::VectorXd v = variances(own);
  const Eigen::MatrixXd P = products(own);
  const Eigen::MatrixXd VA = weights(A, P), VB = weights(B, P), ZA = design(A), ZB = design(B);
  Eigen::MatrixXd K = Eigen::MatrixXd::Zero(A.rows(), B.rows());
  for (int k = 0; k < levels_; ++k) K += v(k) * (VA.col(k) * VB.col(k).transpose()).cwiseProduct(part(k).matrix(ZA, ZB));
  return K;
}

void Ar1FidelityKernel::column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
                               Eigen::MatrixXd* dk) const {
  const Eigen::VectorXd own = own_theta(theta_);
  const Eigen::VectorXd v = variances(own);
  const Eigen::MatrixXd P = products(own);
  const Eigen::MatrixXd VA = weights(A, P), ZA = design(A);
  const Eigen::VectorXd z = design(x);
  const int lx = level(x(fidelity_input()));
  k->setZero(A.rows());
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(A.rows(), z.size());
  for (int l = 0; l <= lx; ++l) {  // P(lx, l) = 0 beyond lx
    Eigen::VectorXd kl;
    Eigen::MatrixXd Jl;
    part(l).column(ZA, z, &kl, dk ? &Jl : nullptr);
    const Eigen::VectorXd w = v(l) * P(lx, l) * VA.col(l);
    *k += w.cwiseProduct(kl);
    if (dk) J += w.asDiagonal() * Jl;
  }
  if (dk) *dk = scatter(J, Eigen::VectorXd::Zero(A.rows()));
}

double Ar1FidelityKernel::diagonal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const Eigen::VectorXd own = own_theta(theta_);
  const Eigen::VectorXd v = variances(own);
  const Eigen::MatrixXd P = products(own);
  const Eigen::VectorXd z = design(x);
  const int lx = level(x(fidelity_input()));
  double out = 0.0;
  Eigen::VectorXd g = Eigen::VectorXd::Zero(z.size()), gl;
  for (int l = 0; l <= lx; ++l) {
    const double w = v(l) * P(lx, l) * P(lx, l);
    out += w * part(l).diagonal(z, gradient ? &gl : nullptr);
    if (gradient) g += w * gl;
  }
  if (gradient) *gradient = scatter(g, 0.0);
  return out;
}

}  // namespace boex
