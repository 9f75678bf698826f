#include "fits/chinchilla_law.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "core/errors.h"
#include "core/lbfgs.h"
#include "fits/column_checks.h"

namespace boex::fits {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double huber(double r, double delta) {
  const double a = std::abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}
double huber_slope(double r, double delta) { return std::clamp(r, -delta, delta); }

// The law in log space on fixed data: ln Lhat_i = LSE(a - alpha ln N_i, b - beta ln D_i, e), its
// residuals against ln L_i and the derivatives of the residuals, shared by both objectives.
class LogLaw {
 public:
  explicit LogLaw(const ChinchillaData& data) : n_(data.size()), log_n_(n_), log_d_(n_), log_l_(n_) {
    for (int i = 0; i < n_; ++i) {
      log_n_(i) = std::log(data.N[i]);
      log_d_(i) = std::log(data.D[i]);
      log_l_(i) = std::log(data.loss[i]);
    }
  }
  int size() const { return n_; }

  // Residual of point i at x = (a, b, e, alpha, beta, ...); dr (5) receives d residual / d x[0..4].
  double residual(const Eigen::VectorXd& x, int i, double* dr) const {
    const double t1 = x(0) - x(3) * log_n_(i), t2 = x(1) - x(4) * log_d_(i), t3 = x(2);
    const double m = std::max({t1, t2, t3});
    const double w1 = std::exp(t1 - m), w2 = std::exp(t2 - m), w3 = std::exp(t3 - m);
    const double s = w1 + w2 + w3;
    if (dr) {
      dr[0] = w1 / s;
      dr[1] = w2 / s;
      dr[2] = w3 / s;
      dr[3] = -dr[0] * log_n_(i);
      dr[4] = -dr[1] * log_d_(i);
    }
    return m + std::log(s) - log_l_(i);
  }

  // sum_i Huber_delta(r_i).
  double huber_loss(const Eigen::VectorXd& x, Eigen::VectorXd& grad, double delta) const {
    grad.setZero();
    double f = 0.0, dr[5];
    for (int i = 0; i < n_; ++i) {
      const double r = residual(x, i, dr);
      f += huber(r, delta);
      const double g = huber_slope(r, delta);
      for (int k = 0; k < 5; ++k) grad(k) += g * dr[k];
    }
    return f;
  }

  // -log likelihood of r_i ~ sigma * Huber density, x(5) = ln sigma (the constant n ln Z left out).
  double huber_nll(const Eigen::VectorXd& x, Eigen::VectorXd& grad, double delta) const {
    grad.setZero();
    const double inv_sigma = std::exp(-x(5));
    double f = n_ * x(5), dr[5];
    grad(5) = n_;
    for (int i = 0; i < n_; ++i) {
      const double u = residual(x, i, dr) * inv_sigma;
      f += huber(u, delta);
      const double g = huber_slope(u, delta);
      for (int k = 0; k < 5; ++k) grad(k) += g * inv_sigma * dr[k];
      grad(5) -= g * u;
    }
    return f;
  }

