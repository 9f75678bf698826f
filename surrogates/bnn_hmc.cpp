#include "surrogates/bnn_hmc.h"

#include <cmath>

#include "core/errors.h"
#include "core/rng.h"
#include "surrogates/hmc_sampler.h"
#include "surrogates/mlp_stack.h"
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
  OneThread one;
  const Eigen::VectorXd y_s = set_data(data, "BnnHmc");
  const int n = static_cast<int>(data.y.size()), d = static_cast<int>(data.X.cols());
  const std::uint64_t seed = mix_seed(options_.seed, static_cast<std::uint64_t>(n));
  Rng rng(seed);
  const torch::Tensor X = to_tensor(data.X).unsqueeze(0);  // [1, n, d]
  const torch::Tensor y = to_tensor(y_s).unsqueeze(0);     // [1, n]

  // MAP fit of one network, learning the noise under BoTorch's LogNormal(-4, 1) prior.
  MlpStack net(1, d, options_.hidden);
  if (start.size() == net.parameters_per_member())
    net.set_flat(0, start);
  else
    net.initialize(rng);
  net.set_requires_grad(true);
  const LogNormalPrior noise_prior = default_noise_prior();
  torch::Tensor log_noise = torch::full({1}, noise_prior.mu, torch::kFloat64).set_requires_grad(true);
  std::vector<torch::Tensor> parameters = net.parameters();
  parameters.push_back(log_noise);
  torch::optim::Adam adam(parameters, torch::optim::AdamOptions(options_.learning_rate));
  const double half_precision = 0.5 / options_.prior_variance;
  for (int step = 0; step < steps; ++step) {
    adam.zero_grad();
    const torch::Tensor residual = y - net.forward(X);
    const torch::Tensor loss = 0.5 * (residual.pow(2).sum() * torch::exp(-log_noise) + n * log_noise) +
                               half_precision * net.squared_norm() + log_noise +
                               0.5 * ((log_noise - noise_prior.mu) / noise_prior.sigma).pow(2);
    loss.sum().backward();
    adam.step();
  }
  double noise = std::exp(log_noise.item<double>());
  if (!std::isfinite(noise)) noise = std::exp(noise_prior.mu);
  map_ = net.flat(0);

  // HMC over the weights with the noise fixed: log pi = -|y - f|^2 / (2 noise) - |theta|^2 / (2 v).
  const double inverse_noise = 1.0 / noise;
  const LogDensity log_density = [&](const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) {
    net.set_flat(0, theta);
    for (auto& p : net.parameters()) p.mutable_grad() = torch::Tensor();
    const torch::Tensor residual = y - net.forward(X);
    const torch::Tensor log_p = -0.5 * inverse_noise * residual.pow(2).sum() - half_precision * net.squared_norm().sum();
    log_p.backward();
    Eigen::Index at = 0;
    for (const auto& p : net.parameters()) {
      const Eigen::VectorXd g = to_vector(p.grad());
      gradient->segment(at, g.size()) = g;
      at += g.size();
    }
    return log_p.item<double>();
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
  set_draws(MlpStack::from_flat(draws, d, options_.hidden), noise);
  summary.objective = acceptance_;
  return summary;
}

}  // namespace boex

BOEX_TORCH_SURROGATE(boex_make_bnn_hmc, boex::BnnHmc)
