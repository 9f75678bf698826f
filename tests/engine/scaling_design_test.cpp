#include <catch2/catch.hpp>
#include <cmath>

#include "engine/scaling_design.h"

using boex::ScaleEvidence;

namespace {

// Near-optimal values spread about a law value: centre + offsets.
std::vector<double> about(double centre, int n) {
  std::vector<double> v;
  for (int k = 0; k < n; ++k) v.push_back(centre + 0.2 * (k % 2 == 0 ? 1 : -1) * (n > 1 ? 1 : 0));
  return v;
}

// Four scales on a square in (ln N, ln D), optima on a plane plus a small misfit each.
std::vector<ScaleEvidence> square(int near_each) {
  std::vector<ScaleEvidence> s;
  const double misfit[4] = {0.05, -0.05, -0.05, 0.05};
  int k = 0;
  for (double n : {0.0, 1.0})
    for (double d : {0.0, 1.0}) {
      ScaleEvidence e;
      e.log_N = n;
      e.log_D = d;
      e.runs = 10;
      e.near_log_lr = about(-0.7 * n + 0.3 * d + misfit[k], near_each);
      e.near_log_batch = about(0.6 * d + misfit[k], near_each);
      s.push_back(e);
      ++k;
    }
  return s;
}

}  // namespace

TEST_CASE("Expected variance drops are empty until the scales with runs determine both laws") {
  auto s = square(3);
  s.resize(3);  // three scales: the 3-parameter eta* law has no residual to size the misfit
  CHECK(boex::expected_variance_drops(s, 0.5, 0.5).empty());
  s = square(3);
  s[2].near_log_lr.clear();
  s[2].near_log_batch.clear();
  CHECK(boex::expected_variance_drops(s, 0.5, 0.5).empty());
  CHECK(!boex::expected_variance_drops(square(3), 0.5, 0.5).empty());
}

TEST_CASE("Scales placed symmetrically about the target, with the same evidence, gain the same from one more run") {
  const auto drops = boex::expected_variance_drops(square(3), 0.5, 0.5);
  REQUIRE(drops.size() == 4);
  for (double d : drops) {
    CHECK(d > 0.0);
    CHECK(d < 2.0);  // two relative drops, each below 1
    CHECK_THAT(d, Catch::Matchers::WithinRel(drops[0], 1e-9));
  }
}

TEST_CASE("A scale whose optimum rests on many near-optimal runs gains less from another than one resting on few") {
  auto s = square(3);
  s[0].near_log_lr = about(s[0].near_log_lr.front() - 0.2, 30);
  s[0].near_log_batch = about(s[0].near_log_batch.front() - 0.2, 30);
  s[0].runs = 40;
  s[3].near_log_lr = {s[3].near_log_lr.front() - 0.2};
  s[3].near_log_batch = {s[3].near_log_batch.front() - 0.2};
  const auto drops = boex::expected_variance_drops(s, 0.5, 0.5);
  REQUIRE(drops.size() == 4);
  CHECK(drops[0] < 0.25 * drops[3]);
}

TEST_CASE("Extrapolating towards one corner makes the scale at that corner the most useful") {
  const auto drops = boex::expected_variance_drops(square(3), 1.5, 1.5);  // beyond (1, 1)
  REQUIRE(drops.size() == 4);
  CHECK(drops[3] > drops[1]);
  CHECK(drops[3] > drops[2]);
  CHECK(drops[3] > drops[0]);
}

TEST_CASE("Scales without near-optimal runs get no drop, the others still do") {
  auto s = square(3);
  ScaleEvidence empty;
  empty.log_N = 2.0;
  empty.log_D = 2.0;
  s.push_back(empty);
  const auto drops = boex::expected_variance_drops(s, 0.5, 0.5);
  REQUIRE(drops.size() == 5);
  CHECK(drops[4] == 0.0);
  CHECK(drops[0] > 0.0);
}
