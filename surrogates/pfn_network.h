// The libtorch side of the PFN: the transformer module and the bar-distribution loss in torch.
// Internal to the boex_torch target (pfn_model.cpp, the pre-training program, their tests); the
// rest of the tree uses surrogates/pfn_model.h, which does not pull torch in.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "surrogates/bar_distribution.h"
#include "surrogates/gp_prior_sampler.h"
#include "surrogates/pfn_model.h"

namespace boex {

// One post-LN encoder layer whose attention reads keys and values of the training tokens only.
struct PfnEncoderLayerImpl : torch::nn::Module {
  explicit PfnEncoderLayerImpl(const PfnConfig& config);
  // Training tokens h [B, n, D]: self-attention among them; their keys and values [B, H, n, D/H]
  // are returned through *keys and *values for the test tokens of this layer.
  torch::Tensor forward_train(const torch::Tensor& h, torch::Tensor* keys, torch::Tensor* values);
  // Test tokens h [B, m, D] attend to the given training keys and values.
  torch::Tensor forward_test(const torch::Tensor& h, const torch::Tensor& keys, const torch::Tensor& values);

  int heads;
  torch::nn::Linear q_proj{nullptr}, kv_proj{nullptr}, out_proj{nullptr}, linear1{nullptr}, linear2{nullptr};
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};

 private:
  torch::Tensor attend(const torch::Tensor& q_in, const torch::Tensor& keys, const torch::Tensor& values);
  torch::Tensor finish(const torch::Tensor& h, const torch::Tensor& attended);
};
TORCH_MODULE(PfnEncoderLayer);

// What the test tokens need from a training set: each layer's keys and values.
struct PfnTrainContext {
  std::vector<torch::Tensor> keys, values;
};

struct PfnNetworkImpl : torch::nn::Module {
  explicit PfnNetworkImpl(const PfnConfig& config);

  // x_train [B, n, F] and x_test [B, m, F] are encoded inputs (pfn_encode_inputs), y_train [B, n]
  // normalised targets, log_scale [B] the ln s of each task's normalisation.
  PfnTrainContext encode_train(const torch::Tensor& x_train, const torch::Tensor& y_train,
                               const torch::Tensor& log_scale);
  torch::Tensor predict(const PfnTrainContext& context, const torch::Tensor& x_test);  // [B, m, K] logits
  torch::Tensor forward(const torch::Tensor& x_train, const torch::Tensor& y_train, const torch::Tensor& log_scale,
                        const torch::Tensor& x_test);

  PfnConfig config;
  torch::nn::Linear x_encoder{nullptr}, y_encoder{nullptr}, decoder1{nullptr}, decoder2{nullptr};
  torch::nn::ModuleList layers{nullptr};
};
TORCH_MODULE(PfnNetwork);

// Inputs in [0,1]^d -> network features: centred, unit variance under U[0,1], multiplied by
// sqrt(F / d) so the feature vector's norm does not depend on d, zero-padded to F = max_features.
// Differentiable in x ([..., d] -> [..., F]).
torch::Tensor pfn_encode_inputs(const torch::Tensor& x, int max_features);

// A prior batch as network tensors: every task's first batch.n_train points are its training set.
struct PfnBatchTensors {
  torch::Tensor x_train, y_train, log_scale, x_test, y_test;  // y_* normalised
};
PfnBatchTensors pfn_batch_tensors(const GpPriorBatch& batch, const PfnConfig& config);

// Per-point negative log density of normalised targets y [B, m] under the bar distributions with
// logits [B, m, K]: the pre-training loss (the same density as BarDistribution::log_pdf).
torch::Tensor bar_negative_log_likelihood(const torch::Tensor& logits, const torch::Tensor& y, const BarDistribution& bar);

struct PfnModel::Impl {
  PfnConfig config;
  BarDistribution bar;
  PfnNetwork network;
};

}  // namespace boex
