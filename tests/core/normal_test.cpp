#include <catch2/catch.hpp>
#include <cmath>

#include "core/normal.h"
#include "support/gradient_check.h"

using namespace boex;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("h at zero is 1/sqrt(2 pi)", "[normal]") {
  CHECK_THAT(normal::h(0.0), WithinRel(1.0 / std::sqrt(2 * M_PI), 1e-15));
}

TEST_CASE("log_h matches ln h where h is representable", "[normal]") {
  for (double u = -8.0; u <= 6.0; u += 0.37) CHECK_THAT(normal::log_h(u), WithinRel(std::log(normal::h(u)), 1e-9));
}

TEST_CASE("log_h takes the known value at the branch point u = -1 and is continuous there", "[normal]") {
  CHECK_THAT(normal::log_h(-1.0), WithinAbs(-2.485121025712641, 1e-13));
  CHECK_THAT(normal::log_h(-1.0 - 1e-10), WithinAbs(normal::log_h(-1.0 + 1e-10), 1e-9));
}

TEST_CASE("log_h follows its asymptotic series far in the tail", "[normal]") {
  auto asymptotic = [](double u) {
    const double u2 = u * u;
    return -u2 / 2 - normal::kLogSqrt2Pi - 2 * std::log(-u) + std::log(1 - 3 / u2 + 15 / (u2 * u2) - 105 / (u2 * u2 * u2));
  };
  // At u = -40 the 4-term series is itself only good to ~1.4e-10; compare with the exact value
  // (mpmath, 50 digits) there, and with the series further out where it is exact in double.
  CHECK_THAT(normal::log_h(-40.0), WithinAbs(-808.29856835661996024, 1e-11));
  CHECK_THAT(normal::log_h(-40.0), WithinAbs(asymptotic(-40.0), 2e-10));
  CHECK_THAT(normal::log_h(-1e3), WithinRel(asymptotic(-1e3), 1e-14));
  CHECK_THAT(normal::log_h(-1e7), WithinRel(asymptotic(-1e7), 1e-14));  // the u <= -1e6 branch
}

TEST_CASE("dlog_cdf, dlog_h and log_h match 80-digit references deep in the lower tail", "[normal]") {
  // phi/Phi, Phi/h and ln h from mpmath at 80 digits (erfc of the exact u), from the switch to the
  // asymptotic series at u = -10 down to u = -1e10, where a difference of two
  // logs keeps nothing of the derivatives.
  struct Reference {
    double u, dlog_cdf, dlog_h, log_h;
  };
  const Reference table[] = {
      {-10.0, 10.09809323396251196284, 10.19438303341255330559, -55.55312203612235592718},
      {-19.0, 19.05234394919750290551, 19.10440490890025363846, -187.3160476011266706698},
      {-21.0, 21.04740549651866493017, 21.09460027712758496153, -227.5147329281090677995},
      {-35.0, 35.02852497059668787028, 35.05700370874749802284, -620.5320766759480023044},
      {-1e3, 1000.00099999800001, 1000.001999994000042, -500014.7344520911584469},
      {-1e5, 100000.000009999999998, 100000.000019999999994, -5000000023.944789463445},
      {-1e7, 10000000.0000001, 10000000.0000002, -50000000000033.15512984},
      {-1e10, 10000000000.0000000001, 10000000000.0000000002, -50000000000000000046.97},
  };
  for (const Reference& r : table) {
    INFO("u = " << r.u);
    CHECK_THAT(normal::dlog_cdf(r.u), WithinRel(r.dlog_cdf, 2e-15));
    CHECK_THAT(normal::dlog_h(r.u), WithinRel(r.dlog_h, 2e-15));
    CHECK_THAT(normal::log_h(r.u), WithinRel(r.log_h, 2e-15));
  }
}

