// AutoLRS over a toy "training run" whose expected loss has a closed form: SGD on a quadratic
// 0.5 h w^2 with gradient noise of variance s2. Its second moment m evolves as
//   m' = (1 - lr h)^2 m + lr^2 s2,
// an exact exponential in the step count, so the best learning rate for tau steps is known.
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

#include "core/errors.h"
#include "engine/autolrs.h"
#include "engine/study.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

namespace {

constexpr double kH = 1.0, kS2 = 0.1;

class QuadraticTrainer : public Trainer {
 public:
  explicit QuadraticTrainer(double m0 = 1.0, double diverge_above = INFINITY) : m_(m0), diverge_above_(diverge_above) {}
  double step(double lr) override {
    ++steps_;
    if (lr > diverge_above_) return NAN;
    m_ = (1 - lr * kH) * (1 - lr * kH) * m_ + lr * lr * kS2;
    return 0.5 * kH * m_;
  }
  double evaluate() override { return 0.5 * kH * m_; }
  std::string save_state() override {
    std::ostringstream os;
    os << std::hexfloat << m_;
    return os.str();
  }
  void restore_state(const std::string& state) override {
    m_ = std::strtod(state.c_str(), nullptr);  // reads the hexfloat exactly (streams do not)
  }
  double m() const { return m_; }
  long steps() const { return steps_; }

 protected:
  double m_;
  double diverge_above_;
  long steps_ = 0;
};

// The expected loss after tau steps at a constant lr from second moment m0.
double closed_form_loss(double lr, double m0, std::int64_t tau) {
  const double q = (1 - lr * kH) * (1 - lr * kH);
  const double m_inf = lr * lr * kS2 / (1 - q);
  return 0.5 * kH * (std::pow(q, static_cast<double>(tau)) * (m0 - m_inf) + m_inf);
}

// The second moment after following `schedule` (one rate per step) from m0: where the run's final
// model must be when exploration was undone exactly.
double follow(const std::vector<double>& schedule, double m0 = 1.0) {
  QuadraticTrainer t(m0);
  for (double lr : schedule) t.step(lr);
  return t.m();
}

// A trainer whose process "dies" (throws) after a number of steps, as an interrupted run does.
class CrashingTrainer : public QuadraticTrainer {
 public:
  explicit CrashingTrainer(long crash_at) : crash_at_(crash_at) {}
  double step(double lr) override {
    if (steps_ == crash_at_) throw std::runtime_error("killed");
    return QuadraticTrainer::step(lr);
  }

 private:
  long crash_at_;
};

AutoLrsOptions toy_options(const TempPath& file) {
  AutoLrsOptions o;
  o.min_lr = 1e-3;
  o.max_lr = 1.0;
  o.candidates = 8;
  o.tau_prime = 20;
  o.tau = 200;
  o.tau_max = 200;
  o.total_steps = 8 * 20 + 200;  // one stage
  o.storage_url = file.url();
  o.seed = 5;
  return o;
}

}  // namespace

TEST_CASE("AutoLRS on a quadratic picks the candidate the closed form says is best, with exact forecasts",
          "[autolrs]") {
  TempPath file;
  const AutoLrsOptions o = toy_options(file);
  QuadraticTrainer trainer;
  const AutoLrsResult r = run_autolrs(trainer, o);
  REQUIRE(r.stages.size() == 1);
  const AutoLrsStage& s = r.stages[0];
  REQUIRE(s.candidates.size() == 8);
  double best_loss = INFINITY, best_lr = 0;
  for (const AutoLrsCandidate& c : s.candidates) {
    CAPTURE(c.lr);
    CHECK_FALSE(c.diverged);
    // The curve is exactly exponential, so the forecast ten windows ahead is the closed form.
    CHECK(c.forecast == Approx(closed_form_loss(c.lr, 1.0, 200)).epsilon(1e-3).margin(1e-9));
    if (closed_form_loss(c.lr, 1.0, 200) < best_loss) {
      best_loss = closed_form_loss(c.lr, 1.0, 200);
      best_lr = c.lr;
    }
  }
  CHECK(s.lr == best_lr);
  // The global optimum over [min_lr, max_lr] (a fine grid of the closed form): 8 candidates of
  // largest uncertainty land close to it.
  double optimum = INFINITY;
  for (int i = 0; i <= 3000; ++i) optimum = std::min(optimum, closed_form_loss(std::pow(10.0, -3.0 + i / 1000.0), 1.0, 200));
  CHECK(best_loss <= 1.5 * optimum);
  // The run ends where tau steps at the chosen rate lead, and spent exactly its budget.
  CHECK(trainer.evaluate() == Approx(closed_form_loss(s.lr, 1.0, 200)).epsilon(1e-9));
  CHECK(r.steps_total == 360);
  CHECK(trainer.steps() == 360);
  CHECK(r.schedule() == std::vector<double>(200, s.lr));
  // Every candidate's learning curve is stored with its trial.
  const Study study = Study::load(file.url(), "autolrs/stage-0");
  for (const Trial& t : study.trials()) CHECK(t.reports.size() == 20);
}

