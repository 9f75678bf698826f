#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "engine/scaling_fit.h"
#include "fits/law_report.h"
#include "storage/storage.h"
#include "support/error_matchers.h"
#include "support/scaling_datasets.h"

using namespace boex;
using boex::testing::MessageContains;

namespace {

std::vector<const Study*> pointers(const std::vector<Study>& studies) {
  std::vector<const Study*> out;
  for (const auto& s : studies) out.push_back(&s);
  return out;
}

}  // namespace

TEST_CASE("Step Law runs stored one study per scale (N, D as study attributes) fit exactly as the CSV does") {
  std::shared_ptr<Storage> storage = open_storage("sqlite::memory:");
  const auto runs = boex::testing::step_law_runs();
  std::vector<Study> studies;
  for (const auto& name : boex::testing::store_runs_by_scale(storage, "steplaw/", runs)) studies.push_back(Study::load(storage, name));
  CHECK(studies.size() == 17);
  fits::StepLawOptions o;
  o.tokens_per_batch_unit = boex::testing::kStepLawTokensPerSequence;
  fits::BootstrapOptions b;
  b.resamples = 200;
  const auto from_studies = fit_step_law_from_studies(pointers(studies), ScalingColumns{}, o, b);
  const auto from_csv = fits::estimate_step_law(runs, o, b);
  CHECK(from_studies.fit.n_runs == 1911);
  CHECK(from_studies.fit.near_optimal.size() == 129);
  // Same runs, same near-optimal rows (in another order), so the same OLS law.
  const auto a = from_studies.fit.params.values(), c = from_csv.fit.params.values();
  for (int k = 0; k < 5; ++k) CHECK_THAT(a[k], Catch::Matchers::WithinRel(c[k], 1e-9));

  const std::string key = save_law_report(studies[0], fits::step_law_report(from_studies, o, {{1.07e9, 5.69e10}}));
  CHECK(key == "scaling_law.steplaw");
  const auto saved = nlohmann::json::parse(Study::load(storage, studies[0].record().name).record().attributes.at(key));
  CHECK(saved["parameters"]["lr_exp_N"].get<double>() == from_studies.fit.params.lr_exp_N);
  CHECK(saved["intervals"]["lr_exp_N"].size() == 2);
}

TEST_CASE("Chinchilla points stored as trials with N and D trial attributes fit as the CSV does") {
  const auto points = boex::testing::epoch_chinchilla_points();
  Study study = Study::open("sqlite::memory:", "chinchilla", SearchSpace({Parameter::Float("x", 0, 1)}));
  for (int i = 0; i < points.size(); ++i) {
    const Trial t = study.add_measured({{"x", 0.5}}, points.loss[i]);
    study.set_trial_attribute(t.id, "params", std::to_string(points.N[i]));
    study.set_trial_attribute(t.id, "tokens", std::to_string(points.D[i]));
  }
  fits::ChinchillaOptions o;
  o.drop_highest_losses = 5;
  o.a_starts = o.b_starts = {5.0};  // near the optimum: this test is about reading studies
  o.e_starts = {0.5};
  o.alpha_starts = o.beta_starts = {0.3};
  const auto data = chinchilla_data_from_studies({&study}, {"params", "tokens"});
  REQUIRE(data.size() == 245);
  const auto fit = fits::fit_chinchilla(data, o);
  // std::to_string keeps six decimals: N and D are integers-valued at this size, so ~1e-10 relative.
  CHECK_THAT(fit.params.A, Catch::Matchers::WithinRel(482.01, 0.01));
  CHECK_THAT(fit.params.beta, Catch::Matchers::WithinRel(0.3658, 0.01));
}

TEST_CASE("Studies that cannot be read as scaling data are refused naming the study, trial and column") {
  const SearchSpace space({Parameter::Float("lr", 1e-4, 1e-1, true), Parameter::Categorical("bs", {"small", "large"})});
  Study study = Study::open("sqlite::memory:", "runs", space);
  const Trial t = study.add_measured({{"lr", 1e-3}, {"bs", "small"}}, 2.5);
  CHECK_THROWS_MATCHES(step_law_data_from_studies({&study}, {}), InvalidArgument,
                       MessageContains("study 'runs', trial " + std::to_string(t.id) + " has no parameter or attribute 'N'"));
  study.set_trial_attribute(t.id, "N", "1e9");
  study.set_trial_attribute(t.id, "D", "2e10x");
  CHECK_THROWS_MATCHES(step_law_data_from_studies({&study}, {}), InvalidArgument, MessageContains("'D' = '2e10x' is not a number"));
  study.set_trial_attribute(t.id, "D", "2e10");
  CHECK_THROWS_MATCHES(step_law_data_from_studies({&study}, {}), InvalidArgument, MessageContains("'bs' is categorical"));
  StudyOptions maximise;
  maximise.direction = Direction::kMaximize;
  Study accuracy = Study::open("sqlite::memory:", "accuracy", space, maximise);
  CHECK_THROWS_MATCHES(chinchilla_data_from_studies({&accuracy}, {}), InvalidArgument, MessageContains("maximises"));
  // Running and failed trials are not runs with a loss; they are skipped.
  Study pending = Study::open("sqlite::memory:", "pending", SearchSpace({Parameter::Float("x", 0, 1)}));
  pending.ask();
  CHECK(chinchilla_data_from_studies({&pending}, {}).size() == 0);
  CHECK_THROWS_AS(save_law_report(study, nlohmann::json::object()), InvalidArgument);
  // A study's own settings are not free-form attributes.
  CHECK_THROWS_MATCHES(study.set_attribute("target", "1"), InvalidArgument, MessageContains("reserved"));
}
