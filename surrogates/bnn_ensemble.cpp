#include "surrogates/bnn_ensemble.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/errors.h"
#include "core/rng.h"
#include "surrogates/mlp_map_fit.h"
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
  const Eigen::VectorXd y_s = set_data(data, "BnnEnsemble");
  const int n = static_cast<int>(data.y.size()), d = static_cast<int>(data.X.cols());
  const int M = options_.members;
  Rng rng(mix_seed(options_.seed, static_cast<std::uint64_t>(n)));

  // Each member's subsample, drawn without replacement.
  const int k = std::max(1, std::min(n, static_cast<int>(std::lround(options_.subsample * n))));
  std::vector<Eigen::MatrixXd> X(M, Eigen::MatrixXd(k, d));
  std::vector<Eigen::VectorXd> y(M, Eigen::VectorXd(k));
  for (int m = 0; m < M; ++m) {
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    for (int i = 0; i < k; ++i) std::swap(order[i], order[i + rng.index(n - i)]);
    for (int i = 0; i < k; ++i) {
      X[m].row(i) = data.X.row(order[i]);
      y[m](i) = y_s(order[i]);
    }
  }

  const LogNormalPrior noise_prior = default_noise_prior();
  MlpStack stack(M, d, options_.hidden);
  Eigen::VectorXd log_noise;
  if (warm) {
    stack = draws();
    log_noise = log_noise_;
  } else {
    stack.initialize(rng);
    log_noise = Eigen::VectorXd::Constant(M, noise_prior.mu);
  }
  MapFitOptions fit;
  fit.steps = steps;
  fit.learning_rate = options_.learning_rate;
  fit.prior_variance = options_.prior_variance;
  fit.fan_in_prior = options_.fan_in_prior;
  const double last = fit_map(&stack, X, y, &log_noise, fit);

  FitSummary summary;
  summary.iterations = steps * M;
  summary.objective = -last / (static_cast<double>(M) * k);
  if (!std::isfinite(last) || !stack.parameters().allFinite() || !log_noise.allFinite()) {
    // Diverged (a learning rate far too large): start again from the prior draw, untrained.
    summary.fell_back = true;
    summary.message = "training diverged; using the untrained members";
    Rng again(mix_seed(options_.seed, static_cast<std::uint64_t>(n)));
    stack.initialize(again);
    log_noise = Eigen::VectorXd::Constant(M, noise_prior.mu);
  } else {
    summary.message = "ok";
  }
  log_noise_ = log_noise;
  set_draws(stack, log_noise.array().exp().mean());
  return summary;
}

}  // namespace boex

BOEX_TORCH_SURROGATE(boex_make_bnn_ensemble, boex::BnnEnsemble)
