#include "engine/loss_forecast.h"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <numeric>

#include "core/errors.h"

namespace boex {

double ExponentialCurve::at(double t) const { return a * std::exp(b * t) + c; }

LossForecastOptions LossForecastOptions::validation_mode() {
  LossForecastOptions o;
  o.passes = 1;
  o.drop_fraction = 0.0;
  o.drop_at_least = 1;  // the single worst point
  return o;
}

void LossForecastOptions::validate() const {
  if (passes < 0) throw InvalidArgument("LossForecastOptions.passes must be >= 0");
  if (!(drop_fraction >= 0 && drop_fraction < 0.5))
    throw InvalidArgument("LossForecastOptions.drop_fraction must be in [0, 0.5)");
  if (drop_at_least < 0) throw InvalidArgument("LossForecastOptions.drop_at_least must be >= 0");
  if (std::isnan(floor) || floor == INFINITY) throw InvalidArgument("LossForecastOptions.floor must be a number or -inf");
  if (min_points < 3) throw InvalidArgument("LossForecastOptions.min_points must be >= 3");
}

namespace {

struct Profile {
  ExponentialCurve curve;
  double sse = INFINITY;
};

// a and c for a fixed rate b: least squares on the columns [e^{bt}, 1].
Profile fit_linear(const std::vector<double>& t, const std::vector<double>& y, double b, double floor) {
  const Eigen::Index n = static_cast<Eigen::Index>(t.size());
  Eigen::MatrixXd X(n, 2);
  Eigen::VectorXd Y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    X(i, 0) = std::exp(b * t[static_cast<std::size_t>(i)]);
    X(i, 1) = 1.0;
    Y(i) = y[static_cast<std::size_t>(i)];
  }
  // QR with column pivoting: a slow rate makes the two columns nearly equal.
  Eigen::Vector2d ac = X.colPivHouseholderQr().solve(Y);
  if (ac(1) < floor) {  // the bound is active: c = floor, a by least squares on the rest
    ac(1) = floor;
    const double xx = X.col(0).squaredNorm();
    ac(0) = xx > 0 ? X.col(0).dot(Y - Eigen::VectorXd::Constant(n, floor)) / xx : 0.0;
  }
  Profile p;
  p.curve = {ac(0), b, ac(1)};
  p.sse = (X * ac - Y).squaredNorm();
  if (!std::isfinite(p.sse)) p.sse = INFINITY;
  return p;
}

Profile fit_points(const std::vector<double>& t, const std::vector<double>& y, double floor) {
  const auto [lo_t, hi_t] = std::minmax_element(t.begin(), t.end());
  const double span = std::max(*hi_t - *lo_t, 1e-12);
  const double beta_lo = std::log(1e-3 / span), beta_hi = std::log(50.0 / span);
  const auto profile = [&](double beta) { return fit_linear(t, y, -std::exp(beta), floor); };
  constexpr int kGrid = 48;
  int best = 0;
  std::vector<double> sse(kGrid);
  for (int k = 0; k < kGrid; ++k) {
    sse[static_cast<std::size_t>(k)] = profile(beta_lo + (beta_hi - beta_lo) * k / (kGrid - 1)).sse;
    if (sse[static_cast<std::size_t>(k)] < sse[static_cast<std::size_t>(best)]) best = k;
  }
  const double step = (beta_hi - beta_lo) / (kGrid - 1);
  const double lo = beta_lo + step * std::max(best - 1, 0), hi = beta_lo + step * std::min(best + 1, kGrid - 1);
  const auto [beta, value] =
      boost::math::tools::brent_find_minima([&](double beta) { return profile(beta).sse; }, lo, hi, 40);
  (void)value;
  Profile polished = profile(beta);
  const Profile on_grid = profile(beta_lo + step * best);
  return polished.sse <= on_grid.sse ? polished : on_grid;
}

}  // namespace

std::optional<ExponentialCurve> fit_exponential(const std::vector<double>& t, const std::vector<double>& y,
                                                const LossForecastOptions& options) {
  options.validate();
  if (t.size() != y.size()) throw InvalidArgument("fit_exponential: t and y differ in length");
  std::vector<double> ts, ys;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (std::isfinite(t[i]) && std::isfinite(y[i])) {
      ts.push_back(t[i]);
      ys.push_back(y[i]);
    }
  }
  const auto enough = [&](std::size_t n) { return n >= static_cast<std::size_t>(options.min_points); };
  if (!enough(ts.size())) return std::nullopt;
  Profile fit = fit_points(ts, ys, options.floor);
  for (int pass = 0; pass < options.passes; ++pass) {
    const std::size_t n = ts.size();
    const std::size_t drop = std::max(static_cast<std::size_t>(options.drop_at_least),
                                      static_cast<std::size_t>(options.drop_fraction * static_cast<double>(n)));
    if (drop == 0 || drop >= n || !enough(n - drop)) break;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> residual(n);
    for (std::size_t i = 0; i < n; ++i) residual[i] = std::abs(ys[i] - fit.curve.at(ts[i]));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return residual[i] < residual[j]; });
    order.resize(n - drop);
    std::sort(order.begin(), order.end());
    std::vector<double> kept_t, kept_y;
    for (std::size_t i : order) {
      kept_t.push_back(ts[i]);
      kept_y.push_back(ys[i]);
    }
    ts.swap(kept_t);
    ys.swap(kept_y);
    fit = fit_points(ts, ys, options.floor);
  }
  const ExponentialCurve& c = fit.curve;
  if (!std::isfinite(fit.sse) || !std::isfinite(c.a) || !std::isfinite(c.b) || !std::isfinite(c.c)) return std::nullopt;
  return c;
}

std::optional<double> forecast_loss(const std::vector<double>& losses, double horizon, const LossForecastOptions& options) {
  if (!std::isfinite(horizon)) throw InvalidArgument("forecast_loss: the horizon must be finite");
  std::vector<double> t(losses.size());
  std::iota(t.begin(), t.end(), 0.0);
  const std::optional<ExponentialCurve> curve = fit_exponential(t, losses, options);
  if (!curve) return std::nullopt;
  const double value = curve->at(horizon);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace boex
