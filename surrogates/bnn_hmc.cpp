#include "surrogates/bnn_hmc.h"

#include <cmath>

#include "core/errors.h"
#include "core/rng.h"
#include "surrogates/hmc_sampler.h"
#include "surrogates/mlp_map_fit.h"
#include "surrogates/priors.h"
#include "surrogates/torch_plugin.h"

namespace boex {
namespace {

HmcOptions hmc_options(const BnnHmc::Options& o, std::uint64_t seed) {
  HmcOptions h;
  h.burn_in = o.burn_in;
  h.samples = o.samples;
  h.keep_every = o.keep_every;
  h.initial_step = o.initial_step;
  h.path_length = o.path_length;
  h.seed = seed;
  return h;
}

}  // namespace

BnnHmc::BnnHmc() : BnnHmc(Options()) {}

BnnHmc::BnnHmc(Options options) : BnnSurrogate(options.noise_in_marginal), options_(std::move(options)) {
  options_.validate();
}

FitSummary BnnHmc::fit(const Dataset& data) {
  const std::uint64_t seed = mix_seed(options_.seed, static_cast<std::uint64_t>(data.y.size()));
  return sample_posterior(data, Eigen::VectorXd(), options_.pretrain_steps, hmc_options(options_, mix_seed(seed, 1)));
}

std::unique_ptr<Surrogate> BnnHmc::condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const {
  const Dataset joined = with_observations(data(), X_new, y_new);
  HmcOptions chain = hmc_options(options_, mix_seed(options_.seed, static_cast<std::uint64_t>(joined.y.size()) + 1));
  chain.burn_in = 0;
  chain.samples = std::max(1, options_.samples / 5);
  chain.keep_every = 1;
  chain.initial_step = step_size_ > 0 ? step_size_ : options_.initial_step;
  auto out = std::make_unique<BnnHmc>(*this);
  out->sample_posterior(joined, map_, options_.refit_steps, chain);
  return out;
}

FitSummary BnnHmc::sample_posterior(const Dataset& data, const Eigen::VectorXd& start, int steps, HmcOptions chain) {
  const Eigen::VectorXd y_s = set_data(data, "BnnHmc");
  const int n = static_cast<int>(data.y.size()), d = static_cast<int>(data.X.cols());
  const std::uint64_t seed = mix_seed(options_.seed, static_cast<std::uint64_t>(n));
  Rng rng(seed);

  // MAP fit of one network, learning the noise under BoTorch's LogNormal(-4, 1) prior.
  MlpStack net(1, d, options_.hidden);
  if (start.size() == net.parameters_per_member())
    net.parameters().col(0) = start;
  else
    net.initialize(rng);
  const LogNormalPrior noise_prior = default_noise_prior();
  Eigen::VectorXd log_noise = Eigen::VectorXd::Constant(1, noise_prior.mu);
  MapFitOptions fit;
  fit.steps = steps;
  fit.learning_rate = options_.learning_rate;
  fit.prior_variance = options_.prior_variance;
  fit.fan_in_prior = options_.fan_in_prior;
  fit_map(&net, {data.X}, {y_s}, &log_noise, fit);
  double noise = std::exp(log_noise(0));
  if (!std::isfinite(noise)) noise = std::exp(noise_prior.mu);
  map_ = net.parameters().col(0);

  // HMC over the weights with the noise fixed: log pi = -|y - f|^2 / (2 noise) - theta' P theta / 2.
  const double inverse_noise = 1.0 / noise;
  const Eigen::VectorXd precision = net.prior_precision(options_.prior_variance, options_.fan_in_prior);
  MlpStack::Workspace ws;
  Eigen::VectorXd f;
  const LogDensity log_density = [&](const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) {
    net.forward(theta, data.X, &ws, &f);
    const Eigen::VectorXd residual = y_s - f;
    net.backward(theta, inverse_noise * residual, &ws, *gradient, nullptr);
    *gradient -= precision.cwiseProduct(theta);
    return -0.5 * inverse_noise * residual.squaredNorm() - 0.5 * precision.dot(theta.cwiseAbs2());
  };
  FitSummary summary;
  Eigen::MatrixXd draws;
  try {
    const HmcResult result = run_hmc(log_density, map_, chain);
    draws = result.samples;
    acceptance_ = result.acceptance;
    step_size_ = result.step_size;
    summary.iterations = steps + result.gradient_evaluations;
    summary.message = "ok";
  } catch (const NumericalError& e) {
    // The MAP itself is not finite (cannot happen with finite data): keep it as the one draw.
    draws = map_.transpose();
    summary.fell_back = true;
    summary.message = std::string("HMC could not start: ") + e.what();
  }
  MlpStack kept(static_cast<int>(draws.rows()), d, options_.hidden);
  kept.parameters() = draws.transpose();
  set_draws(kept, noise);
  summary.objective = acceptance_;
  return summary;
}

}  // namespace boex

BOEX_TORCH_SURROGATE(boex_make_bnn_hmc, boex::BnnHmc)
