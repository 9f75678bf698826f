#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "core/errors.h"
#include "engine/scaling_fit.h"
#include "engine/scaling_replay.h"
#include "engine/scaling_study.h"
#include "support/error_matchers.h"
#include "support/scaling_datasets.h"
#include "support/temp_path.h"

using namespace boex;
using boex::testing::MessageContains;
using Catch::Matchers::WithinAbs;

namespace {

const fits::StepLawParams kLaw{1.79, -0.713, 0.307, 0.58, 0.571};
// Inside the scales' hull: the bootstrap, which treats near-optimal runs as draws about a scale's
// optimum, cannot narrow far extrapolations of six scales below ~0.7.
constexpr double kTargetN = 4e8, kTargetD = 2.2e10;

// Measured runs of a world that follows kLaw exactly: at each of six scales a 9 x 7 grid of
// (lr, batch) symmetric in log space about the optimum, a loss bowl around it, and the two highest
// learning rates diverging (loss 3x).
fits::StepLawData world() {
  fits::StepLawData d;
  for (double N : {2e8, 5e8, 1e9})
    for (double D : {1e10, 5e10}) {
      const double lr0 = kLaw.learning_rate(N, D), b0 = kLaw.batch_tokens(D);
      for (int i = -4; i <= 4; ++i)
        for (int j = -3; j <= 3; ++j) {
          const double u = 0.35 * i, v = 0.45 * j;
          d.N.push_back(N);
          d.D.push_back(D);
          d.lr.push_back(lr0 * std::exp(u));
          d.batch.push_back(b0 * std::exp(v));
          const double loss = 1.8 + 2e8 / N * 0.4 + 1e10 / D * 0.3 + 0.02 * u * u + 0.008 * v * v + 0.002 * u * v;
          d.loss.push_back(i >= 3 ? 3.0 * loss : loss);
        }
    }
  return d;
}

ScalingStudyOptions options_for(const std::vector<ScalingScale>& scales) {
  ScalingStudyOptions o;
  o.scales = scales;
  o.target_N = kTargetN;
  o.target_D = kTargetD;
  o.precision = 0.3;
  o.seed = 3;
  o.bootstrap.resamples = 100;
  return o;
}

double pool_compute(const fits::StepLawData& d) {
  double c = 0.0;
  for (int i = 0; i < d.size(); ++i) c += 6.0 * d.N[i] * d.D[i];
  return c;
}

}  // namespace

TEST_CASE("A scaling study replaying a known law's runs finds the optimum at the target with part of the runs") {
  const auto runs = world();
  const auto scales = ReplayRuns::scales_of(runs);
  REQUIRE(scales.size() == 6);
  auto study = ScalingStudy::open("sqlite::memory:", "law", options_for(scales));
  ReplayRuns replay(runs, scales);
  const ScalingStatus& s = study.run(replay);
  CHECK(s.stopped == "precise");
  REQUIRE(s.law);
  const double true_lr = kLaw.learning_rate(kTargetN, kTargetD), true_batch = kLaw.batch_tokens(kTargetD);
  CHECK_THAT(std::log(s.target_optimum.lr / true_lr), WithinAbs(0.0, 0.1));
  CHECK_THAT(std::log(s.target_optimum.batch / true_batch), WithinAbs(0.0, 0.1));
  CHECK(s.lr_interval.contains(true_lr));
  CHECK(s.batch_interval.contains(true_batch));
  CHECK(s.lr_width <= study.options().precision);
  CHECK(s.batch_width <= study.options().precision);
  // Part of the pool (most runs where they are cheap), every scale past its initial design,
  // compute counted as 6 N D per run.
  CHECK(s.runs < runs.size());
  double compute = 0.0;
  for (std::size_t k = 0; k < scales.size(); ++k) {
    CHECK(s.runs_per_scale[k] >= study.options().n_init);
    compute += s.runs_per_scale[k] * scales[k].cost();
  }
  CHECK_THAT(s.compute, Catch::Matchers::WithinRel(compute, 1e-12));
  CHECK(s.compute < 0.5 * pool_compute(runs));
  // The law is left in every scale's study for `boex trials` and later readers.
  const auto saved = nlohmann::json::parse(study.studies()[2]->record().attributes.at("scaling_law.steplaw"));
  CHECK(saved["parameters"]["lr_exp_N"].get<double>() == s.law->fit.params.lr_exp_N);
  CHECK(saved["predictions"][0]["lr"].get<double>() == s.target_optimum.lr);
}

