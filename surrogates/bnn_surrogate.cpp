#include "surrogates/bnn_surrogate.h"

#include <ATen/Parallel.h>

#include <cmath>

#include "core/errors.h"
#include "core/heap.h"
#include "surrogates/bnn_options.h"
#include "surrogates/mlp_stack.h"

namespace boex {
namespace {

constexpr double kMinVariance = 1e-12;  // as the GP's, relative to the data's scale
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace

// ---- Eigen <-> torch -------------------------------------------------------------------------

torch::Tensor to_tensor(const Eigen::MatrixXd& X) {
  RowMajor rows = X;
  return torch::from_blob(rows.data(), {X.rows(), X.cols()}, torch::kFloat64).clone();
}

torch::Tensor to_tensor(const Eigen::VectorXd& v) {
  Eigen::VectorXd copy = v;
  return torch::from_blob(copy.data(), {v.size()}, torch::kFloat64).clone();
}

Eigen::MatrixXd to_matrix(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().contiguous().to(torch::kFloat64);
  return Eigen::Map<const RowMajor>(c.data_ptr<double>(), c.size(0), c.size(1));
}

Eigen::VectorXd to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().contiguous().to(torch::kFloat64).flatten();
  return Eigen::Map<const Eigen::VectorXd>(c.data_ptr<double>(), c.numel());
}

OneThread::OneThread() {
  static const bool done = [] {
    retain_freed_memory();  // every libtorch op allocates its result
    at::set_num_threads(1);
    return true;
  }();
  (void)done;
}

// ---- MlpStack ----------------------------------------------------------------------------------

MlpStack::MlpStack(int members, int inputs, const std::vector<int>& hidden)
    : members_(members), inputs_(inputs), hidden_(hidden) {
  int fan_in = inputs;
  std::vector<int> widths = hidden;
  widths.push_back(1);
  for (int width : widths) {
    weights_.push_back(torch::zeros({members, fan_in, width}, torch::kFloat64));
    biases_.push_back(torch::zeros({members, 1, width}, torch::kFloat64));
    fan_in = width;
  }
}

MlpStack::MlpStack(const MlpStack& other) { *this = other; }

MlpStack& MlpStack::operator=(const MlpStack& other) {
  if (this == &other) return *this;
  members_ = other.members_;
  inputs_ = other.inputs_;
  hidden_ = other.hidden_;
  weights_.clear();
  biases_.clear();
  for (const auto& w : other.weights_) weights_.push_back(w.detach().clone());
  for (const auto& b : other.biases_) biases_.push_back(b.detach().clone());
  return *this;
}

void MlpStack::initialize(Rng& rng) {
  torch::NoGradGuard no_grad;
  for (auto& w : weights_) {
    const double sd = 1.0 / std::sqrt(static_cast<double>(w.size(1)));
    Eigen::VectorXd values(w.numel());
    for (Eigen::Index i = 0; i < values.size(); ++i) values(i) = sd * rng.normal();
    w.copy_(to_tensor(values).view(w.sizes()));
  }
  for (auto& b : biases_) b.zero_();
}

std::vector<torch::Tensor> MlpStack::parameters() const {
  std::vector<torch::Tensor> out;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    out.push_back(weights_[l]);
    out.push_back(biases_[l]);
  }
  return out;
}

void MlpStack::set_requires_grad(bool requires) {
  for (auto& t : weights_) t.set_requires_grad(requires);
  for (auto& t : biases_) t.set_requires_grad(requires);
}

torch::Tensor MlpStack::forward(const torch::Tensor& X) const {
  torch::Tensor h = 2.0 * X - 1.0;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    h = torch::baddbmm(biases_[l], h, weights_[l]);
    // tanh(h) = 2 sigmoid(2h) - 1: libtorch's CPU tanh here costs three times its sigmoid.
    if (l + 1 < weights_.size()) h = 2.0 * torch::sigmoid(2.0 * h) - 1.0;
  }
  return h.squeeze(-1);
}

torch::Tensor MlpStack::squared_norm() const {
  torch::Tensor total = torch::zeros({members_}, torch::kFloat64);
  for (const auto& p : parameters()) total = total + p.pow(2).sum({1, 2});
  return total;
}

Eigen::Index MlpStack::parameters_per_member() const {
  Eigen::Index n = 0;
  for (const auto& p : parameters()) n += p.numel() / members_;
  return n;
}

Eigen::VectorXd MlpStack::flat(int member) const {
  Eigen::VectorXd out(parameters_per_member());
  Eigen::Index at = 0;
  for (const auto& p : parameters()) {
    const Eigen::VectorXd part = to_vector(p[member]);
    out.segment(at, part.size()) = part;
    at += part.size();
  }
  return out;
}

void MlpStack::set_flat(int member, const Eigen::VectorXd& theta) {
  if (theta.size() != parameters_per_member())
    throw InvalidArgument("MlpStack::set_flat: expected " + std::to_string(parameters_per_member()) + " values");
  torch::NoGradGuard no_grad;
  Eigen::Index at = 0;
  for (auto& p : parameters()) {
    torch::Tensor slot = p[member];
    const Eigen::Index n = slot.numel();
    slot.copy_(to_tensor(Eigen::VectorXd(theta.segment(at, n))).view(slot.sizes()));
    at += n;
  }
}

MlpStack MlpStack::from_flat(const Eigen::MatrixXd& thetas, int inputs, const std::vector<int>& hidden) {
  MlpStack out(static_cast<int>(thetas.rows()), inputs, hidden);
  for (Eigen::Index m = 0; m < thetas.rows(); ++m) out.set_flat(static_cast<int>(m), thetas.row(m).transpose());
  return out;
}

