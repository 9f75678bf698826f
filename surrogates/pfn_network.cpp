#include "surrogates/pfn_network.h"

#include <cmath>

namespace boex {

namespace {
constexpr double kLn2 = 0.69314718055994530942;
constexpr double kLogSqrt2Pi = 0.91893853320467274178;
}  // namespace

PfnEncoderLayerImpl::PfnEncoderLayerImpl(const PfnConfig& c) : heads(c.n_heads) {
  q_proj = register_module("q_proj", torch::nn::Linear(c.d_model, c.d_model));
  kv_proj = register_module("kv_proj", torch::nn::Linear(c.d_model, 2 * c.d_model));
  out_proj = register_module("out_proj", torch::nn::Linear(c.d_model, c.d_model));
  linear1 = register_module("linear1", torch::nn::Linear(c.d_model, c.d_ff));
  linear2 = register_module("linear2", torch::nn::Linear(c.d_ff, c.d_model));
  norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.d_model})));
  norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.d_model})));
  // PFNs4BO zero-initialises both residual branches' last maps: every layer starts as the identity
  // followed by LayerNorm, which makes the deep post-LN stack stable from the first step.
  torch::NoGradGuard no_grad;
  out_proj->weight.zero_();
  out_proj->bias.zero_();
  linear2->weight.zero_();
  linear2->bias.zero_();
}

torch::Tensor PfnEncoderLayerImpl::attend(const torch::Tensor& q_in, const torch::Tensor& keys,
                                          const torch::Tensor& values) {
  const int64_t B = q_in.size(0), m = q_in.size(1), D = q_in.size(2), dh = D / heads;
  const torch::Tensor q = q_proj(q_in).view({B, m, heads, dh}).transpose(1, 2);  // [B, H, m, dh]
  const torch::Tensor scores = torch::matmul(q, keys.transpose(-1, -2)) / std::sqrt(static_cast<double>(dh));
  const torch::Tensor out = torch::matmul(torch::softmax(scores, -1), values);  // [B, H, m, dh]
  return out_proj(out.transpose(1, 2).reshape({B, m, D}));
}

torch::Tensor PfnEncoderLayerImpl::finish(const torch::Tensor& h, const torch::Tensor& attended) {
  const torch::Tensor h1 = norm1(h + attended);
  return norm2(h1 + linear2(torch::gelu(linear1(h1))));
}

torch::Tensor PfnEncoderLayerImpl::forward_train(const torch::Tensor& h, torch::Tensor* keys, torch::Tensor* values) {
  const int64_t B = h.size(0), n = h.size(1), D = h.size(2), dh = D / heads;
  const std::vector<torch::Tensor> kv = kv_proj(h).view({B, n, 2, heads, dh}).permute({2, 0, 3, 1, 4}).unbind(0);
  *keys = kv[0];  // [B, H, n, dh]
  *values = kv[1];
  return finish(h, attend(h, *keys, *values));
}

torch::Tensor PfnEncoderLayerImpl::forward_test(const torch::Tensor& h, const torch::Tensor& keys,
                                                const torch::Tensor& values) {
  return finish(h, attend(h, keys, values));
}

PfnNetworkImpl::PfnNetworkImpl(const PfnConfig& c) : config(c) {
  config.validate();
  x_encoder = register_module("x_encoder", torch::nn::Linear(c.max_features, c.d_model));
  // Inputs of a training token's y encoder: the normalised y and ln s of its task.
  y_encoder = register_module("y_encoder", torch::nn::Linear(2, c.d_model));
  layers = register_module("layers", torch::nn::ModuleList());
  for (int l = 0; l < c.n_layers; ++l) layers->push_back(PfnEncoderLayer(c));
  decoder1 = register_module("decoder1", torch::nn::Linear(c.d_model, c.decoder_hidden));
  decoder2 = register_module("decoder2", torch::nn::Linear(c.decoder_hidden, c.n_buckets));
}

PfnTrainContext PfnNetworkImpl::encode_train(const torch::Tensor& x_train, const torch::Tensor& y_train,
                                             const torch::Tensor& log_scale) {
  const torch::Tensor y_in = torch::stack({y_train, log_scale.unsqueeze(1).expand_as(y_train)}, -1);
  torch::Tensor h = x_encoder(x_train) + y_encoder(y_in);
  PfnTrainContext context;
  for (const auto& module : *layers) {
    torch::Tensor k, v;
    h = module->as<PfnEncoderLayerImpl>()->forward_train(h, &k, &v);
    context.keys.push_back(k);
    context.values.push_back(v);
  }
  return context;
}

