// The AutoLRS forecaster: recovers a, b, c of noisy exponential curves with outliers, ignores NaN,
// says "no forecast" instead of inventing one, and extrapolates as the closed form does.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "core/rng.h"
#include "engine/loss_forecast.h"

using namespace boex;

TEST_CASE("the forecaster recovers a, b, c of a noisy exponential curve with outliers", "[forecast]") {
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    Rng rng(seed);
    const double a = 2.0, b = -0.02, c = 0.5;
    std::vector<double> t, y;
    for (int i = 0; i < 200; ++i) {
      t.push_back(i);
      y.push_back(a * std::exp(b * i) + c + 0.02 * rng.normal());
    }
    for (int i : {3, 40, 41, 120, 190}) y[static_cast<std::size_t>(i)] += 2.0;  // loss spikes
    y[77] = NAN;
    const auto fit = fit_exponential(t, y);
    REQUIRE(fit);
    CHECK(fit->a == Approx(a).epsilon(0.05));
    CHECK(fit->b == Approx(b).epsilon(0.08));
    CHECK(fit->c == Approx(c).margin(0.03));
    // The forecast ten windows ahead is the asymptote; the spikes alone would pull it up.
    const auto ahead = forecast_loss(y, 2000.0);
    REQUIRE(ahead);
    CHECK(*ahead == Approx(a * std::exp(b * 2000) + c).margin(0.03));
  }
}

TEST_CASE("without outlier removal the spikes bias the fit, which the passes undo", "[forecast]") {
  std::vector<double> y;
  for (int i = 0; i < 100; ++i) y.push_back(1.0 * std::exp(-0.05 * i) + 0.2);
  for (int i : {60, 70, 80, 90}) y[static_cast<std::size_t>(i)] = 3.0;
  LossForecastOptions none;
  none.passes = 0;
  const double biased = *forecast_loss(y, 500.0, none);
  const double cleaned = *forecast_loss(y, 500.0);
  CHECK(std::abs(biased - 0.2) > 0.05);
  CHECK(cleaned == Approx(0.2).margin(1e-6));
}

TEST_CASE("validation mode drops the single worst point per pass", "[forecast]") {
  std::vector<double> y;
  for (int i = 0; i < 16; ++i) y.push_back(0.5 * std::exp(-0.2 * i) + 1.0);
  y[9] = 5.0;
  CHECK(*forecast_loss(y, 160.0, LossForecastOptions::validation_mode()) == Approx(1.0).margin(1e-6));
}

TEST_CASE("too few finite points give no forecast; bad options and lengths are refused", "[forecast][bad_input]") {
  CHECK_FALSE(forecast_loss({NAN, 1.0, INFINITY, 0.5, NAN}, 10.0));
  CHECK_FALSE(forecast_loss({}, 10.0));
  CHECK(forecast_loss({1.0, 0.8, NAN, 0.6, 0.55, 0.52}, 10.0));
  CHECK_THROWS_AS(fit_exponential({0, 1}, {1.0}), InvalidArgument);
  CHECK_THROWS_AS(forecast_loss({1, 0.5, 0.3, 0.2}, NAN), InvalidArgument);
  LossForecastOptions bad;
  bad.drop_fraction = 0.6;
  CHECK_THROWS_WITH(forecast_loss({1, 0.5, 0.3, 0.2}, 5.0, bad), Catch::Contains("drop_fraction"));
}

TEST_CASE("a floor keeps a short, nearly linear window from extrapolating below it", "[forecast]") {
  // 15 points of a slow decay: the unconstrained fit may follow the line far below zero.
  std::vector<double> y;
  for (int i = 0; i < 15; ++i) y.push_back(1.0 - 0.05 * i);
  LossForecastOptions floored;
  floored.floor = 0.0;
  const double ahead = *forecast_loss(y, 150.0, floored);
  CHECK(ahead >= 0.0);
  CHECK(ahead < y.back());
  CHECK(*forecast_loss(y, 150.0) < 0.0);  // without the floor: the line's continuation
  // A curve well above the floor is untouched by it.
  std::vector<double> z;
  for (int i = 0; i < 40; ++i) z.push_back(0.5 * std::exp(-0.1 * i) + 0.3);
  CHECK(*forecast_loss(z, 100.0, floored) == Approx(0.5 * std::exp(-10.0) + 0.3).margin(1e-6));
}
