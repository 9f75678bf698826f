#include "surrogates/hmc_sampler.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"
#include "core/rng.h"

namespace boex {
namespace {

// Dual averaging of the log step size towards a target acceptance rate; the constants are the
// study's (and Hoffman and Gelman's): gamma = 0.05, t0 = 10, kappa = 0.75, mu = ln(10 eps0).
class StepSizeAdaptation {
 public:
  StepSizeAdaptation(double initial_step, double target) : mu_(std::log(10.0 * initial_step)), target_(target) {}

  double update(double acceptance) {
    ++t_;
    const double t = static_cast<double>(t_);
    h_ = (1.0 - 1.0 / (t + kT0)) * h_ + (target_ - acceptance) / (t + kT0);
    const double log_step = mu_ - std::sqrt(t) / kGamma * h_;
    const double weight = std::pow(t, -kKappa);
    log_step_bar_ = weight * log_step + (1.0 - weight) * log_step_bar_;
    return std::exp(log_step);
  }
  double averaged() const { return std::exp(log_step_bar_); }

 private:
  static constexpr double kGamma = 0.05, kT0 = 10.0, kKappa = 0.75;
  double mu_, target_;
  double h_ = 0.0, log_step_bar_ = 0.0;
  int t_ = 0;
};

}  // namespace

void HmcOptions::validate() const {
  auto require = [](bool ok, const char* field, const char* rule) {
    if (!ok) throw InvalidArgument(std::string("HmcOptions::") + field + " must be " + rule);
  };
  require(burn_in >= 0, "burn_in", ">= 0");
  require(samples >= 1, "samples", ">= 1");
  require(keep_every >= 1 && keep_every <= samples, "keep_every", "in 1..samples");
  require(initial_step > 0 && std::isfinite(initial_step), "initial_step", "a finite number > 0");
  require(path_length > 0 && std::isfinite(path_length), "path_length", "a finite number > 0");
  require(max_leapfrog >= 1, "max_leapfrog", ">= 1");
  require(target_accept > 0 && target_accept < 1, "target_accept", "in (0, 1)");
}

HmcResult run_hmc(const LogDensity& log_density, const Eigen::VectorXd& start, const HmcOptions& options) {
  options.validate();
  Rng rng(options.seed);
  HmcResult result;
  result.samples.resize(options.samples / options.keep_every, start.size());
  Eigen::VectorXd theta = start, gradient(start.size());
  double log_p = log_density(theta, &gradient);
  ++result.gradient_evaluations;
  if (!std::isfinite(log_p)) throw NumericalError("HMC: the log density is not finite at the start");
  StepSizeAdaptation adaptation(options.initial_step, options.target_accept);
  double step = options.initial_step, path_length = options.path_length, accepted = 0.0;
  int kept = 0;
  for (int iteration = 0; iteration < options.burn_in + options.samples; ++iteration) {
    const bool burning = iteration < options.burn_in;
    if (options.burn_in > 0 && iteration == options.burn_in) step = adaptation.averaged();
    while (path_length / step > options.max_leapfrog) path_length *= 0.5;
    const int leapfrog = std::max(1, std::min(options.max_leapfrog, static_cast<int>(std::ceil(path_length / step))));
    Eigen::VectorXd p(theta.size());
    for (Eigen::Index i = 0; i < p.size(); ++i) p(i) = rng.normal();
    const double kinetic = 0.5 * p.squaredNorm();
    Eigen::VectorXd q = theta, g = gradient;
    double log_q = log_p;
    for (int l = 0; l < leapfrog && std::isfinite(log_q); ++l) {
      p += 0.5 * step * g;
      q += step * p;
      log_q = log_density(q, &g);
      ++result.gradient_evaluations;
      p += 0.5 * step * g;
    }
    const double log_ratio = log_q - log_p - 0.5 * p.squaredNorm() + kinetic;
    const double acceptance = std::isfinite(log_ratio) && g.allFinite() ? std::min(1.0, std::exp(log_ratio)) : 0.0;
    if (rng.uniform() < acceptance) {
      theta = q;
      gradient = g;
      log_p = log_q;
    }
    if (burning) {
      step = adaptation.update(acceptance);
    } else {
      accepted += acceptance;
      const int index = iteration - options.burn_in;
      if ((index + 1) % options.keep_every == 0 && kept < result.samples.rows()) result.samples.row(kept++) = theta;
    }
  }
  result.acceptance = accepted / options.samples;
  result.step_size = step;
  return result;
}

}  // namespace boex
