#include "surrogates/ibnn_kernel.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"

namespace boex {
namespace {

constexpr double kPi = 3.14159265358979323846;

// The network sees u = 2x - 1: the unit cube centred on its origin, as inputs of a neural net are.
// On the raw cube the origin is a corner, the prior variance (which grows with |u|) peaks at the
// opposite corner, and expected improvement sweeps the cube's corners one by one (Hartmann6 at 60
// evaluations: median gap 2.39, worse than random search).
constexpr double kInputScale = 2.0;
Eigen::MatrixXd to_network_input(const Eigen::MatrixXd& unit) { return (kInputScale * unit).array() - 1.0; }
Eigen::VectorXd to_network_input(const Eigen::VectorXd& unit) { return (kInputScale * unit).array() - 1.0; }
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

// The angle between two units' preactivations, from their covariance k and s = sqrt(k_xx k_x'x').
// sin t = sqrt(1 - cos^2 t) spares a second transcendental call per pair.
Angle angle(double k, double s) {
  const double c = std::clamp(k / s, -kCosineLimit, kCosineLimit);
  return {std::acos(c), std::sqrt(std::max(0.0, 1.0 - c * c)), c};
}

// One layer of the recursion for a pair: sw2 / (2 pi) s (sin t + (pi - t) cos t).
double arc_cosine(double sw2, double s, const Angle& a) {
  return sw2 / (2.0 * kPi) * s * (a.sine + (kPi - a.theta) * a.cosine);
}

// What one layer of the Gram recursion leaves for the gradient: its input's diagonal, and per pair
// the angle and s = sqrt(K_ii K_jj) (lower triangles; the matrices are symmetric).
struct GramLayer {
  Eigen::VectorXd diagonal;
  Eigen::MatrixXd theta, sine, cosine, scale;
};

// K_{l+1} from K_l over the lower triangle (mirrored), recording the layer when asked.
Eigen::MatrixXd next_layer(const Eigen::MatrixXd& K, double sw2, double sb2, GramLayer* record) {
  const Eigen::Index n = K.rows();
  const Eigen::VectorXd root = K.diagonal().cwiseSqrt();
  Eigen::MatrixXd next(n, n);
  if (record) {
    record->diagonal = K.diagonal();
    record->theta.resize(n, n);
    record->sine.resize(n, n);
    record->cosine.resize(n, n);
    record->scale.resize(n, n);
  }
  for (Eigen::Index j = 0; j < n; ++j) {
    next(j, j) = sb2 + 0.5 * sw2 * K(j, j);
    for (Eigen::Index i = j + 1; i < n; ++i) {
      const double s = root(i) * root(j);
      const Angle t = angle(K(i, j), s);
      next(i, j) = next(j, i) = sb2 + arc_cosine(sw2, s, t);
      if (record) {
        record->theta(i, j) = t.theta;
        record->sine(i, j) = t.sine;
        record->cosine(i, j) = t.cosine;
        record->scale(i, j) = s;
      }
    }
  }
  return next;
}

// Reverse-mode contraction through the recursion from the recorded layers.
class IbnnGramGradient final : public GramGradient {
 public:
  IbnnGramGradient(double sw2, double sb2, std::vector<GramLayer> layers, Eigen::MatrixXd inner)
      : sw2_(sw2), sb2_(sb2), layers_(std::move(layers)), inner_(std::move(inner)) {}

