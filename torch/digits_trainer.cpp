#include "torch/digits_trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>

#include "core/errors.h"
#include "core/rng.h"

namespace boex {

DigitsData load_digits(const std::string& csv_path) {
  std::ifstream in(csv_path);
  if (!in) throw NotFound("digits: cannot open '" + csv_path + "'");
  DigitsData data;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::istringstream row(line);
    std::string cell;
    std::vector<int> values;
    while (std::getline(row, cell, ',')) {
      char* end = nullptr;
      const long v = std::strtol(cell.c_str(), &end, 10);
      if (cell.empty() || *end != '\0' || v < 0 || v > 16)
        throw InvalidArgument("digits: '" + csv_path + "' line " + std::to_string(number) + ": '" + cell +
                              "' is not an integer in 0..16");
      values.push_back(static_cast<int>(v));
    }
    if (values.size() != 65 || values.back() > 9)
      throw InvalidArgument("digits: '" + csv_path + "' line " + std::to_string(number) +
                            ": expected 64 pixels and a digit 0..9");
    for (int k = 0; k < 64; ++k) data.pixels.push_back(static_cast<float>(values[static_cast<std::size_t>(k)]));
    data.labels.push_back(values.back());
  }
  if (data.labels.empty()) throw InvalidArgument("digits: '" + csv_path + "' has no rows");
  return data;
}

void DigitsTrainerOptions::validate() const {
  if (hidden < 1) throw InvalidArgument("DigitsTrainerOptions.hidden must be >= 1");
  if (batch_size < 1) throw InvalidArgument("DigitsTrainerOptions.batch_size must be >= 1");
  if (!(momentum >= 0 && momentum < 1)) throw InvalidArgument("DigitsTrainerOptions.momentum must be in [0, 1)");
  if (!(weight_decay >= 0)) throw InvalidArgument("DigitsTrainerOptions.weight_decay must be >= 0");
  if (validation_rows < 1) throw InvalidArgument("DigitsTrainerOptions.validation_rows must be >= 1");
}

struct DigitsTrainer::Impl {
  DigitsTrainerOptions options;
  torch::Tensor x_train, y_train, x_val, y_val;
  std::vector<torch::Tensor> params, velocity;  // W1 [64, h], b1 [h], W2 [h, 10], b2 [10]
  std::int64_t step = 0;
  double grad_norm = NAN;
  std::vector<std::int64_t> order;  // the current epoch's permutation of the training rows
  std::int64_t order_epoch = -1;

  torch::Tensor logits(const torch::Tensor& x) const {
    return torch::relu(x.matmul(params[0]) + params[1]).matmul(params[2]) + params[3];
  }

  // The rows of step t: epoch e = t / batches is a permutation drawn from (seed, e), so the batch
  // order is a function of the step count alone and a restored state continues it exactly.
  torch::Tensor batch_rows(std::int64_t t) {
    const std::int64_t n = x_train.size(0), per_epoch = std::max<std::int64_t>(1, n / options.batch_size);
    const std::int64_t epoch = t / per_epoch, k = t % per_epoch;
    if (epoch != order_epoch) {
      order.resize(static_cast<std::size_t>(n));
      std::iota(order.begin(), order.end(), 0);
      Rng rng(mix_seed(options.seed, static_cast<std::uint64_t>(epoch) + 1));
      for (std::int64_t i = n - 1; i > 0; --i)
        std::swap(order[static_cast<std::size_t>(i)], order[rng.index(static_cast<std::uint64_t>(i + 1))]);
      order_epoch = epoch;
    }
    const auto* first = order.data() + k * options.batch_size;
    return torch::from_blob(const_cast<std::int64_t*>(first), {options.batch_size}, torch::kInt64).clone();
  }
};

