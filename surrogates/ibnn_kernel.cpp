#include "surrogates/ibnn_kernel.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"

namespace boex {
namespace {

constexpr double kPi = 3.14159265358979323846;
// BoTorch clamps the cosine to +-(1 - 1e-7) because autograd through acos is infinite at +-1.
// The gradients here are written in the angle (dJ/dcos t = pi - t, finite everywhere), so only
// rounding past +-1 is clamped, and identical points get exactly the diagonal's value.
constexpr double kCosineLimit = 1.0;
// sw2 and sb2 between 1e-4 and 1e4 (ln units).
constexpr double kLogLower = -9.210340371976182, kLogUpper = 9.210340371976182;

// A 2-vector as a dynamic one (fixed-size 2-vectors trip GCC 12's AVX-512 bounds warnings).
Eigen::VectorXd pair(double a, double b) {
  Eigen::VectorXd out(2);
  out << a, b;
  return out;
}

struct Angle {
  double theta, sine, cosine;
};

Angle angle(double k, double s) {
  const double c = std::clamp(k / s, -kCosineLimit, kCosineLimit);
  const double t = std::acos(c);
  return {t, std::sin(t), c};
}

// One layer of the recursion for a pair: sw2 / (2 pi) s (sin t + (pi - t) cos t).
double arc_cosine(double sw2, double s, const Angle& a) {
  return sw2 / (2.0 * kPi) * s * (a.sine + (kPi - a.theta) * a.cosine);
}

// Reverse-mode contraction through the recursion: every layer's Gram matrix and angles are kept.
class IbnnGramGradient final : public GramGradient {
 public:
  IbnnGramGradient(double sw2, double sb2, Eigen::MatrixXd K0, std::vector<Eigen::MatrixXd> layers,
                   Eigen::MatrixXd inner)
      : sw2_(sw2), sb2_(sb2), K0_(std::move(K0)), layers_(std::move(layers)), inner_(std::move(inner)) {}

  Eigen::VectorXd contract(const Eigen::MatrixXd& G) const override {
    const Eigen::Index n = G.rows();
    double g_sw = 0.0, g_sb = 0.0;
    Eigen::MatrixXd adjoint = G;  // of the current layer's output
    for (int l = static_cast<int>(layers_.size()) - 1; l >= 0; --l) {
      const Eigen::MatrixXd& K = l == 0 ? K0_ : layers_[l - 1];  // the layer's input
      Eigen::MatrixXd previous = Eigen::MatrixXd::Zero(n, n);
      for (Eigen::Index j = 0; j < n; ++j) {
        for (Eigen::Index i = 0; i < n; ++i) {
          const double a = adjoint(i, j);
          g_sb += a;
          if (i == j) {
            g_sw += a * 0.5 * K(i, i);
            previous(i, i) += a * 0.5 * sw2_;
            continue;
          }
          const double s = std::sqrt(K(i, i) * K(j, j));
          const Angle t = angle(K(i, j), s);
          g_sw += a * arc_cosine(1.0, s, t);
          previous(i, j) += a * sw2_ / (2.0 * kPi) * (kPi - t.theta);
          // d/dK_ii of s J(K_ij / s) = s sin t / (2 K_ii), and likewise for K_jj.
          const double b = a * sw2_ / (4.0 * kPi) * s * t.sine;
          previous(i, i) += b / K(i, i);
          previous(j, j) += b / K(j, j);
        }
      }
      adjoint = std::move(previous);
    }
    g_sb += adjoint.sum();
    g_sw += adjoint.cwiseProduct(inner_).sum();
    // Chain rule to the log coordinates.
    return pair(g_sw * sw2_, g_sb * sb2_);
  }