 private:
  int n_;
  Eigen::VectorXd log_n_, log_d_, log_l_;
};

ChinchillaParams from_log_params(const Eigen::VectorXd& x) {
  return {std::exp(x(0)), std::exp(x(1)), std::exp(x(2)), x(3), x(4)};
}
Eigen::VectorXd to_log_params(const ChinchillaParams& p) {
  Eigen::VectorXd x(5);
  x << std::log(p.A), std::log(p.B), std::log(p.E), p.alpha, p.beta;
  return x;
}

LbfgsOptions lbfgs_options(const ChinchillaOptions& options) {
  LbfgsOptions o;
  o.max_evaluations = options.max_evaluations;
  // The Huber sums are ~1e-3 with gradients to match: stop on small relative steps only.
  o.relative_ftol = 1e-12;
  o.relative_xtol = 1e-10;
  return o;
}

LbfgsResult minimize_huber_loss(const LogLaw& law, const Eigen::VectorXd& x0, const ChinchillaOptions& options) {
  const Eigen::VectorXd lo = Eigen::VectorXd::Constant(5, -kInf), hi = Eigen::VectorXd::Constant(5, kInf);
  const double delta = options.huber_delta;
  return minimize_lbfgs([&](const Eigen::VectorXd& x, Eigen::VectorXd& g) { return law.huber_loss(x, g, delta); },
                        x0, lo, hi, lbfgs_options(options));
}

// The scale sigma that maximises the Huber likelihood of residuals r: the root in s = ln sigma of
// n = sum_i psi(u_i) u_i, u_i = r_i / sigma (the left side rises, the right side falls with s).
double likelihood_log_sigma(const Eigen::VectorXd& r, double delta) {
  const double n = static_cast<double>(r.size());
  const double top = std::log(std::max(r.cwiseAbs().maxCoeff(), 1e-300));
  double lo = top - 80.0, hi = top + 10.0;
  for (int it = 0; it < 200 && hi - lo > 1e-13; ++it) {
    const double s = 0.5 * (lo + hi), inv = std::exp(-s);
    double sum = 0.0;
    for (int i = 0; i < r.size(); ++i) sum += huber_slope(r(i) * inv, delta) * r(i) * inv;
    (sum > n ? lo : hi) = s;
  }
  return 0.5 * (lo + hi);
}

// Maximum likelihood from a Huber-loss fit. With sigma fixed, the likelihood in (a, b, e, alpha,
// beta) is the Huber loss with threshold tau = delta * sigma; at the maximum-likelihood sigma
// (~5e-6 on Epoch's data, tau ~5e-9) that loss is least absolute deviations in all but name, whose
// kinks stall quasi-Newton methods. Iteratively reweighted least squares handles them: the Huber
// loss is majorised by the weighted squares sum_i w_i r_i^2 / 2, w_i = min(1, tau / |r_i|), which a
// damped Gauss-Newton step decreases; sigma is re-solved after every step.
Eigen::VectorXd maximise_huber_likelihood(const LogLaw& law, const Eigen::VectorXd& x_loss, const ChinchillaOptions& options,
                                          double* sigma) {
  const double delta = options.huber_delta;
  const int n = law.size();
  Eigen::VectorXd x(6), r(n), g(6);
  Eigen::MatrixXd J(n, 5);
  const auto residuals = [&](const Eigen::VectorXd& v, Eigen::MatrixXd* jac) {
    double dr[5];
    for (int i = 0; i < n; ++i) {
      r(i) = law.residual(v, i, dr);
      if (jac)
        for (int k = 0; k < 5; ++k) (*jac)(i, k) = dr[k];
    }
  };
  x << x_loss, 0.0;
  residuals(x, nullptr);
  x(5) = likelihood_log_sigma(r, delta);
  double f = law.huber_nll(x, g, delta);
  double damping = 1e-6;
  int quiet = 0;
  for (int it = 0; it < 20 * options.max_evaluations && quiet < 5; ++it) {
    residuals(x, &J);
    const double tau = delta * std::exp(x(5));
    const Eigen::VectorXd w = r.cwiseAbs().unaryExpr([&](double a) { return a <= tau ? 1.0 : tau / a; });
    const Eigen::MatrixXd JtW = J.transpose() * w.asDiagonal();
    const Eigen::MatrixXd H = JtW * J;
    const Eigen::VectorXd rhs = -JtW * r;
    bool improved = false;
    for (int tries = 0; tries < 30 && !improved; ++tries) {
      Eigen::MatrixXd Hd = H;
      Hd.diagonal() += damping * H.diagonal().cwiseMax(1e-300);
      Eigen::VectorXd candidate = x;
      candidate.head(5) += Hd.ldlt().solve(rhs);
      if (!candidate.allFinite()) {
        damping *= 10.0;
        continue;
      }
      residuals(candidate, nullptr);
      candidate(5) = likelihood_log_sigma(r, delta);
      const double fc = law.huber_nll(candidate, g, delta);
      if (fc < f) {
        quiet = f - fc < 1e-11 * std::abs(f) ? quiet + 1 : 0;
        f = fc;
        x = candidate;
        damping = std::max(damping * 0.3, 1e-12);
        improved = true;
      } else {
        damping *= 10.0;
      }
    }
    if (!improved) break;
  }
  *sigma = std::exp(x(5));
  return x.head(5);
}

void check_starts(const std::vector<double>& starts, const char* field) {
  if (starts.empty()) throw InvalidArgument(std::string("ChinchillaOptions::") + field + " is empty");
  for (double v : starts)
    if (!std::isfinite(v)) throw InvalidArgument(std::string("ChinchillaOptions::") + field + " holds a non-finite start");
}

int parameter_count(const ChinchillaOptions& options) {
  return options.objective == ChinchillaObjective::kHuberLikelihood ? 6 : 5;
}

ChinchillaFit finish_fit(const ChinchillaData& data, const Eigen::VectorXd& x, double sigma, double delta) {
  ChinchillaFit fit;
  fit.params = from_log_params(x);
  fit.sigma = sigma;
  fit.n_points = data.size();
  fit.huber_sum = chinchilla_huber_sum(fit.params, data, delta);
  double ss = 0.0;
  for (int i = 0; i < data.size(); ++i) {
    const double r = std::log(fit.params.loss(data.N[i], data.D[i])) - std::log(data.loss[i]);
    ss += r * r;
  }
  fit.rmse_log = std::sqrt(ss / data.size());
  fit.data = data;
  return fit;
}

// One fit from a single start (the bootstrap's refits).
ChinchillaParams refit_from(const ChinchillaData& data, const Eigen::VectorXd& x0, const ChinchillaOptions& options) {
  const LogLaw law(data);
  const LbfgsResult r = minimize_huber_loss(law, x0, options);
  if (options.objective == ChinchillaObjective::kHuberLoss) return from_log_params(r.x);
  double sigma = 0.0;
  return from_log_params(maximise_huber_likelihood(law, r.x, options, &sigma));
}

}  // namespace