DigitsTrainer::DigitsTrainer(const DigitsData& data, const DigitsTrainerOptions& options) : impl_(new Impl) {
  options.validate();
  static const bool one_thread = [] {  // reproducible sums, and the machine's cores are shared
    at::set_num_threads(1);
    return true;
  }();
  (void)one_thread;
  Impl& m = *impl_;
  m.options = options;
  const int n = data.rows();
  if (options.validation_rows >= n - options.batch_size)
    throw InvalidArgument("DigitsTrainerOptions.validation_rows leaves fewer than batch_size training rows");
  // The split is fixed (its own seed), so every run is judged on the same validation rows.
  std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), 0);
  Rng split(20211);
  for (int i = n - 1; i > 0; --i) std::swap(rows[static_cast<std::size_t>(i)], rows[split.index(static_cast<std::uint64_t>(i + 1))]);
  const torch::Tensor all_x =
      torch::from_blob(const_cast<float*>(data.pixels.data()), {n, 64}, torch::kFloat32).clone() / 16.0;
  std::vector<std::int64_t> labels(data.labels.begin(), data.labels.end());
  const torch::Tensor all_y = torch::from_blob(labels.data(), {n}, torch::kInt64).clone();
  const torch::Tensor perm = torch::from_blob(rows.data(), {n}, torch::kInt64).clone();
  const torch::Tensor val_rows = perm.slice(0, 0, options.validation_rows);
  const torch::Tensor train_rows = perm.slice(0, options.validation_rows, n);
  m.x_train = all_x.index_select(0, train_rows);
  m.y_train = all_y.index_select(0, train_rows);
  m.x_val = all_x.index_select(0, val_rows);
  m.y_val = all_y.index_select(0, val_rows);
  // He-normal weights from a boex Rng (the same numbers on every platform), zero biases.
  Rng rng(mix_seed(options.seed, 0x5eed));
  const auto he = [&](int in, int out) {
    std::vector<float> w(static_cast<std::size_t>(in) * static_cast<std::size_t>(out));
    for (float& v : w) v = static_cast<float>(rng.normal() * std::sqrt(2.0 / in));
    return torch::from_blob(w.data(), {in, out}, torch::kFloat32).clone();
  };
  m.params = {he(64, options.hidden), torch::zeros({options.hidden}), he(options.hidden, 10), torch::zeros({10})};
  for (torch::Tensor& p : m.params) {
    p.set_requires_grad(true);
    m.velocity.push_back(torch::zeros_like(p));
  }
}

DigitsTrainer::~DigitsTrainer() = default;

double DigitsTrainer::step(double lr) {
  Impl& m = *impl_;
  const torch::Tensor rows = m.batch_rows(m.step++);
  for (torch::Tensor& p : m.params) p.mutable_grad() = torch::Tensor();
  const torch::Tensor loss =
      torch::nn::functional::cross_entropy(m.logits(m.x_train.index_select(0, rows)), m.y_train.index_select(0, rows));
  const double value = loss.item<double>();
  if (!std::isfinite(value)) return NAN;
  loss.backward();
  torch::NoGradGuard no_grad;
  double squared = 0.0;
  for (std::size_t i = 0; i < m.params.size(); ++i) {
    const torch::Tensor g = m.params[i].grad();
    squared += g.pow(2).sum().item<double>();
    m.velocity[i].mul_(m.options.momentum).add_(g).add_(m.params[i], m.options.weight_decay);
    m.params[i].sub_(m.velocity[i] * lr);
  }
  m.grad_norm = std::sqrt(squared);
  return value;
}

double DigitsTrainer::evaluate() {
  torch::NoGradGuard no_grad;
  return torch::nn::functional::cross_entropy(impl_->logits(impl_->x_val), impl_->y_val).item<double>();
}

double DigitsTrainer::accuracy() {
  torch::NoGradGuard no_grad;
  return impl_->logits(impl_->x_val).argmax(1).eq(impl_->y_val).to(torch::kFloat64).mean().item<double>();
}

double DigitsTrainer::last_grad_norm() const { return impl_->grad_norm; }
std::int64_t DigitsTrainer::steps_taken() const { return impl_->step; }
int DigitsTrainer::train_rows() const { return static_cast<int>(impl_->x_train.size(0)); }

// The state as bytes: the step count, then every parameter and velocity tensor's floats in order.
std::string DigitsTrainer::save_state() {
  const Impl& m = *impl_;
  std::string out(reinterpret_cast<const char*>(&m.step), sizeof(m.step));
  for (const auto* group : {&m.params, &m.velocity})
    for (const torch::Tensor& t : *group) {
      const torch::Tensor c = t.detach().contiguous();
      out.append(reinterpret_cast<const char*>(c.data_ptr<float>()), static_cast<std::size_t>(c.numel()) * sizeof(float));
    }
  return out;
}

void DigitsTrainer::restore_state(const std::string& state) {
  Impl& m = *impl_;
  std::size_t expected = sizeof(m.step);
  for (const auto* group : {&m.params, &m.velocity})
    for (const torch::Tensor& t : *group) expected += static_cast<std::size_t>(t.numel()) * sizeof(float);
  if (state.size() != expected)
    throw InvalidArgument("DigitsTrainer: a state of " + std::to_string(state.size()) + " bytes, expected " +
                          std::to_string(expected) + " (another architecture?)");
  std::memcpy(&m.step, state.data(), sizeof(m.step));
  std::size_t at = sizeof(m.step);
  torch::NoGradGuard no_grad;
  for (auto* group : {&m.params, &m.velocity})
    for (torch::Tensor& t : *group) {
      const std::size_t bytes = static_cast<std::size_t>(t.numel()) * sizeof(float);
      std::memcpy(t.data_ptr<float>(), state.data() + at, bytes);
      at += bytes;
    }
}

}  // namespace boex
