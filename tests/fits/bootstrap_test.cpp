#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/errors.h"
#include "support/error_matchers.h"
#include "core/normal.h"
#include "core/rng.h"
#include "fits/bootstrap.h"

using boex::fits::BootstrapOptions;
using Catch::Matchers::WithinAbs;

TEST_CASE("Percentile intervals interpolate between order statistics like numpy's percentile") {
  // numpy.percentile([1..10], [2.5, 97.5]) = [1.225, 9.775]; of [1..5] at 50% = [2, 4].
  std::vector<double> v(10);
  std::iota(v.begin(), v.end(), 1.0);
  const auto iv = boex::fits::percentile_interval(v, 0.95);
  CHECK_THAT(iv.low, WithinAbs(1.225, 1e-12));
  CHECK_THAT(iv.high, WithinAbs(9.775, 1e-12));
  const auto half = boex::fits::percentile_interval({5, 3, 1, 4, 2}, 0.5);
  CHECK(half.low == 2.0);
  CHECK(half.high == 4.0);
  CHECK_THROWS_AS(boex::fits::percentile_interval({}, 0.95), boex::InvalidArgument);
  CHECK_THROWS_AS(boex::fits::percentile_interval({1.0}, 1.0), boex::InvalidArgument);
}

TEST_CASE("Bootstrap resamples depend only on the seed and their index, and draw every row about equally") {
  const auto a = boex::fits::bootstrap_resample(50, 9, 3), b = boex::fits::bootstrap_resample(50, 9, 3);
  CHECK(a == b);
  CHECK(a != boex::fits::bootstrap_resample(50, 9, 4));
  CHECK(a != boex::fits::bootstrap_resample(50, 10, 3));
  std::vector<int> counts(50, 0);
  for (int r = 0; r < 2000; ++r)
    for (int i : boex::fits::bootstrap_resample(50, 1, r)) ++counts.at(i);
  // 2000 draws per row on average, sd ~44.
  for (int c : counts) CHECK(std::abs(c - 2000) < 250);
}

TEST_CASE("The bootstrap interval of a sample mean matches the normal-theory interval and covers at the nominal rate") {
  // Mean of 40 standard normals: the exact 90% interval is mean +- 1.645 / sqrt(40).
  const int sets = 300, n = 40;
  int covered = 0;
  double mean_width = 0.0;
  for (int s = 0; s < sets; ++s) {
    boex::Rng rng(s);
    std::vector<double> x(n);
    for (double& v : x) v = rng.normal();
    BootstrapOptions o;
    o.resamples = 500;
    o.level = 0.9;
    o.seed = s;
    const auto mean_of = [&](const std::vector<int>& rows) -> std::optional<double> {
      double m = 0.0;
      for (int i : rows) m += x[i] / rows.size();
      return m;
    };
    std::vector<int> all(n);
    std::iota(all.begin(), all.end(), 0);
    const auto boot = boex::fits::bootstrap<double>(*mean_of(all), n, o, mean_of);
    const auto iv = boot.interval([](double m) { return m; });
    covered += iv.contains(0.0);
    mean_width += iv.width() / sets;
  }
  // The plug-in bootstrap's standard error divides by n, not n - 1: 1.3% narrower at n = 40.
  CHECK_THAT(mean_width, WithinAbs(2.0 * 1.645 / std::sqrt(40.0), 0.03));
  CHECK(covered >= 255);  // Binomial(300, 0.9): 270 expected, sd 5.2
  CHECK(covered <= 285);
}

TEST_CASE("A bootstrap whose refits mostly fail is refused as a numerical error, and bad options are named") {
  BootstrapOptions o;
  o.resamples = 10;
  int calls = 0;
  const auto flaky = [&](const std::vector<int>&) -> std::optional<double> {
    return ++calls % 3 == 0 ? std::optional<double>(1.0) : std::nullopt;
  };
  CHECK_THROWS_AS(boex::fits::bootstrap<double>(0.0, 5, o, flaky), boex::NumericalError);
  const auto fine = [](const std::vector<int>&) -> std::optional<double> { return 1.0; };
  o.resamples = 1;
  CHECK_THROWS_MATCHES(boex::fits::bootstrap<double>(0.0, 5, o, fine), boex::InvalidArgument, boex::testing::MessageContains("resamples"));
  o.resamples = 10;
  o.level = 0.0;
  CHECK_THROWS_MATCHES(boex::fits::bootstrap<double>(0.0, 5, o, fine), boex::InvalidArgument, boex::testing::MessageContains("level"));
}