TEST_CASE("AutoLRS stages double tau' and tau up to the cap, switch to validation losses and fit the budget",
          "[autolrs]") {
  TempPath file;
  AutoLrsOptions o = toy_options(file);
  o.candidates = 3;
  o.tau_prime = 10;
  o.tau = 40;
  o.tau_max = 160;
  o.val_points = 4;
  o.warmup_steps = 5;
  o.warmup_lr = 0.01;
  o.total_steps = 5 + (30 + 40) + (60 + 80) + (60 + 80) + 50;  // the last stage is shortened
  QuadraticTrainer trainer;
  const AutoLrsResult r = run_autolrs(trainer, o);
  REQUIRE(r.stages.size() == 4);
  CHECK(r.stages[0].tau_prime == 10);
  CHECK(r.stages[0].tau == 40);
  CHECK(r.stages[1].tau_prime == 20);  // doubled: 10 < 160 / 10
  CHECK(r.stages[1].tau == 80);
  CHECK(r.stages[2].tau_prime == 20);  // 20 >= 16: fixed from here, judged by validation losses
  CHECK(r.stages[2].validation_mode);
  CHECK_FALSE(r.stages[1].validation_mode);
  CHECK(r.stages[3].tau_prime == 10);  // 50 steps left: tau' halves back so exploring is at most half
  CHECK(r.stages[3].tau == 20);
  CHECK(r.steps_total == o.total_steps);
  CHECK(trainer.steps() == o.total_steps);
  CHECK(r.schedule().size() == 5 + 40 + 80 + 80 + 20);
  CHECK(r.schedule()[0] == Approx(0.002));
  CHECK(trainer.m() == Approx(follow(r.schedule())).epsilon(1e-12));
  for (const AutoLrsStage& s : r.stages) CHECK((s.lr >= o.min_lr && s.lr <= o.max_lr));
  // Validation mode evaluates every tau' / val_points = 5 steps: 4 points per candidate.
  const Study stage2 = Study::load(file.url(), "autolrs/stage-2");
  for (const Trial& t : stage2.trials()) CHECK(t.reports.size() == 4);
}