double ChinchillaParams::loss(double N, double D) const {
  return E + A / std::pow(N, alpha) + B / std::pow(D, beta);
}

std::vector<const char*> ChinchillaParams::names() { return {"A", "B", "E", "alpha", "beta"}; }
std::vector<double> ChinchillaParams::values() const { return {A, B, E, alpha, beta}; }

ComputeAllocation compute_optimal(const ChinchillaParams& law, double flops) {
  if (!(flops > 0.0) || !std::isfinite(flops)) throw InvalidArgument("compute_optimal: the FLOP budget must be positive and finite");
  if (!(law.alpha > 0.0 && law.beta > 0.0 && law.A > 0.0 && law.B > 0.0))
    throw InvalidArgument("compute_optimal: the law needs A, B, alpha, beta > 0 for a finite optimum");
  const double s = law.alpha + law.beta;
  const double log_g = (std::log(law.alpha * law.A) - std::log(law.beta * law.B)) / s;
  const double log_c6 = std::log(flops / 6.0);
  return {std::exp(log_g + law.beta / s * log_c6), std::exp(-log_g + law.alpha / s * log_c6)};
}

void ChinchillaData::validate(int min_points) const {
  check_equal_lengths({&N, &D, &loss}, "scaling data", "N, D and loss");
  check_positive_finite(N, "scaling data: N");
  check_positive_finite(D, "scaling data: D");
  check_positive_finite(loss, "scaling data: loss");
  if (size() < min_points)
    throw InvalidArgument("scaling data: " + std::to_string(size()) + " points are too few to fit the law (at least " +
                          std::to_string(min_points) + " needed)");
  if (std::set<double>(N.begin(), N.end()).size() < 2 || std::set<double>(D.begin(), D.end()).size() < 2)
    throw InvalidArgument("scaling data: the points need at least two distinct N and two distinct D");
}

ChinchillaData ChinchillaData::subset(const std::vector<int>& rows) const {
  ChinchillaData out;
  for (int i : rows) {
    out.N.push_back(N.at(i));
    out.D.push_back(D.at(i));
    out.loss.push_back(loss.at(i));
  }
  return out;
}

