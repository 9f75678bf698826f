#include "engine/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "core/errors.h"
#include "core/registry.h"

namespace boex {

namespace {

void require(bool ok, const std::string& schedule, const std::string& message) {
  if (!ok) throw InvalidArgument("lr schedule '" + schedule + "': " + message);
}

}  // namespace

void LrScheduleOptions::validate(const std::string& schedule) const {
  require(std::isfinite(peak_lr) && peak_lr > 0, schedule, "peak_lr must be finite and > 0");
  require(warmup_steps >= 0, schedule, "warmup_steps must be >= 0");
  require(total_steps > warmup_steps, schedule, "total_steps must be > warmup_steps");
  require(std::isfinite(min_lr) && min_lr >= 0 && min_lr <= peak_lr, schedule, "min_lr must be in [0, peak_lr]");
  require(step_every >= 0, schedule, "step_every must be >= 0");
  require(step_gamma > 0 && step_gamma <= 1, schedule, "step_gamma must be in (0, 1]");
  require(rex_gamma >= 0 && rex_gamma < 1, schedule, "rex_gamma must be in [0, 1)");
}

LrSchedule::LrSchedule(const LrScheduleOptions& options) : options_(options) {}

double LrSchedule::lr(std::int64_t step) const {
  if (step < 0) throw InvalidArgument("lr schedule: the step must be >= 0, got " + std::to_string(step));
  const LrScheduleOptions& o = options_;
  const std::int64_t t = std::min(step, o.total_steps - 1);
  const std::int64_t warmup = warms_up() ? o.warmup_steps : 0;
  if (t < warmup) return o.peak_lr * static_cast<double>(t + 1) / static_cast<double>(warmup);
  const double p = static_cast<double>(t - warmup) / static_cast<double>(o.total_steps - warmup);
  return decay(p) * o.peak_lr;
}

ConstantSchedule::ConstantSchedule(const LrScheduleOptions& o) : LrSchedule(o) { o.validate(name()); }

StepSchedule::StepSchedule(const LrScheduleOptions& o) : LrSchedule(o) {
  o.validate(name());
  if (options_.step_every == 0) options_.step_every = std::max<std::int64_t>(1, (o.total_steps - o.warmup_steps) / 3);
}

double StepSchedule::decay(double p) const {
  const double after = p * static_cast<double>(options_.total_steps - options_.warmup_steps);
  // The rounding guard keeps t - W exactly on a boundary from falling just short of it.
  return std::pow(options_.step_gamma, std::floor((after + 1e-9) / static_cast<double>(options_.step_every)));
}

// The decaying schedules interpolate from peak to min_lr; decay() is the factor of peak_lr.
CosineSchedule::CosineSchedule(const LrScheduleOptions& o) : LrSchedule(o) { o.validate(name()); }

double CosineSchedule::decay(double p) const {
  const double floor = options_.min_lr / options_.peak_lr;
  return floor + (1 - floor) * 0.5 * (1 + std::cos(M_PI * p));
}

LinearSchedule::LinearSchedule(const LrScheduleOptions& o) : LrSchedule(o) { o.validate(name()); }

double LinearSchedule::decay(double p) const {
  const double floor = options_.min_lr / options_.peak_lr;
  return floor + (1 - floor) * (1 - p);
}

RexSchedule::RexSchedule(const LrScheduleOptions& o) : LrSchedule(o) { o.validate(name()); }

double RexSchedule::decay(double p) const {
  const double floor = options_.min_lr / options_.peak_lr;
  return floor + (1 - floor) * (1 - p) / (1 - options_.rex_gamma * p);
}

std::vector<double> median_filter(const std::vector<double>& values, int width) {
  if (width < 1 || width % 2 == 0) throw InvalidArgument("median_filter: the width must be odd and >= 1");
  const int n = static_cast<int>(values.size());
  const int half = width / 2;
  std::vector<double> out(values.size()), window(static_cast<std::size_t>(width));
  for (int t = 0; t < n; ++t) {
    for (int k = -half; k <= half; ++k) window[static_cast<std::size_t>(k + half)] = values[static_cast<std::size_t>(std::clamp(t + k, 0, n - 1))];
    std::nth_element(window.begin(), window.begin() + half, window.end());
    out[static_cast<std::size_t>(t)] = window[static_cast<std::size_t>(half)];
  }
  return out;
}

RefinedSchedule::RefinedSchedule(const LrScheduleOptions& o) : LrSchedule(o) {
  o.validate(name());
  const std::vector<double>& g = o.grad_norms;
  require(g.size() >= 2, name(), "grad_norms needs at least 2 values, got " + std::to_string(g.size()));
  for (double v : g) require(std::isfinite(v) && v > 0, name(), "grad_norms must be finite and > 0");
  const int n = static_cast<int>(g.size());
  const std::vector<double> smooth = median_filter(g, 2 * static_cast<int>(std::floor(0.1 * n / 2)) + 1);
  std::vector<double> w(smooth.size());
  for (std::size_t t = 0; t < w.size(); ++t) w[t] = o.refine_l1 ? 1 / smooth[t] : 1 / (smooth[t] * smooth[t]);
  rates_.assign(w.size(), 0.0);
  double after = 0.0;  // sum over s > t, accumulated from the end
  for (int t = n - 1; t >= 0; --t) {
    rates_[static_cast<std::size_t>(t)] = w[static_cast<std::size_t>(t)] * after;
    after += w[static_cast<std::size_t>(t)];
  }
  const double top = *std::max_element(rates_.begin(), rates_.end());
  for (double& r : rates_) r /= top;
}

double RefinedSchedule::decay(double p) const {
  // Stretched over total_steps: step t reads the log at t (n - 1) / (T - 1), interpolated linearly.
  const double n = static_cast<double>(rates_.size());
  const double T = static_cast<double>(options_.total_steps);
  const double x = T > 1 ? p * T * (n - 1) / (T - 1) : 0.0;
  const std::size_t i = std::min(static_cast<std::size_t>(x), rates_.size() - 2);
  const double f = x - static_cast<double>(i);
  return rates_[i] * (1 - f) + rates_[i + 1] * f;
}

namespace {

using Factory = std::function<std::unique_ptr<LrSchedule>(const LrScheduleOptions&)>;

template <class S>
Factory factory() {
  return [](const LrScheduleOptions& o) { return std::make_unique<S>(o); };
}

const std::map<std::string, Factory>& schedules() {
  static const std::map<std::string, Factory> registry = {
      {"constant", factory<ConstantSchedule>()}, {"step", factory<StepSchedule>()},
      {"cosine", factory<CosineSchedule>()},     {"linear", factory<LinearSchedule>()},
      {"rex", factory<RexSchedule>()},           {"refined", factory<RefinedSchedule>()}};
  return registry;
}

}  // namespace

std::unique_ptr<LrSchedule> make_lr_schedule(const std::string& name, const LrScheduleOptions& options) {
  return registered(schedules(), name, "lr schedule")(options);
}

std::vector<std::string> lr_schedule_names() { return registered_names(schedules()); }

}  // namespace boex