TEST_CASE("an interrupted AutoLRS run resumes at its stage from the checkpoint and keeps told candidates",
          "[autolrs][resume]") {
  TempPath file, checkpoint(".ckpt"), reference_file;
  AutoLrsOptions o = toy_options(file);
  o.candidates = 3;
  o.tau_prime = 10;
  o.tau = 40;
  o.tau_max = 400;
  o.checkpoint_path = checkpoint.path();
  o.total_steps = 70 + 140 + 280;
  AutoLrsOptions reference = o;
  reference.storage_url = reference_file.url();
  reference.checkpoint_path.clear();
  QuadraticTrainer uninterrupted;
  const AutoLrsResult whole = run_autolrs(uninterrupted, reference);
  REQUIRE(whole.stages.size() == 3);

  // Killed 45 steps into stage 2 (it starts at step 210): its first candidate (40 steps) was told.
  CrashingTrainer dying(210 + 45);
  CHECK_THROWS_AS(run_autolrs(dying, o), std::runtime_error);
  QuadraticTrainer fresh(123.0);  // its own state is replaced by the checkpoint's
  const AutoLrsResult resumed = run_autolrs(fresh, o);
  REQUIRE(resumed.resumed_at == 2);
  REQUIRE(resumed.stages.size() == 3);
  for (int s = 0; s < 2; ++s) CHECK(resumed.stages[s].lr == whole.stages[s].lr);
  CHECK(Study::load(file.url(), "autolrs/stage-0").trials().size() == 3);  // nothing re-explored
  const std::vector<Trial> stage2 = Study::load(file.url(), "autolrs/stage-2").trials();
  REQUIRE(stage2.size() == 4);  // the told candidate, the one cut off (failed), two new
  CHECK(stage2[0].is_complete());
  CHECK(stage2[1].state == TrialState::kFailed);
  CHECK(resumed.stages[2].candidates.front().lr == Approx(std::pow(10.0, std::get<double>(stage2[0].params.at("log10_lr")))));
  // The budget counts the told candidate's steps; only the 5 steps of the one cut off are lost.
  CHECK(resumed.steps_total == o.total_steps);
  CHECK(fresh.steps() == 2 * 40 + 160);  // two new candidates, then stage 2's tau
  // The resumed stage started from the stored state, not from the fresh trainer's: the model is
  // where the three stages' rates lead from the start.
  CHECK(fresh.m() == Approx(follow(resumed.schedule())).epsilon(1e-12));
  CHECK(uninterrupted.m() == Approx(follow(whole.schedule())).epsilon(1e-12));
}

TEST_CASE("AutoLRS never chooses a rate whose loss went NaN and fails clearly when all do", "[autolrs][bad_input]") {
  TempPath file;
  AutoLrsOptions o = toy_options(file);
  QuadraticTrainer unstable(1.0, /*diverge_above=*/0.05);
  const AutoLrsResult r = run_autolrs(unstable, o);
  int diverged = 0;
  for (const AutoLrsCandidate& c : r.stages[0].candidates) {
    CHECK(c.diverged == (c.lr > 0.05));
    if (c.diverged) CHECK(c.forecast == o.diverged_loss);
    diverged += c.diverged;
  }
  CHECK(diverged > 0);
  CHECK(r.stages[0].lr <= 0.05);
  CHECK(std::isfinite(r.final_val_loss));

  TempPath other;
  AutoLrsOptions hopeless = toy_options(other);
  hopeless.min_lr = 0.1;
  QuadraticTrainer always(1.0, /*diverge_above=*/0.01);
  CHECK_THROWS_AS(run_autolrs(always, hopeless), NumericalError);
}

TEST_CASE("AutoLRS refuses bad options naming the field", "[autolrs][bad_input]") {
  TempPath file;
  QuadraticTrainer trainer;
  const auto message = [&](const std::function<void(AutoLrsOptions&)>& change) {
    AutoLrsOptions o = toy_options(file);
    change(o);
    try {
      run_autolrs(trainer, o);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(message([](AutoLrsOptions& o) { o.min_lr = -1e-3; }), Catch::Contains("min_lr"));
  CHECK_THAT(message([](AutoLrsOptions& o) { o.max_lr = -1.0; }), Catch::Contains("max_lr"));
  CHECK_THAT(message([](AutoLrsOptions& o) { o.min_lr = 1.0; }), Catch::Contains("min_lr must be < max_lr"));
  CHECK_THAT(message([](AutoLrsOptions& o) { o.max_lr = NAN; }), Catch::Contains("max_lr"));
  CHECK_THAT(message([](AutoLrsOptions& o) { o.tau = 5; }), Catch::Contains("tau"));
  CHECK_THAT(message([](AutoLrsOptions& o) { o.total_steps = 100; }), Catch::Contains("total_steps"));
  CHECK_THAT(message([](AutoLrsOptions& o) { o.storage_url.clear(); }), Catch::Contains("storage_url"));
  CHECK_THAT(message([](AutoLrsOptions& o) { o.warmup_steps = 10; }), Catch::Contains("warmup_lr"));
  CHECK(trainer.steps() == 0);  // refused before any training
}
