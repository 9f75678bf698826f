// Learning-curve forecasting for AutoLRS: fits L(t) = a e^{bt} + c (b < 0) to a loss series after
// removing outliers, and extrapolates it to the end of a training stage.
#pragma once

#include <cmath>
#include <optional>
#include <vector>

namespace boex {

// L(t) = a exp(b t) + c with b < 0: c is the loss the curve settles at.
struct ExponentialCurve {
  double a = 0.0, b = -1.0, c = 0.0;
  double at(double t) const;
};

// How the forecaster cleans a series before the final fit (AutoLRS, Jin et al., ICLR 2021,
// Section 4 / autolrs_server.py: 10 passes dropping the worst 3% in training-loss mode, one pass
// dropping the single worst point in validation-loss mode).
struct LossForecastOptions {
  int passes = 10;              // outlier-removal passes (>= 0)
  // Each pass drops max(drop_at_least, floor(drop_fraction x points kept)) points, those farthest
  // from the current fit (so a short series of under 34 points is not thinned in training mode).
  double drop_fraction = 0.03;  // in [0, 0.5)
  int drop_at_least = 0;        // >= 0
  // The lowest value the curve may settle at: c >= floor (0 for cross-entropy and squared errors).
  // A short window that looks linear otherwise extrapolates to any value, below zero included.
  double floor = -INFINITY;
  // Fewest finite points a fit needs (>= 3: three parameters); with fewer there is no forecast.
  int min_points = 4;

  static LossForecastOptions validation_mode();  // 1 pass, the single worst point
  void validate() const;                         // throws InvalidArgument naming the field
};

// The least-squares fit of the curve to (t_i, y_i), b < 0, c >= floor. Non-finite y_i are ignored; each pass
// refits on the points kept and drops those with the largest absolute residuals. nullopt when fewer
// than min_points finite points remain or the fit is not finite.
//
// The rate is profiled out as in the reference (b = -e^beta; for fixed b, a and c are a linear
// least-squares problem): beta is searched on a log grid over rates 1e-3/span .. 50/span (span =
// the time the series covers) and polished by Brent's method; the reference's Nelder-Mead from
// beta = 0 can stop in a local minimum of this one-dimensional profile.
std::optional<ExponentialCurve> fit_exponential(const std::vector<double>& t, const std::vector<double>& y,
                                                const LossForecastOptions& options = LossForecastOptions());

// A loss series observed at t = 0, 1, ..., n-1 forecast to t = horizon (AutoLRS's L-hat).
std::optional<double> forecast_loss(const std::vector<double>& losses, double horizon,
                                    const LossForecastOptions& options = LossForecastOptions());

}  // namespace boex
