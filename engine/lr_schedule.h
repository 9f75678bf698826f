// Learning-rate schedules: the learning rate at each optimiser step of a run of known length, as
// baselines for AutoLRS (constant, step, cosine, linear, REX) and as a product (a schedule refined
// from a previous run's gradient norms). Built by name through make_lr_schedule.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace boex {

// What a schedule is made of. Every schedule validates the fields it uses (InvalidArgument naming
// the field). Steps count from 0 to total_steps - 1; p = (t - warmup_steps) / (total_steps -
// warmup_steps) is the fraction of the run after warm-up.
struct LrScheduleOptions {
  double peak_lr = 0.1;            // the largest learning rate (> 0, finite)
  std::int64_t total_steps = 1000;  // steps in the run (> warmup_steps)
  // Linear warm-up: lr = peak_lr (t + 1) / warmup_steps for t < warmup_steps (not used by
  // "constant" and "refined", whose shape is their own).
  std::int64_t warmup_steps = 0;
  double min_lr = 0.0;           // the floor cosine, linear and REX decay to (0 <= min_lr <= peak_lr)
  std::int64_t step_every = 0;   // "step": multiply by step_gamma every step_every steps (0: total/3)
  double step_gamma = 0.1;       // "step": the factor (0 < gamma <= 1)
  double rex_gamma = 0.5;        // "rex": the family's gamma in [0, 1) (0.5: the paper's form)
  // "refined": the gradient norms g_t of a previous run, one per step (at least 2, finite, > 0);
  // the refined schedule spans them and is stretched over total_steps when the lengths differ.
  std::vector<double> grad_norms;
  bool refine_l1 = false;  // "refined": weights 1/g (Adam's l1 norms) instead of 1/g^2

  void validate(const std::string& schedule) const;
};

class LrSchedule {
 public:
  explicit LrSchedule(const LrScheduleOptions& options);
  virtual ~LrSchedule() = default;
  // The learning rate of step t; t >= total_steps gives the last step's rate. InvalidArgument for
  // t < 0.
  double lr(std::int64_t step) const;
  virtual std::string name() const = 0;
  const LrScheduleOptions& options() const { return options_; }

 protected:
  // The shape after warm-up at p in [0, 1): the factor in [0, 1] of the decaying part.
  virtual double decay(double p) const = 0;
  // Whether the generic linear warm-up applies.
  virtual bool warms_up() const { return true; }
  LrScheduleOptions options_;
};

// eta_t = peak. The baseline every other schedule must beat.
class ConstantSchedule final : public LrSchedule {
 public:
  explicit ConstantSchedule(const LrScheduleOptions& o);
  std::string name() const override { return "constant"; }

 private:
  double decay(double) const override { return 1.0; }
  bool warms_up() const override { return false; }
};

// eta_t = peak * gamma^floor((t - W) / step_every): the classic piecewise-constant schedule
// (He et al., 2016: divide by 10 at fixed epochs).
class StepSchedule final : public LrSchedule {
 public:
  explicit StepSchedule(const LrScheduleOptions& o);
  std::string name() const override { return "step"; }

 private:
  double decay(double p) const override;
};

// eta = min + (peak - min) (1 + cos(pi p)) / 2 (Loshchilov & Hutter, SGDR, ICLR 2017, without
// restarts).
class CosineSchedule final : public LrSchedule {
 public:
  explicit CosineSchedule(const LrScheduleOptions& o);
  std::string name() const override { return "cosine"; }

 private:
  double decay(double p) const override;
};

// eta = min + (peak - min) (1 - p): linear decay after warm-up, the worst-case-optimal schedule for
// the last iterate (Defazio, Cutkosky, Mehta & Mishchenko, "When, why and how much? Adaptive
// learning rate scheduling by refinement", arXiv 2310.07831).
class LinearSchedule final : public LrSchedule {
 public:
  explicit LinearSchedule(const LrScheduleOptions& o);
  std::string name() const override { return "linear"; }

 private:
  double decay(double p) const override;
};

// REX, "reflected exponential": eta = min + (peak - min) (1 - p) / (1 - gamma p). gamma = 0.5 is
// the paper's (1-p)/(1/2 + (1-p)/2) (Chen, Wolfe & Kyrillidis, "REX: Revisiting budgeted training
// with an improved schedule", MLSys 2022); gamma = 0.9 is the authors' code and init2winit's default.
class RexSchedule final : public LrSchedule {
 public:
  explicit RexSchedule(const LrScheduleOptions& o);
  std::string name() const override { return "rex"; }

 private:
  double decay(double p) const override;
};

// Refinement of a previous run's gradient norms g_0..g_{n-1} (Defazio et al., arXiv 2310.07831,
// and facebookresearch/adaptive_scheduling find_closed_form_schedule): median-filter g with width
// 2 floor(0.1 n / 2) + 1 (edges padded with their nearest value), weights w_t = g_t^-2 (g_t^-1
// with refine_l1), eta_t proportional to w_t sum_{s > t} w_s, scaled so that max eta = peak.
// Constant norms give linear decay to 0 at the last step; rising norms at the end anneal harder,
// small early norms give an automatic warm-up.
class RefinedSchedule final : public LrSchedule {
 public:
  explicit RefinedSchedule(const LrScheduleOptions& o);
  std::string name() const override { return "refined"; }
  // The refined rates, one per logged gradient norm.
  const std::vector<double>& rates() const { return rates_; }

 private:
  double decay(double p) const override;
  bool warms_up() const override { return false; }
  std::vector<double> rates_;  // divided by peak: in [0, 1]
};

// The running median of `values` over a window of odd `width`, edges padded with their nearest
// value (scipy.ndimage.median_filter's mode 'nearest').
std::vector<double> median_filter(const std::vector<double>& values, int width);

// "constant", "step", "cosine", "linear", "rex", "refined"; NotFound for another name,
// InvalidArgument for options the schedule rejects.
std::unique_ptr<LrSchedule> make_lr_schedule(const std::string& name, const LrScheduleOptions& options);
std::vector<std::string> lr_schedule_names();

}  // namespace boex