  Eigen::VectorXd contract(const Eigen::MatrixXd& G) const override {
    const Eigen::Index n = G.rows();
    double g_sw = 0.0, g_sb = 0.0;
    // The adjoint of the current layer's output, symmetrised: pairs are visited once.
    Eigen::MatrixXd adjoint = G;
    for (int l = static_cast<int>(layers_.size()) - 1; l >= 0; --l) {
      const GramLayer& layer = layers_[l];
      Eigen::MatrixXd previous = Eigen::MatrixXd::Zero(n, n);
      g_sb += adjoint.sum();
      for (Eigen::Index j = 0; j < n; ++j) {
        const double a_jj = adjoint(j, j);
        g_sw += a_jj * 0.5 * layer.diagonal(j);
        previous(j, j) += a_jj * 0.5 * sw2_;
        for (Eigen::Index i = j + 1; i < n; ++i) {
          const double a = adjoint(i, j) + adjoint(j, i);
          const double t = layer.theta(i, j), sine = layer.sine(i, j), s = layer.scale(i, j);
          g_sw += a * s / (2.0 * kPi) * (sine + (kPi - t) * layer.cosine(i, j));
          const double off = a * sw2_ / (2.0 * kPi) * (kPi - t);
          previous(i, j) += 0.5 * off;
          previous(j, i) += 0.5 * off;
          // d/dK_ii of s J(K_ij / s) = s sin t / (2 K_ii), and likewise for K_jj.
          const double b = a * sw2_ / (4.0 * kPi) * s * sine;
          previous(i, i) += b / layer.diagonal(i);
          previous(j, j) += b / layer.diagonal(j);
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
  std::vector<GramLayer> layers_;
  Eigen::MatrixXd inner_;  // x_i . x_j / d
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

Eigen::MatrixXd InfiniteWidthBnnKernel::gram(const Eigen::MatrixXd& Xunit, const Eigen::VectorXd& theta,
                                             std::unique_ptr<GramGradient>* gradient) const {
  const double sw2 = std::exp(theta(0)), sb2 = std::exp(theta(1));
  const Eigen::MatrixXd X = to_network_input(Xunit);
  const Eigen::MatrixXd inner = (X * X.transpose()) / static_cast<double>(X.cols());
  Eigen::MatrixXd K = (sw2 * inner).array() + sb2;
  std::vector<GramLayer> layers(gradient ? depth_ : 0);
  for (int l = 0; l < depth_; ++l) K = next_layer(K, sw2, sb2, gradient ? &layers[l] : nullptr);
  if (gradient) *gradient = std::make_unique<IbnnGramGradient>(sw2, sb2, std::move(layers), inner);
  return K;
}

Eigen::MatrixXd InfiniteWidthBnnKernel::matrix(const Eigen::MatrixXd& Aunit, const Eigen::MatrixXd& Bunit) const {
  const double sw2 = weight_variance(), sb2 = bias_variance();
  const Eigen::MatrixXd A = to_network_input(Aunit), B = to_network_input(Bunit);
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

void InfiniteWidthBnnKernel::column(const Eigen::MatrixXd& Aunit, const Eigen::VectorXd& xunit, Eigen::VectorXd* k,
                                    Eigen::MatrixXd* dk) const {
  const double sw2 = weight_variance(), sb2 = bias_variance();
  const Eigen::MatrixXd A = to_network_input(Aunit);
  const Eigen::VectorXd x = to_network_input(xunit);
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
  if (dk) *dk = kInputScale * dK;  // chain rule through u = 2x - 1
}

double InfiniteWidthBnnKernel::diagonal(const Eigen::VectorXd& xunit, Eigen::VectorXd* gradient) const {
  const double sw2 = weight_variance(), sb2 = bias_variance();
  const Eigen::VectorXd x = to_network_input(xunit);
  const double d = static_cast<double>(x.size());
  double kx = sb2 + sw2 / d * x.squaredNorm();
  double scale = 2.0 * sw2 / d;  // d kx / dx = scale * x
  for (int l = 0; l < depth_; ++l) {
    kx = sb2 + 0.5 * sw2 * kx;
    scale *= 0.5 * sw2;
  }
  if (gradient) *gradient = (kInputScale * scale) * x;
  return kx;
}

Eigen::VectorXd InfiniteWidthBnnKernel::diagonal(const Eigen::MatrixXd& X) const {
  Eigen::VectorXd out(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) out(i) = diagonal(Eigen::VectorXd(X.row(i).transpose()), nullptr);
  return out;
}

}  // namespace boex