void ChinchillaData::convert_flops_to_tokens() {
  for (std::size_t i = 0; i < D.size() && i < N.size(); ++i) D[i] /= 6.0 * N[i];
}

void ChinchillaOptions::validate() const {
  if (!(huber_delta > 0.0) || !std::isfinite(huber_delta)) throw InvalidArgument("ChinchillaOptions::huber_delta must be positive");
  if (drop_highest_losses < 0) throw InvalidArgument("ChinchillaOptions::drop_highest_losses must not be negative");
  if (max_evaluations < 1) throw InvalidArgument("ChinchillaOptions::max_evaluations must be at least 1");
  check_starts(a_starts, "a_starts");
  check_starts(b_starts, "b_starts");
  check_starts(e_starts, "e_starts");
  check_starts(alpha_starts, "alpha_starts");
  check_starts(beta_starts, "beta_starts");
}

double chinchilla_huber_sum(const ChinchillaParams& law, const ChinchillaData& data, double delta) {
  double sum = 0.0;
  for (int i = 0; i < data.size(); ++i) sum += huber(std::log(law.loss(data.N[i], data.D[i])) - std::log(data.loss[i]), delta);
  return sum;
}

ChinchillaFit fit_chinchilla(const ChinchillaData& data, const ChinchillaOptions& options) {
  options.validate();
  data.validate(0);
  if (options.drop_highest_losses >= data.size())
    throw InvalidArgument("ChinchillaOptions::drop_highest_losses (" + std::to_string(options.drop_highest_losses) +
                          ") leaves no point of " + std::to_string(data.size()));
  std::vector<int> order(data.size());
  for (int i = 0; i < data.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](int i, int j) { return data.loss[i] < data.loss[j]; });
  order.resize(data.size() - options.drop_highest_losses);
  std::sort(order.begin(), order.end());
  const ChinchillaData kept = data.subset(order);
  kept.validate(parameter_count(options) + 1);

  const LogLaw law(kept);
  LbfgsResult best;
  best.value = kInf;
  Eigen::VectorXd x0(5);
  for (double alpha : options.alpha_starts)
    for (double beta : options.beta_starts)
      for (double e : options.e_starts)
        for (double a : options.a_starts)
          for (double b : options.b_starts) {
            x0 << a, b, e, alpha, beta;
            LbfgsResult r = minimize_huber_loss(law, x0, options);
            if (std::isfinite(r.value) && r.value < best.value) best = std::move(r);
          }
  if (!std::isfinite(best.value)) throw NumericalError("the Chinchilla fit found no finite Huber loss from any start");
  double sigma = 0.0;
  Eigen::VectorXd x = best.x;
  if (options.objective == ChinchillaObjective::kHuberLikelihood) x = maximise_huber_likelihood(law, best.x, options, &sigma);
  return finish_fit(kept, x, sigma, options.huber_delta);
}

ChinchillaEstimate estimate_chinchilla(const ChinchillaData& data, const ChinchillaOptions& options,
                                       const BootstrapOptions& bootstrap_options) {
  bootstrap_options.validate();
  ChinchillaEstimate out;
  out.fit = fit_chinchilla(data, options);
  const Eigen::VectorXd x0 = to_log_params(out.fit.params);
  const ChinchillaData& kept = out.fit.data;
  out.bootstrap = bootstrap<ChinchillaParams>(
      out.fit.params, kept.size(), bootstrap_options, [&](const std::vector<int>& rows) -> std::optional<ChinchillaParams> {
        const ChinchillaData sample = kept.subset(rows);
        if (std::set<double>(sample.N.begin(), sample.N.end()).size() < 2 ||
            std::set<double>(sample.D.begin(), sample.D.end()).size() < 2)
          return std::nullopt;
        const ChinchillaParams p = refit_from(sample, x0, options);
        const auto v = p.values();
        if (!std::all_of(v.begin(), v.end(), [](double t) { return std::isfinite(t); })) return std::nullopt;
        return p;
      });
  return out;
}

}  // namespace boex::fits