 private:
  double sw2_, sb2_;
  Eigen::MatrixXd K0_;
  std::vector<Eigen::MatrixXd> layers_;  // outputs of layers 1 .. depth
  Eigen::MatrixXd inner_;                // x_i . x_j / d
};

}  // namespace

InfiniteWidthBnnKernel::InfiniteWidthBnnKernel(const KernelOptions& options) : depth_(options.depth) {
  if (depth_ < 0) throw InvalidArgument("KernelOptions::depth = " + std::to_string(depth_) + "; must be >= 0");
  prior_.sigma = 1.0;
  prior_.mu = std::log(std::log(2.0)) + prior_.sigma * prior_.sigma;
  theta_ = prior_mode();
}

void InfiniteWidthBnnKernel::resize(int dimension) {
  dimension_ = std::max(dimension, 1);
  theta_ = prior_mode();
}

void InfiniteWidthBnnKernel::bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const {
  *lower = Eigen::VectorXd::Constant(2, kLogLower);
  *upper = Eigen::VectorXd::Constant(2, kLogUpper);
}

Eigen::VectorXd InfiniteWidthBnnKernel::prior_mode() const { return Eigen::VectorXd::Constant(2, std::log(prior_.mode())); }

Eigen::VectorXd InfiniteWidthBnnKernel::prior_draw(Rng& rng) const {
  const double a = prior_.mu + prior_.sigma * rng.normal();
  const double b = prior_.mu + prior_.sigma * rng.normal();
  return pair(a, b);
}

double InfiniteWidthBnnKernel::log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const {
  if (gradient) *gradient = pair(prior_.dlog_density(theta(0)), prior_.dlog_density(theta(1)));
  return prior_.log_density(theta(0)) + prior_.log_density(theta(1));
}

Eigen::MatrixXd InfiniteWidthBnnKernel::gram(const Eigen::MatrixXd& X, const Eigen::VectorXd& theta,
                                             std::unique_ptr<GramGradient>* gradient) const {
  const double sw2 = std::exp(theta(0)), sb2 = std::exp(theta(1));
  const Eigen::Index n = X.rows();
  const Eigen::MatrixXd inner = (X * X.transpose()) / static_cast<double>(X.cols());
  Eigen::MatrixXd K = (sw2 * inner).array() + sb2;
  const Eigen::MatrixXd K0 = K;
  std::vector<Eigen::MatrixXd> layers;
  for (int l = 0; l < depth_; ++l) {
    Eigen::MatrixXd next(n, n);
    for (Eigen::Index j = 0; j < n; ++j) {
      for (Eigen::Index i = 0; i < n; ++i) {
        if (i == j) {
          next(i, i) = sb2 + 0.5 * sw2 * K(i, i);
          continue;
        }
        const double s = std::sqrt(K(i, i) * K(j, j));
        next(i, j) = sb2 + arc_cosine(sw2, s, angle(K(i, j), s));
      }
    }
    K = std::move(next);
    if (gradient) layers.push_back(K);
  }
  if (gradient) *gradient = std::make_unique<IbnnGramGradient>(sw2, sb2, K0, std::move(layers), inner);
  return K;
}

Eigen::MatrixXd InfiniteWidthBnnKernel::matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const {
  const double sw2 = weight_variance(), sb2 = bias_variance();
  const double d = static_cast<double>(A.cols());
  Eigen::MatrixXd K = (sw2 * (A * B.transpose()) / d).array() + sb2;
  Eigen::VectorXd ka = ((sw2 / d) * A.rowwise().squaredNorm()).array() + sb2;
  Eigen::VectorXd kb = ((sw2 / d) * B.rowwise().squaredNorm()).array() + sb2;
  for (int l = 0; l < depth_; ++l) {
    for (Eigen::Index j = 0; j < K.cols(); ++j) {
      for (Eigen::Index i = 0; i < K.rows(); ++i) {
        const double s = std::sqrt(ka(i) * kb(j));
        K(i, j) = sb2 + arc_cosine(sw2, s, angle(K(i, j), s));
      }
    }
    ka = (0.5 * sw2 * ka).array() + sb2;
    kb = (0.5 * sw2 * kb).array() + sb2;
  }
  return K;
}

void InfiniteWidthBnnKernel::column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k,
                                    Eigen::MatrixXd* dk) const {
  const double sw2 = weight_variance(), sb2 = bias_variance();
  const double d = static_cast<double>(A.cols());
  // Forward mode in x: k(A_i, x), k(x, x) and their gradients through every layer.
  *k = ((sw2 / d) * (A * x)).array() + sb2;
  Eigen::VectorXd ka = ((sw2 / d) * A.rowwise().squaredNorm()).array() + sb2;
  double kx = sb2 + sw2 / d * x.squaredNorm();
  Eigen::MatrixXd dK;
  Eigen::VectorXd dkx;
  if (dk) {
    dK = (sw2 / d) * A;
    dkx = (2.0 * sw2 / d) * x;
  }
  for (int l = 0; l < depth_; ++l) {
    for (Eigen::Index i = 0; i < A.rows(); ++i) {
      const double s = std::sqrt(ka(i) * kx);
      const Angle t = angle((*k)(i), s);
      if (dk)
        dK.row(i) = sw2 / (2.0 * kPi) *
                    ((kPi - t.theta) * dK.row(i) + (s * t.sine / (2.0 * kx)) * dkx.transpose());
      (*k)(i) = sb2 + arc_cosine(sw2, s, t);
    }
    ka = (0.5 * sw2 * ka).array() + sb2;
    kx = sb2 + 0.5 * sw2 * kx;
    if (dk) dkx *= 0.5 * sw2;
  }
  if (dk) *dk = std::move(dK);
}

double InfiniteWidthBnnKernel::diagonal(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const double sw2 = weight_variance(), sb2 = bias_variance();
  const double d = static_cast<double>(x.size());
  double kx = sb2 + sw2 / d * x.squaredNorm();
  double scale = 2.0 * sw2 / d;  // d kx / dx = scale * x
  for (int l = 0; l < depth_; ++l) {
    kx = sb2 + 0.5 * sw2 * kx;
    scale *= 0.5 * sw2;
  }
  if (gradient) *gradient = scale * x;
  return kx;
}

Eigen::VectorXd InfiniteWidthBnnKernel::diagonal(const Eigen::MatrixXd& X) const {
  Eigen::VectorXd out(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) out(i) = diagonal(Eigen::VectorXd(X.row(i).transpose()), nullptr);
  return out;
}

}  // namespace boex