TEST_CASE("the tail derivatives stay finite and positive for every finite u, and log_h never turns NaN", "[normal]") {
  for (double u : {-1e100, -1e154, -1e200, -1e300, -1.7e308}) {
    INFO("u = " << u);
    CHECK(normal::dlog_cdf(u) == Approx(-u).epsilon(1e-15));
    CHECK(normal::dlog_h(u) == Approx(-u).epsilon(1e-15));
    CHECK(!std::isnan(normal::log_h(u)));
    CHECK(normal::log_h(u) < -1e199);  // -inf once ln h < -DBL_MAX
  }
}

TEST_CASE("log_h and its derivative stay finite down to u = -1e6 and beyond", "[normal]") {
  for (double u : {-1e1, -1e2, -1e4, -1e6, -1e8}) {
    CHECK(std::isfinite(normal::log_h(u)));
    CHECK(std::isfinite(normal::dlog_h(u)));
    CHECK(normal::dlog_h(u) > 0);
  }
}

TEST_CASE("dlog_h agrees with finite differences of log_h on every branch", "[normal]") {
  for (double u : {-300.0, -30.0, -3.0, -1.5, -0.5, 0.0, 2.0, 7.0}) {
    const double h = 1e-6 * std::max(1.0, std::abs(u));
    const double numeric = (normal::log_h(u + h) - normal::log_h(u - h)) / (2 * h);
    CHECK_THAT(normal::dlog_h(u), WithinRel(numeric, 1e-6));
  }
}

TEST_CASE("log_cdf is accurate in the lower tail where cdf underflows", "[normal]") {
  for (double u = -6.0; u <= 0.0; u += 0.5) CHECK_THAT(normal::log_cdf(u), WithinRel(std::log(normal::cdf(u)), 1e-12));
  // Upper half: ln(1 - Phi(-u)) with the small tail Phi(-u) kept exactly.
  for (double u = 0.5; u <= 8.0; u += 0.5) CHECK_THAT(normal::log_cdf(u), WithinRel(std::log1p(-normal::cdf(-u)), 1e-12));
  // Mills-ratio expansion: ln Phi(u) = ln phi(u) - ln|u| + ln(1 - 1/u^2 + 3/u^4 - 15/u^6) for large |u|.
  const double u = -60.0, u2 = u * u;
  CHECK_THAT(normal::log_cdf(u),
             WithinRel(normal::log_pdf(u) - std::log(-u) + std::log(1 - 1 / u2 + 3 / (u2 * u2) - 15 / (u2 * u2 * u2)), 1e-12));
}

TEST_CASE("erfcx is accurate on both sides of the switch to the asymptotic series", "[normal]") {
  // Reference values from mpmath at 50 digits.
  CHECK_THAT(normal::erfcx(24.999999999), WithinRel(0.022549572433541904482, 1e-12));
  CHECK_THAT(normal::erfcx(25.000000001), WithinRel(0.022549572431740813406, 1e-13));
  CHECK_THAT(normal::erfcx(30.0), WithinRel(0.018795888861416751497, 1e-14));
  CHECK_THAT(normal::erfcx(0.0), WithinRel(1.0, 1e-15));
  CHECK_THAT(normal::erfcx(1e6), WithinRel(1.0 / (1e6 * normal::kSqrtPi), 1e-12));
}

TEST_CASE("quantile inverts cdf, also deep in the tails", "[normal]") {
  for (double x : {-8.0, -3.0, -0.5, 0.0, 1.0, 4.0}) CHECK_THAT(normal::quantile(normal::cdf(x)), WithinAbs(x, 1e-9));
}

TEST_CASE("log_prob_between matches direct differences and stays finite far out", "[normal]") {
  CHECK_THAT(normal::log_prob_between(-1.0, 2.0), WithinRel(std::log(normal::cdf(2.0) - normal::cdf(-1.0)), 1e-12));
  CHECK_THAT(normal::log_prob_between(0.5, 3.0), WithinRel(std::log(normal::cdf(3.0) - normal::cdf(0.5)), 1e-12));
  CHECK(std::isfinite(normal::log_prob_between(1e3, 1e3 + 1)));
  CHECK(std::isfinite(normal::log_prob_between(-1e3 - 1, -1e3)));
  CHECK_THAT(normal::log_prob_between(-1e3, 1e3), WithinAbs(0.0, 1e-15));
}
