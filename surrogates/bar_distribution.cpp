#include "surrogates/bar_distribution.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.h"
#include "core/normal.h"

namespace boex {

namespace {

constexpr double kQuartile = 0.67448975019608174320;   // Phi^-1(0.75)
constexpr double kSqrt2OverPi = 0.79788456080286535588;  // E[Z] / s for Z ~ HalfNormal(s)
constexpr double kLn2 = 0.69314718055994530942;
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double log_sum_exp(const Eigen::VectorXd& v) {
  const double m = v.maxCoeff();
  if (m == kNegInf) return kNegInf;
  return m + std::log((v.array() - m).exp().sum());
}

// Q = sum p_k c_k, dQ/dz = p o (c - Q).
double linear_functional(const Eigen::VectorXd& p, const Eigen::VectorXd& c, Eigen::VectorXd* grad) {
  const double q = p.dot(c);
  if (grad) *grad = (p.array() * (c.array() - q)).matrix();
  return q;
}

// ln Q = lse(z + ln c) - lse(z), d/dz = softmax(z + ln c) - softmax(z): never forms Q itself.
double log_functional(const Eigen::VectorXd& z, const Eigen::VectorXd& log_c, Eigen::VectorXd* grad) {
  const Eigen::VectorXd a = z + log_c;
  const double la = log_sum_exp(a), lz = log_sum_exp(z);
  if (la == kNegInf) {
    if (grad) *grad = Eigen::VectorXd::Zero(z.size());
    return kNegInf;
  }
  if (grad) *grad = (a.array() - la).exp().matrix() - (z.array() - lz).exp().matrix();
  return la - lz;
}

// ln E[(v - Z)+], Z ~ HalfNormal(s), v > 0 (the left tail's improvement). v - E[Z] + E[(Z - v)+]
// cancels for small a = v / s, where the series s sqrt(2/pi) sum_n (-1)^n a^(2n+2) / (n! (2n+1)
// 2^n (2n+2)) of integral_0^a erf(t / sqrt2) dt is used instead.
double log_left_tail_improvement(double v, double s) {
  const double a = v / s;
  if (a < 0.5) {
    double sum = 0, power = a * a, factorial = 1, two_n = 1;
    for (int n = 0; n < 40; ++n) {
      if (n > 0) {
        factorial *= n;
        two_n *= 2;
        power *= a * a;
      }
      const double term = power / (factorial * (2 * n + 1) * two_n * (2 * n + 2));
      sum += (n % 2 == 0) ? term : -term;
      if (term < 1e-18 * sum) break;
    }
    return std::log(s * kSqrt2OverPi * sum);
  }
  return std::log(v - s * kSqrt2OverPi + 2.0 * s * normal::h(-a));
}

// ln P(Z < v), Z ~ HalfNormal(s), v > 0: ln erf(v / (s sqrt2)), accurate at both ends.
double log_half_normal_cdf(double v, double s) {
  const double x = v / (s * normal::kSqrt2);
  return x < 0.5 ? std::log(std::erf(x)) : std::log1p(-std::erfc(x));
}

}  // namespace

BarDistribution::BarDistribution(Eigen::VectorXd borders) : borders_(std::move(borders)) {
  if (borders_.size() < 3)
    throw InvalidArgument("BarDistribution: " + std::to_string(borders_.size()) +
                          " borders; need at least 3 (two buckets, the tails)");
  for (Eigen::Index i = 0; i < borders_.size(); ++i) {
    if (!std::isfinite(borders_(i))) throw InvalidArgument("BarDistribution: border " + std::to_string(i) + " is not finite");
    if (i > 0 && !(borders_(i) > borders_(i - 1)))
      throw InvalidArgument("BarDistribution: borders must be strictly increasing (border " + std::to_string(i) + ")");
  }
  const Eigen::Index K = borders_.size() - 1;
  s_left_ = (borders_(1) - borders_(0)) / kQuartile;
  s_right_ = (borders_(K) - borders_(K - 1)) / kQuartile;
}

Eigen::VectorXd BarDistribution::borders_from_samples(std::vector<double> samples, int n_buckets) {
  if (n_buckets < 2) throw InvalidArgument("BarDistribution::borders_from_samples: n_buckets must be >= 2");
  if (samples.size() < static_cast<std::size_t>(2 * n_buckets))
    throw InvalidArgument("BarDistribution::borders_from_samples: " + std::to_string(samples.size()) +
                          " samples for " + std::to_string(n_buckets) + " buckets; need at least two per bucket");
  for (double s : samples)
    if (!std::isfinite(s)) throw InvalidArgument("BarDistribution::borders_from_samples: a sample is not finite");
  std::sort(samples.begin(), samples.end());
  const std::size_t N = samples.size();
  Eigen::VectorXd b(n_buckets + 1);
  b(0) = samples.front();
  b(n_buckets) = samples.back();
  for (int i = 1; i < n_buckets; ++i) {
    const std::size_t j = i * N / n_buckets;
    b(i) = 0.5 * (samples[j - 1] + samples[j]);
  }
  for (int i = 1; i <= n_buckets; ++i)
    if (!(b(i) > b(i - 1)))
      throw InvalidArgument("BarDistribution::borders_from_samples: repeated sample values leave an empty bucket");
  return b;
}

BarDistribution BarDistribution::scaled(double scale) const {
  if (!(scale > 0) || !std::isfinite(scale))
    throw InvalidArgument("BarDistribution::scaled: scale = " + std::to_string(scale) + "; must be positive and finite");
  return BarDistribution(borders_ * scale);
}

void BarDistribution::check_logits(const Logits& z) const {
  if (z.size() != n_buckets())
    throw InvalidArgument("BarDistribution: " + std::to_string(z.size()) + " logits for " +
                          std::to_string(n_buckets()) + " buckets");
  if (!z.allFinite()) throw InvalidArgument("BarDistribution: logits must be finite");
}

Eigen::VectorXd BarDistribution::probabilities(const Logits& z) const {
  check_logits(z);
  const Eigen::VectorXd e = (z.array() - z.maxCoeff()).exp();
  return e / e.sum();
}

Eigen::VectorXd BarDistribution::bucket_means() const {
  const Eigen::Index K = n_buckets();
  Eigen::VectorXd m = 0.5 * (borders_.head(K) + borders_.tail(K));
  m(0) = borders_(1) - s_left_ * kSqrt2OverPi;
  m(K - 1) = borders_(K - 1) + s_right_ * kSqrt2OverPi;
  return m;
}

Eigen::VectorXd BarDistribution::bucket_second_moments() const {
  const Eigen::Index K = n_buckets();
  const Eigen::ArrayXd lo = borders_.head(K).array(), hi = borders_.tail(K).array();
  Eigen::VectorXd m2 = ((lo * lo + lo * hi + hi * hi) / 3.0).matrix();
  const Eigen::VectorXd m = bucket_means();
  const double hn_var = 1.0 - 2.0 / M_PI;  // Var[Z] / s^2
  m2(0) = s_left_ * s_left_ * hn_var + m(0) * m(0);
  m2(K - 1) = s_right_ * s_right_ * hn_var + m(K - 1) * m(K - 1);
  return m2;
}

Eigen::VectorXd BarDistribution::bucket_cdfs(double y) const {
  const Eigen::Index K = n_buckets();
  Eigen::VectorXd F(K);
  for (Eigen::Index k = 1; k < K - 1; ++k)
    F(k) = std::clamp((y - borders_(k)) / (borders_(k + 1) - borders_(k)), 0.0, 1.0);
  // Left tail: P(b_1 - Z <= y) = P(Z >= b_1 - y) = 2 Phi(-(b_1 - y) / s).
  F(0) = y >= borders_(1) ? 1.0 : 2.0 * normal::cdf(-(borders_(1) - y) / s_left_);
  // Right tail: P(b_{K-1} + Z <= y) = erf((y - b_{K-1}) / (s sqrt2)).
  F(K - 1) = y <= borders_(K - 1) ? 0.0 : std::erf((y - borders_(K - 1)) / (s_right_ * normal::kSqrt2));
  return F;
}

Eigen::VectorXd BarDistribution::bucket_log_cdfs(double y) const {
  const Eigen::Index K = n_buckets();
  Eigen::VectorXd log_F(K);
  for (Eigen::Index k = 1; k < K - 1; ++k)
    log_F(k) = std::log(std::clamp((y - borders_(k)) / (borders_(k + 1) - borders_(k)), 0.0, 1.0));
  log_F(0) = y >= borders_(1) ? 0.0 : kLn2 + normal::log_cdf(-(borders_(1) - y) / s_left_);
  log_F(K - 1) = y <= borders_(K - 1) ? kNegInf : log_half_normal_cdf(y - borders_(K - 1), s_right_);
  return log_F;
}

Eigen::VectorXd BarDistribution::bucket_log_improvements(double best) const {
  const Eigen::Index K = n_buckets();
  Eigen::VectorXd log_c(K);
  for (Eigen::Index k = 1; k < K - 1; ++k) {
    const double lo = borders_(k), hi = borders_(k + 1);
    if (best <= lo)
      log_c(k) = std::log(0.5 * (lo + hi) - best);
    else if (best < hi)
      log_c(k) = 2.0 * std::log(hi - best) - std::log(2.0 * (hi - lo));
    else
      log_c(k) = kNegInf;
  }
  const double v = borders_(1) - best;  // left tail: E[(v - Z)+]
  log_c(0) = v > 0 ? log_left_tail_improvement(v, s_left_) : kNegInf;
  const double u = best - borders_(K - 1);  // right tail: E[(Z - u)+]
  log_c(K - 1) = u <= 0 ? std::log(-u + s_right_ * kSqrt2OverPi)
                        : std::log(2.0 * s_right_) + normal::log_h(-u / s_right_);
  return log_c;
}

Eigen::VectorXd BarDistribution::bucket_log_exceedances(double best) const {
  const Eigen::Index K = n_buckets();
  Eigen::VectorXd log_p(K);
  for (Eigen::Index k = 1; k < K - 1; ++k) {
    const double frac = std::clamp((borders_(k + 1) - best) / (borders_(k + 1) - borders_(k)), 0.0, 1.0);
    log_p(k) = std::log(frac);
  }
  const double v = borders_(1) - best;
  log_p(0) = v > 0 ? log_half_normal_cdf(v, s_left_) : kNegInf;
  const double u = best - borders_(K - 1);
  log_p(K - 1) = u <= 0 ? 0.0 : kLn2 + normal::log_cdf(-u / s_right_);
  return log_p;
}

double BarDistribution::log_pdf(const Logits& z, double y, Eigen::VectorXd* grad) const {
  check_logits(z);
  const Eigen::Index K = n_buckets();
  Eigen::Index k;
  double log_g;
  if (y < borders_(1)) {
    k = 0;
    const double x = (borders_(1) - y) / s_left_;
    log_g = kLn2 - std::log(s_left_) + normal::log_pdf(x);
  } else if (y >= borders_(K - 1)) {
    k = K - 1;
    const double x = (y - borders_(K - 1)) / s_right_;
    log_g = kLn2 - std::log(s_right_) + normal::log_pdf(x);
  } else {
    k = std::upper_bound(borders_.data() + 1, borders_.data() + K, y) - borders_.data() - 1;
    log_g = -std::log(borders_(k + 1) - borders_(k));
  }
  const double lz = log_sum_exp(z);
  if (grad) {
    *grad = -(z.array() - lz).exp().matrix();
    (*grad)(k) += 1.0;
  }
  return z(k) - lz + log_g;
}

double BarDistribution::pdf(const Logits& z, double y) const { return std::exp(log_pdf(z, y)); }

double BarDistribution::cdf(const Logits& z, double y, Eigen::VectorXd* grad) const {
  return linear_functional(probabilities(z), bucket_cdfs(y), grad);
}

double BarDistribution::log_cdf(const Logits& z, double y, Eigen::VectorXd* grad) const {
  check_logits(z);
  return log_functional(z, bucket_log_cdfs(y), grad);
}

double BarDistribution::mean(const Logits& z, Eigen::VectorXd* grad) const {
  return linear_functional(probabilities(z), bucket_means(), grad);
}

double BarDistribution::variance(const Logits& z, Eigen::VectorXd* grad) const {
  const Eigen::VectorXd p = probabilities(z);
  Eigen::VectorXd g_mean, g_m2;
  const double mu = linear_functional(p, bucket_means(), grad ? &g_mean : nullptr);
  const double m2 = linear_functional(p, bucket_second_moments(), grad ? &g_m2 : nullptr);
  if (grad) *grad = g_m2 - 2.0 * mu * g_mean;
  // E[Y^2] - E[Y]^2 cancels when the spread is tiny next to the location; it is never negative.
  return std::max(m2 - mu * mu, 0.0);
}

double BarDistribution::quantile(const Logits& z, double alpha, Eigen::VectorXd* grad) const {
  if (!(alpha > 0 && alpha < 1))
    throw InvalidArgument("BarDistribution::quantile: alpha = " + std::to_string(alpha) + "; must be in (0, 1)");
  const Eigen::VectorXd p = probabilities(z);
  const Eigen::Index K = n_buckets();
  double below = 0;  // mass of the buckets before k
  Eigen::Index k = 0;
  while (k < K - 1 && below + p(k) < alpha) below += p(k++);
  double q;
  if (k == 0) {
    q = borders_(1) + s_left_ * normal::quantile(std::min(alpha / (2.0 * p(0)), 0.5));
  } else if (k == K - 1) {
    // Measured from the top, 1 - alpha keeps its precision for alpha near 1.
    const double upper = std::max(1.0 - alpha, 0.0);
    q = borders_(K - 1) - s_right_ * normal::quantile(std::clamp(upper / (2.0 * p(K - 1)), 1e-300, 0.5));
  } else {
    q = borders_(k) + (borders_(k + 1) - borders_(k)) * std::clamp((alpha - below) / p(k), 0.0, 1.0);
  }
  if (grad) {
    // F(q(z), z) = alpha  =>  dq/dz = -(dF/dz) / f(q), dF/dz_j = p_j (F_j(q) - alpha).
    const double density = std::exp(log_pdf(z, q));
    const Eigen::VectorXd F = bucket_cdfs(q);
    *grad = density > 0 ? Eigen::VectorXd(-(p.array() * (F.array() - alpha)).matrix() / density)
                        : Eigen::VectorXd::Zero(K);
  }
  return q;
}

namespace {
// std::exp per entry: Eigen's vectorised exp clamps its argument near -709 and returns ~5e-309
// where the true value underflows to 0.
Eigen::VectorXd exact_exp(const Eigen::VectorXd& v) {
  return v.unaryExpr([](double x) { return std::exp(x); });
}
}  // namespace

double BarDistribution::ei(const Logits& z, double best, Eigen::VectorXd* grad) const {
  return linear_functional(probabilities(z), exact_exp(bucket_log_improvements(best)), grad);
}

double BarDistribution::log_ei(const Logits& z, double best, Eigen::VectorXd* grad) const {
  check_logits(z);
  return log_functional(z, bucket_log_improvements(best), grad);
}

double BarDistribution::pi(const Logits& z, double best, Eigen::VectorXd* grad) const {
  return linear_functional(probabilities(z), exact_exp(bucket_log_exceedances(best)), grad);
}

double BarDistribution::log_pi(const Logits& z, double best, Eigen::VectorXd* grad) const {
  check_logits(z);
  return log_functional(z, bucket_log_exceedances(best), grad);
}

}  // namespace boex