torch::Tensor PfnNetworkImpl::predict(const PfnTrainContext& context, const torch::Tensor& x_test) {
  torch::Tensor h = x_encoder(x_test);
  for (std::size_t l = 0; l < layers->size(); ++l)
    h = layers[l]->as<PfnEncoderLayerImpl>()->forward_test(h, context.keys[l], context.values[l]);
  return decoder2(torch::gelu(decoder1(h)));
}

torch::Tensor PfnNetworkImpl::forward(const torch::Tensor& x_train, const torch::Tensor& y_train,
                                      const torch::Tensor& log_scale, const torch::Tensor& x_test) {
  return predict(encode_train(x_train, y_train, log_scale), x_test);
}

torch::Tensor pfn_encode_inputs(const torch::Tensor& x, int max_features) {
  const int64_t d = x.size(-1);
  const double factor = std::sqrt(12.0) * std::sqrt(static_cast<double>(max_features) / d);
  const torch::Tensor z = (x - 0.5) * factor;
  if (d == max_features) return z;
  return torch::constant_pad_nd(z, {0, max_features - d}, 0.0);
}

PfnBatchTensors pfn_batch_tensors(const GpPriorBatch& batch, const PfnConfig& config) {
  const int64_t B = static_cast<int64_t>(batch.tasks.size());
  const int64_t T = batch.tasks.front().X.rows(), n = batch.n_train, F = config.max_features;
  torch::Tensor x = torch::zeros({B, T, F});
  torch::Tensor y = torch::empty({B, T});
  torch::Tensor log_scale = torch::empty({B});
  auto xa = x.accessor<float, 3>();
  auto ya = y.accessor<float, 2>();
  auto la = log_scale.accessor<float, 1>();
  for (int64_t b = 0; b < B; ++b) {
    const GpPriorTask& task = batch.tasks[b];
    const int64_t d = task.X.cols();
    // The same encoding as pfn_encode_inputs, written into the padded tensor directly.
    const double factor = std::sqrt(12.0) * std::sqrt(static_cast<double>(F) / d);
    const double s = pfn_output_scale(task.y.head(n), config.y_scale_offset);
    la[b] = static_cast<float>(std::log(s));
    for (int64_t i = 0; i < T; ++i) {
      for (int64_t j = 0; j < d; ++j) xa[b][i][j] = static_cast<float>((task.X(i, j) - 0.5) * factor);
      ya[b][i] = static_cast<float>(task.y(i) / s);
    }
  }
  PfnBatchTensors out;
  out.x_train = x.slice(1, 0, n);
  out.x_test = x.slice(1, n, T);
  out.y_train = y.slice(1, 0, n);
  out.y_test = y.slice(1, n, T);
  out.log_scale = log_scale;
  return out;
}

torch::Tensor bar_negative_log_likelihood(const torch::Tensor& logits, const torch::Tensor& y, const BarDistribution& bar) {
  const int64_t K = bar.n_buckets();
  const Eigen::VectorXd& b = bar.borders();
  torch::Tensor borders = torch::empty({K + 1}, torch::kFloat64);
  for (int64_t i = 0; i <= K; ++i) borders[i] = b(i);
  borders = borders.to(logits.scalar_type());
  // Bucket index: the number of inner borders b_1..b_{K-1} at or below y (0 = left tail, K-1 = right).
  const torch::Tensor inner = borders.slice(0, 1, K).contiguous();
  const torch::Tensor index = torch::searchsorted(inner, y.contiguous(), /*out_int32=*/false, /*right=*/true);
  const torch::Tensor log_p = torch::log_softmax(logits, -1).gather(-1, index.unsqueeze(-1)).squeeze(-1);
  // Inner buckets: uniform density 1 / width.
  const torch::Tensor widths = borders.slice(0, 1, K + 1) - borders.slice(0, 0, K);
  torch::Tensor log_g = -torch::log(widths).index({index});
  // Tails: half-normal densities 2 phi(x / s) / s anchored at b_1 and b_{K-1}.
  const double sl = bar.left_tail_scale(), sr = bar.right_tail_scale();
  const torch::Tensor xl = (b(1) - y) / sl, xr = (y - b(K - 1)) / sr;
  const torch::Tensor log_left = kLn2 - std::log(sl) - kLogSqrt2Pi - 0.5 * xl * xl;
  const torch::Tensor log_right = kLn2 - std::log(sr) - kLogSqrt2Pi - 0.5 * xr * xr;
  log_g = torch::where(index == 0, log_left, torch::where(index == K - 1, log_right, log_g));
  return -(log_p + log_g);
}

}  // namespace boex