Eigen::MatrixXd MlpStack::values(const Eigen::MatrixXd& X) const {
  torch::NoGradGuard no_grad;
  const torch::Tensor x = to_tensor(X).unsqueeze(0).expand({members_, X.rows(), X.cols()});
  return to_matrix(forward(x));
}

void MlpStack::values_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd* f, Eigen::MatrixXd* df) const {
  if (!df) {
    *f = values(x.transpose()).col(0);
    return;
  }
  // One copy of x per member, so the gradient of the sum is every member's own gradient.
  const torch::Tensor input = to_tensor(x).view({1, 1, x.size()}).repeat({members_, 1, 1}).set_requires_grad(true);
  const torch::Tensor out = forward(input);  // [M, 1]
  const torch::Tensor gradient = torch::autograd::grad({out.sum()}, {input})[0];
  *f = to_vector(out);
  *df = to_matrix(gradient.view({members_, x.size()}));
}

// ---- BnnSurrogate ------------------------------------------------------------------------------

BnnSurrogate::BnnSurrogate(bool noise_in_marginal) : noise_in_marginal_(noise_in_marginal) {}
BnnSurrogate::~BnnSurrogate() = default;
BnnSurrogate::BnnSurrogate(const BnnSurrogate& other) { *this = other; }

BnnSurrogate& BnnSurrogate::operator=(const BnnSurrogate& other) {
  if (this == &other) return *this;
  noise_in_marginal_ = other.noise_in_marginal_;
  data_ = other.data_;
  y_mean_ = other.y_mean_;
  y_scale_ = other.y_scale_;
  noise_s_ = other.noise_s_;
  draws_ = other.draws_ ? std::make_unique<MlpStack>(*other.draws_) : nullptr;
  return *this;
}

Capabilities BnnSurrogate::capabilities() const { return bnn_capabilities(); }

Eigen::VectorXd BnnSurrogate::set_data(const Dataset& data, const std::string& model) {
  validate_dataset(data, model);
  if (data.noise_variance.size() > 0)
    throw InvalidArgument(model + ": known noise variances are not supported; the network learns the noise");
  data_ = data;
  const Eigen::Index n = data.y.size();
  y_mean_ = data.y.mean();
  y_scale_ = 1.0;
  if (n > 1) {
    const double sd = std::sqrt((data.y.array() - y_mean_).square().sum() / static_cast<double>(n - 1));
    if (sd >= 1e-8) y_scale_ = sd;
  }
  return (data.y.array() - y_mean_) / y_scale_;
}

void BnnSurrogate::set_draws(const MlpStack& draws, double noise_variance_standardised) {
  draws_ = std::make_unique<MlpStack>(draws);
  draws_->set_requires_grad(false);
  noise_s_ = noise_variance_standardised;
}

int BnnSurrogate::num_samples() const { return draws_ ? draws_->members() : 0; }

void BnnSurrogate::predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const {
  if (!draws_) throw StateError(name() + ": predict before fit");
  OneThread one;
  const Eigen::MatrixXd F = draws_->values(X);  // S x m
  const Eigen::VectorXd m = F.colwise().mean().transpose();
  if (mean) *mean = (m.array() * y_scale_ + y_mean_).matrix();
  if (variance) {
    const Eigen::VectorXd spread = (F.rowwise() - m.transpose()).colwise().squaredNorm().transpose() / F.rows();
    const double extra = noise_in_marginal_ ? noise_s_ : 0.0;
    *variance = ((spread.array() + extra).max(kMinVariance) * y_scale_ * y_scale_).matrix();
  }
}

void BnnSurrogate::predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance,
                                         Eigen::VectorXd* dmean, Eigen::VectorXd* dvariance) const {
  if (!draws_) throw StateError(name() + ": predict before fit");
  OneThread one;
  Eigen::VectorXd f;
  Eigen::MatrixXd df;
  draws_->values_with_gradient(x, &f, (dmean || dvariance) ? &df : nullptr);
  const double S = static_cast<double>(f.size());
  const double m = f.mean();
  const Eigen::VectorXd centred = f.array() - m;
  const double spread = centred.squaredNorm() / S + (noise_in_marginal_ ? noise_s_ : 0.0);
  *mean = m * y_scale_ + y_mean_;
  *variance = std::max(spread, kMinVariance) * y_scale_ * y_scale_;
  if (dmean) *dmean = (df.colwise().sum().transpose() / S) * y_scale_;
  if (dvariance) {
    if (spread > kMinVariance)
      *dvariance = (2.0 / S) * (df.transpose() * centred) * (y_scale_ * y_scale_);
    else
      dvariance->setZero(x.size());
  }
}

Eigen::MatrixXd BnnSurrogate::sample(const Eigen::MatrixXd& X) const {
  if (!draws_) throw StateError(name() + ": sample before fit");
  OneThread one;
  return (draws_->values(X).array() * y_scale_ + y_mean_).matrix();
}

void BnnSurrogate::sample_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd* values,
                                        Eigen::MatrixXd* gradients) const {
  if (!draws_) throw StateError(name() + ": sample before fit");
  OneThread one;
  draws_->values_with_gradient(x, values, gradients);
  *values = (values->array() * y_scale_ + y_mean_).matrix();
  if (gradients) *gradients *= y_scale_;
}

}  // namespace boex