TEST_CASE("A scaling study trains only measured settings, never one twice, and keeps diverged runs out of the law") {
  const auto runs = world();
  const auto scales = ReplayRuns::scales_of(runs);
  auto o = options_for(scales);
  o.max_runs = 60;
  auto study = ScalingStudy::open("sqlite::memory:", "law", o);
  ReplayRuns replay(runs, scales);
  const ScalingStatus& s = study.run(replay);
  CHECK(s.stopped == "run budget");
  CHECK(s.runs == 60);
  std::set<std::tuple<double, double, double>> measured;
  std::set<std::tuple<std::size_t, double, double>> trained;
  for (int i = 0; i < runs.size(); ++i) measured.insert({runs.N[i], runs.lr[i], runs.batch[i]});
  int diverged = 0;
  for (std::size_t k = 0; k < scales.size(); ++k)
    for (const Trial& t : study.studies()[k]->trials()) {
      if (!t.is_complete()) continue;
      const auto key = std::make_tuple(scales[k].N, as_double(t.params.at("lr")), as_double(t.params.at("bs")));
      CHECK(measured.count(key) == 1);
      CHECK(trained.insert({k, std::get<1>(key), std::get<2>(key)}).second);
      if (t.attributes.count(kDivergedLossAttribute)) {
        ++diverged;
        // The measured loss is kept; the value told is the worst converged loss of the scale.
        CHECK(std::stod(t.attributes.at(kDivergedLossAttribute)) > 2.0 * *t.value);
      }
    }
  CHECK(diverged == s.diverged);
  // `boex fit` reads the same runs (diverged ones skipped) and fits the same law.
  const auto from_studies = fit_step_law_from_studies(study.studies(), ScalingColumns{}, o.law, o.bootstrap);
  CHECK(from_studies.fit.n_runs == s.runs - s.diverged);
  CHECK_THAT(from_studies.fit.params.lr_exp_N, WithinAbs(s.law->fit.params.lr_exp_N, 1e-12));
}

TEST_CASE("A scaling study resumes from its database with the runs made so far") {
  const auto runs = world();
  const auto scales = ReplayRuns::scales_of(runs);
  boex::testing::TempPath file;
  auto o = options_for(scales);
  o.max_runs = 30;
  ScalingStatus before;
  {
    auto study = ScalingStudy::open(file.url(), "law", o);
    ReplayRuns replay(runs, scales);
    before = study.run(replay);
  }
  o.max_runs = 36;
  auto resumed = ScalingStudy::open(file.url(), "law", o);
  CHECK(resumed.status().runs == 30);
  CHECK(resumed.status().runs_per_scale == before.runs_per_scale);
  CHECK_THAT(resumed.status().compute, Catch::Matchers::WithinRel(before.compute, 1e-12));
  REQUIRE(resumed.status().law);
  CHECK(resumed.status().target_optimum.lr == before.target_optimum.lr);
  ReplayRuns replay(runs, scales);
  CHECK(resumed.run(replay).runs == 36);
}

