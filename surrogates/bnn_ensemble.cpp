#include "surrogates/bnn_ensemble.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/errors.h"
#include "core/rng.h"
#include "surrogates/mlp_stack.h"
#include "surrogates/priors.h"
#include "surrogates/torch_plugin.h"

namespace boex {

BnnEnsemble::BnnEnsemble() : BnnEnsemble(Options()) {}

BnnEnsemble::BnnEnsemble(Options options) : BnnSurrogate(options.noise_in_marginal), options_(std::move(options)) {
  options_.validate();
}

FitSummary BnnEnsemble::fit(const Dataset& data) { return train(data, false, options_.steps); }

std::unique_ptr<Surrogate> BnnEnsemble::condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const {
  const Dataset joined = with_observations(data(), X_new, y_new);
  auto out = std::make_unique<BnnEnsemble>(*this);
  out->train(joined, true, options_.refit_steps);
  return out;
}

FitSummary BnnEnsemble::train(const Dataset& data, bool warm, int steps) {
  OneThread one;
  const Eigen::VectorXd y_s = set_data(data, "BnnEnsemble");
  const int n = static_cast<int>(data.y.size()), d = static_cast<int>(data.X.cols());
  const int M = options_.members;
  Rng rng(mix_seed(options_.seed, static_cast<std::uint64_t>(n)));

  // Each member's subsample, as row indices into the data: [M, k].
  const int k = std::max(1, std::min(n, static_cast<int>(std::lround(options_.subsample * n))));
  std::vector<std::int64_t> rows(static_cast<std::size_t>(M) * k);
  for (int m = 0; m < M; ++m) {
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    for (int i = 0; i < k; ++i) std::swap(order[i], order[i + rng.index(n - i)]);
    for (int i = 0; i < k; ++i) rows[static_cast<std::size_t>(m) * k + i] = order[i];
  }
  const torch::Tensor index = torch::from_blob(rows.data(), {M * k}, torch::kInt64).clone();
  const torch::Tensor X = to_tensor(data.X).index_select(0, index).view({M, k, d});
  const torch::Tensor y = to_tensor(y_s).index_select(0, index).view({M, k});

  MlpStack stack(M, d, options_.hidden);
  torch::Tensor log_noise;
  if (warm) {
    stack = draws();
    log_noise = torch::tensor(log_noise_, torch::kFloat64);
  } else {
    stack.initialize(rng);
    log_noise = torch::full({M}, default_noise_prior().mu, torch::kFloat64);
  }
  stack.set_requires_grad(true);
  log_noise.set_requires_grad(true);
  std::vector<torch::Tensor> parameters = stack.parameters();
  parameters.push_back(log_noise);
  torch::optim::Adam adam(parameters, torch::optim::AdamOptions(options_.learning_rate));

  // Negative log posterior of every member (summed: the members share nothing), with BoTorch's
  // LogNormal(-4, 1) prior on the noise variance in standardised units.
  const LogNormalPrior noise_prior = default_noise_prior();
  const double half_precision = 0.5 / options_.prior_variance;
  auto loss_of = [&]() {
    const torch::Tensor residual = y - stack.forward(X);
    const torch::Tensor nll = 0.5 * (residual.pow(2).sum(1) * torch::exp(-log_noise) + k * log_noise);
    const torch::Tensor prior = half_precision * stack.squared_norm() + log_noise +
                                0.5 * ((log_noise - noise_prior.mu) / noise_prior.sigma).pow(2);
    return (nll + prior).sum();
  };
  double last = 0.0;
  for (int step = 0; step < steps; ++step) {
    adam.zero_grad();
    const torch::Tensor loss = loss_of();
    loss.backward();
    adam.step();
    last = loss.item<double>();
  }
  FitSummary summary;
  summary.iterations = steps * M;
  summary.objective = -last / (static_cast<double>(M) * k);
  if (!std::isfinite(last)) {
    // Diverged (a learning rate far too large): start again from the prior draw, untrained.
    summary.fell_back = true;
    summary.message = "training diverged; using the untrained members";
    Rng again(mix_seed(options_.seed, static_cast<std::uint64_t>(n)));
    stack.initialize(again);
    log_noise = torch::full({M}, noise_prior.mu, torch::kFloat64);
  } else {
    summary.message = "ok";
  }
  const Eigen::VectorXd noise = to_vector(log_noise);
  log_noise_.assign(noise.data(), noise.data() + noise.size());
  set_draws(stack, noise.array().exp().mean());
  return summary;
}

}  // namespace boex

BOEX_TORCH_SURROGATE(boex_make_bnn_ensemble, boex::BnnEnsemble)
