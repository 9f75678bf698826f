// Each learning-rate schedule against its formula written out independently, at several points;
// refinement of constant gradient norms is linear decay; bad options are refused by field.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "engine/lr_schedule.h"

using namespace boex;

namespace {

LrScheduleOptions options(double peak, std::int64_t total, std::int64_t warmup = 0, double min_lr = 0) {
  LrScheduleOptions o;
  o.peak_lr = peak;
  o.total_steps = total;
  o.warmup_steps = warmup;
  o.min_lr = min_lr;
  return o;
}

}  // namespace

TEST_CASE("constant, step, cosine, linear and REX schedules match their formulas", "[lr_schedule]") {
  const double peak = 0.3, lo = 0.01;
  const std::int64_t T = 1000, W = 100;
  const auto p = [&](std::int64_t t) { return (t - W) / double(T - W); };
  for (std::int64_t t : {0, 49, 99}) {  // linear warm-up, shared by the decaying schedules
    for (const char* name : {"cosine", "linear", "rex", "step"})
      CHECK(make_lr_schedule(name, options(peak, T, W, lo))->lr(t) == Approx(peak * (t + 1) / 100.0));
  }
  for (std::int64_t t : {100, 250, 500, 777, 999}) {
    CAPTURE(t);
    CHECK(make_lr_schedule("constant", options(peak, T, W, lo))->lr(t) == peak);
    CHECK(make_lr_schedule("cosine", options(peak, T, W, lo))->lr(t) ==
          Approx(lo + (peak - lo) * 0.5 * (1 + std::cos(M_PI * p(t)))));
    CHECK(make_lr_schedule("linear", options(peak, T, W, lo))->lr(t) == Approx(lo + (peak - lo) * (1 - p(t))));
    CHECK(make_lr_schedule("rex", options(peak, T, W, lo))->lr(t) ==
          Approx(lo + (peak - lo) * (1 - p(t)) / (0.5 + 0.5 * (1 - p(t)))));
    LrScheduleOptions code_form = options(peak, T, W);
    code_form.rex_gamma = 0.9;  // the REX authors' code: z / (0.1 + 0.9 z), z = 1 - p
    const double z = 1 - p(t);
    CHECK(make_lr_schedule("rex", code_form)->lr(t) == Approx(peak * z / (0.1 + 0.9 * z)));
    LrScheduleOptions step = options(peak, T, W);
    step.step_every = 300;
    step.step_gamma = 0.1;
    CHECK(make_lr_schedule("step", step)->lr(t) == Approx(peak * std::pow(0.1, std::floor((t - W) / 300.0))));
  }
  // Landmarks written out: cosine halfway is the midpoint, step drops exactly at its boundary.
  CHECK(make_lr_schedule("cosine", options(1.0, 1000))->lr(500) == Approx(0.5));
  LrScheduleOptions step = options(1.0, 900);
  CHECK(make_lr_schedule("step", step)->lr(299) == 1.0);  // step_every defaults to a third
  CHECK(make_lr_schedule("step", step)->lr(300) == Approx(0.1));
  CHECK(make_lr_schedule("step", step)->lr(600) == Approx(0.01));
  CHECK(make_lr_schedule("linear", options(1.0, 1000))->lr(5000) == Approx(0.001));  // past the end: last rate
}

TEST_CASE("refining constant gradient norms gives linear decay to zero at the last step", "[lr_schedule]") {
  LrScheduleOptions o = options(0.2, 500);
  o.grad_norms.assign(500, 3.7);
  const auto refined = make_lr_schedule("refined", o);
  const auto linear = make_lr_schedule("linear", options(0.2, 499));  // 1 - t/(T-1): zero at step T-1
  for (std::int64_t t : {0, 1, 100, 250, 498}) CHECK(refined->lr(t) == Approx(linear->lr(t)));
  CHECK(refined->lr(499) == 0.0);
  o.refine_l1 = true;  // the l1 weights of a constant log are constant too
  CHECK(make_lr_schedule("refined", o)->lr(250) == Approx(0.2 * (499 - 250) / 499.0));
}

TEST_CASE("refinement anneals harder where gradient norms grow and stretches over a longer run", "[lr_schedule]") {
  // g doubles halfway: w = 1/g^2 falls by 4, so eta_t = w_t sum_{s>t} w_s has a kink at the middle.
  LrScheduleOptions o = options(1.0, 400);
  for (int t = 0; t < 400; ++t) o.grad_norms.push_back(t < 200 ? 1.0 : 2.0);
  const auto refined = make_lr_schedule("refined", o);
  // Closed form (the median filter keeps a step function): before the middle
  // eta_t ∝ (199 - t) + 200/4, after it eta_t ∝ (399 - t)/16.
  const double top = 199 + 50.0;
  CHECK(refined->lr(0) == Approx(1.0));
  CHECK(refined->lr(100) == Approx((99 + 50.0) / top));
  CHECK(refined->lr(300) == Approx((99 / 16.0) / top));
  // The same log over a run twice as long: step 2t reads the log near t.
  o.total_steps = 799;
  CHECK(make_lr_schedule("refined", o)->lr(200) == Approx((99 + 50.0) / top));
}

TEST_CASE("the median filter removes isolated spikes and keeps edges", "[lr_schedule]") {
  CHECK(median_filter({1, 1, 9, 1, 1}, 3) == std::vector<double>{1, 1, 1, 1, 1});
  CHECK(median_filter({5, 1, 2, 3, 8}, 3) == std::vector<double>{5, 2, 2, 3, 8});
  CHECK_THROWS_AS(median_filter({1, 2}, 2), InvalidArgument);
}

TEST_CASE("schedules refuse bad options with the field's name and unknown names with the list", "[lr_schedule][bad_input]") {
  const auto message = [](const std::string& name, const LrScheduleOptions& o) {
    try {
      make_lr_schedule(name, o);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(message("cosine", options(-0.1, 100)), Catch::Contains("peak_lr"));
  CHECK_THAT(message("cosine", options(NAN, 100)), Catch::Contains("peak_lr"));
  CHECK_THAT(message("linear", options(0.1, 100, 100)), Catch::Contains("total_steps"));
  CHECK_THAT(message("linear", options(0.1, 100, 0, 0.2)), Catch::Contains("min_lr"));
  LrScheduleOptions rex = options(0.1, 100);
  rex.rex_gamma = 1.0;
  CHECK_THAT(message("rex", rex), Catch::Contains("rex_gamma"));
  LrScheduleOptions refined = options(0.1, 100);
  refined.grad_norms = {1.0, NAN, 2.0};
  CHECK_THAT(message("refined", refined), Catch::Contains("grad_norms"));
  refined.grad_norms = {1.0};
  CHECK_THAT(message("refined", refined), Catch::Contains("grad_norms"));
  CHECK_THROWS_AS(make_lr_schedule("warp", options(0.1, 100)), NotFound);
  CHECK_THROWS_AS(make_lr_schedule("linear", options(0.1, 100))->lr(-1), InvalidArgument);
  CHECK(lr_schedule_names() == std::vector<std::string>{"constant", "cosine", "linear", "refined", "rex", "step"});
}