TEST_CASE("A scaling study on Step Law's runs within a small compute budget stays inside it") {
  const auto runs = boex::testing::step_law_runs();
  const auto scales = ReplayRuns::scales_of(runs);
  ScalingStudyOptions o;
  o.scales = scales;
  o.target_N = 2e9;
  o.target_D = 2e11;
  o.law.tokens_per_batch_unit = boex::testing::kStepLawTokensPerSequence;
  o.max_compute = 0.06 * pool_compute(runs);
  o.bootstrap.resamples = 50;
  auto study = ScalingStudy::open("sqlite::memory:", "steplaw", o);
  ReplayRuns replay(runs, scales);
  const ScalingStatus& s = study.run(replay);
  CHECK(s.stopped == "compute budget");
  CHECK(s.compute <= o.max_compute);
  // Every scale had its initial design, then the budget ran out before the precision was reached.
  for (int r : s.runs_per_scale) CHECK(r >= o.n_init);
  REQUIRE(s.law);
  CHECK(s.lr_width > o.precision);
}

TEST_CASE("Replayed runs map a suggestion to the nearest measured setting not yet run, and train only that") {
  fits::StepLawData d;
  for (double lr : {1e-3, 2e-3, 4e-3})
    for (double bs : {64.0, 128.0}) {
      d.N.push_back(1e8);
      d.D.push_back(1e9);
      d.lr.push_back(lr);
      d.batch.push_back(bs);
      d.loss.push_back(2.0 + lr + bs * 1e-4);
    }
  const auto scales = ReplayRuns::scales_of(d);
  REQUIRE(scales.size() == 1);
  CHECK(scales[0].lr_low == 1e-3);
  CHECK(scales[0].lr_high == 4e-3);
  CHECK(scales[0].batch_low == 64.0);
  CHECK(scales[0].batch_high == 128.0);
  ReplayRuns replay(d, scales);
  auto s = replay.setting_for(0, {2.1e-3, 70.0});
  REQUIRE(s);
  CHECK(s->lr == 2e-3);
  CHECK(s->batch == 64.0);
  CHECK_THROWS_AS(replay.train(0, {1e-3, 64.0}), InvalidArgument);
  CHECK(replay.train(0, *s) == 2.0 + 2e-3 + 64.0 * 1e-4);
  CHECK(replay.runs_left(0) == 5);
  // The same suggestion again gets the nearest setting not yet run, in the box scaled to [0, 1]^2
  // in logs: lr 4e-3 at batch 64 (0.46 of the lr box away) before 1e-3 (0.54) and before 2e-3 at
  // batch 128 (0.87 of the batch box).
  s = replay.setting_for(0, {2.1e-3, 70.0});
  REQUIRE(s);
  CHECK(s->lr == 4e-3);
  CHECK(s->batch == 64.0);
  for (int k = 0; k < 5; ++k) replay.train(0, *replay.setting_for(0, {1e-3, 64.0}));
  CHECK(!replay.can_run(0));
  CHECK(!replay.setting_for(0, {1e-3, 64.0}));
  CHECK_THROWS_AS(ReplayRuns(d, {{2e8, 1e9, 1e-3, 1e-2, 64, 128}}), InvalidArgument);
}

TEST_CASE("Scaling study options are validated naming the field") {
  const auto scales = ReplayRuns::scales_of(world());
  const auto refused = [](const ScalingStudyOptions& o, const std::string& words) {
    CHECK_THROWS_MATCHES(o.validate(), InvalidArgument, MessageContains(words));
  };
  auto o = options_for(scales);
  o.scales.resize(2);
  refused(o, "at least three");
  o = options_for(scales);
  o.scales[1].lr_low = 0.0;
  refused(o, "scales[1]");
  o = options_for(scales);
  o.scales[2] = o.scales[1];
  refused(o, "repeats");
  o = options_for(scales);
  o.target_D = NAN;
  refused(o, "target_N and target_D");
  o = options_for(scales);
  o.precision = 0.0;
  refused(o, "precision");
  o = options_for(scales);
  o.divergence_ratio = 1.0;
  refused(o, "divergence_ratio");
  o = options_for(scales);
  o.n_init = 0;
  refused(o, "n_init");
  o = options_for(scales);
  o.law.tokens_per_batch_unit = -1.0;
  refused(o, "tokens_per_batch_unit");
}
