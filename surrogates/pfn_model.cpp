#include "surrogates/pfn_model.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "core/errors.h"
#include "surrogates/pfn_network.h"

namespace boex {

namespace {

void require_at_least(int value, int minimum, const char* field) {
  if (value < minimum)
    throw InvalidArgument(std::string("PfnConfig::") + field + " = " + std::to_string(value) + "; must be >= " +
                          std::to_string(minimum));
}

// One intra-op thread: results do not depend on the machine's core count, and a study's process
// does not compete with itself.
void single_thread() {
  if (torch::get_num_threads() != 1) torch::set_num_threads(1);
}

torch::Tensor to_tensor(const Eigen::MatrixXd& m) {
  torch::Tensor t = torch::empty({m.rows(), m.cols()});
  auto a = t.accessor<float, 2>();
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) a[i][j] = static_cast<float>(m(i, j));
  return t;
}

Eigen::MatrixXd to_matrix(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat64).contiguous();
  Eigen::MatrixXd m(c.size(0), c.size(1));
  const double* p = c.data_ptr<double>();
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = p[i * m.cols() + j];
  return m;
}

}  // namespace

void PfnConfig::validate() const {
  require_at_least(max_features, 1, "max_features");
  require_at_least(max_train_points, 1, "max_train_points");
  require_at_least(d_model, 1, "d_model");
  require_at_least(n_layers, 1, "n_layers");
  require_at_least(n_heads, 1, "n_heads");
  require_at_least(d_ff, 1, "d_ff");
  require_at_least(decoder_hidden, 1, "decoder_hidden");
  require_at_least(n_buckets, 2, "n_buckets");
  if (d_model % n_heads != 0)
    throw InvalidArgument("PfnConfig::n_heads = " + std::to_string(n_heads) + "; must divide d_model = " +
                          std::to_string(d_model));
  if (!(y_scale_offset > 0) || !std::isfinite(y_scale_offset))
    throw InvalidArgument("PfnConfig::y_scale_offset = " + std::to_string(y_scale_offset) + "; must be positive");
}

nlohmann::json PfnConfig::to_json() const {
  return {{"max_features", max_features}, {"max_train_points", max_train_points}, {"d_model", d_model},
          {"n_layers", n_layers},         {"n_heads", n_heads},                   {"d_ff", d_ff},
          {"decoder_hidden", decoder_hidden}, {"n_buckets", n_buckets},           {"y_scale_offset", y_scale_offset}};
}

PfnConfig PfnConfig::from_json(const nlohmann::json& doc) {
  PfnConfig c;
  try {
    c.max_features = doc.at("max_features").get<int>();
    c.max_train_points = doc.at("max_train_points").get<int>();
    c.d_model = doc.at("d_model").get<int>();
    c.n_layers = doc.at("n_layers").get<int>();
    c.n_heads = doc.at("n_heads").get<int>();
    c.d_ff = doc.at("d_ff").get<int>();
    c.decoder_hidden = doc.at("decoder_hidden").get<int>();
    c.n_buckets = doc.at("n_buckets").get<int>();
    c.y_scale_offset = doc.at("y_scale_offset").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw SchemaError(std::string("PFN config: ") + e.what());
  }
  try {
    c.validate();
  } catch (const InvalidArgument& e) {
    throw SchemaError(std::string("PFN config: ") + e.what());
  }
  return c;
}

bool PfnConfig::operator==(const PfnConfig& o) const { return to_json() == o.to_json(); }

double pfn_output_scale(const Eigen::Ref<const Eigen::VectorXd>& y_train, double offset) {
  const double mean_square = y_train.size() > 0 ? y_train.squaredNorm() / y_train.size() : 0.0;
  return std::sqrt(mean_square + offset);
}

// ---------------------------------------------------------------------------------------------

PfnModel::PfnModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PfnModel::PfnModel(const PfnConfig& config, const Eigen::VectorXd& borders, std::uint64_t seed) {
  config.validate();
  if (borders.size() != config.n_buckets + 1)
    throw InvalidArgument("PfnModel: " + std::to_string(borders.size()) + " borders for " +
                          std::to_string(config.n_buckets) + " buckets");
  single_thread();
  torch::manual_seed(seed);
  impl_ = std::make_unique<Impl>(Impl{config, BarDistribution(borders), PfnNetwork(config)});
}

PfnModel::~PfnModel() = default;
PfnModel::PfnModel(PfnModel&&) noexcept = default;
PfnModel& PfnModel::operator=(PfnModel&&) noexcept = default;

const PfnConfig& PfnModel::config() const { return impl_->config; }
const BarDistribution& PfnModel::bar() const { return impl_->bar; }

std::int64_t PfnModel::parameter_count() const {
  std::int64_t count = 0;
  for (const auto& p : impl_->network->parameters()) count += p.numel();
  return count;
}

std::vector<NamedArray> PfnModel::parameters() const {
  std::vector<NamedArray> out;
  for (const auto& item : impl_->network->named_parameters()) {
    const torch::Tensor t = item.value().detach().contiguous();
    NamedArray a;
    a.name = item.key();
    a.shape.assign(t.sizes().begin(), t.sizes().end());
    a.data.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
    out.push_back(std::move(a));
  }
  return out;
}

void PfnModel::set_parameters(const std::vector<NamedArray>& arrays) {
  auto named = impl_->network->named_parameters();
  std::set<std::string> seen;
  for (const NamedArray& a : arrays) {
    const torch::Tensor* target = named.find(a.name);
    if (!target) throw SchemaError("PFN weights: unexpected tensor '" + a.name + "' for this model configuration");
    const std::vector<std::int64_t> shape(target->sizes().begin(), target->sizes().end());
    if (shape != a.shape || static_cast<std::int64_t>(a.data.size()) != target->numel())
      throw SchemaError("PFN weights: tensor '" + a.name + "' has the wrong shape for this model configuration");
    if (!seen.insert(a.name).second) throw SchemaError("PFN weights: tensor '" + a.name + "' appears twice");
    torch::NoGradGuard no_grad;
    target->copy_(torch::from_blob(const_cast<float*>(a.data.data()), target->sizes(), torch::kFloat32));
  }
  for (const auto& item : named)
    if (!seen.count(item.key())) throw SchemaError("PFN weights: tensor '" + item.key() + "' is missing");
}

void PfnModel::freeze() {
  for (torch::Tensor& p : impl_->network->parameters()) p.set_requires_grad(false);
}

void PfnModel::save(const std::string& path, const nlohmann::json& recipe) const {
  PfnCheckpoint checkpoint;
  checkpoint.config = impl_->config.to_json();
  const Eigen::VectorXd& b = impl_->bar.borders();
  checkpoint.borders.assign(b.data(), b.data() + b.size());
  checkpoint.recipe = recipe;
  checkpoint.tensors = parameters();
  write_pfn_checkpoint(path, checkpoint);
}

PfnModel PfnModel::load(const std::string& path, nlohmann::json* recipe) {
  PfnCheckpoint checkpoint = read_pfn_checkpoint(path);
  const PfnConfig config = PfnConfig::from_json(checkpoint.config);
  if (static_cast<int>(checkpoint.borders.size()) != config.n_buckets + 1)
    throw SchemaError("PFN checkpoint '" + path + "': " + std::to_string(checkpoint.borders.size()) +
                      " borders for " + std::to_string(config.n_buckets) + " buckets");
  Eigen::VectorXd borders = Eigen::Map<const Eigen::VectorXd>(checkpoint.borders.data(), checkpoint.borders.size());
  try {
    BarDistribution check(borders);
  } catch (const InvalidArgument& e) {
    throw SchemaError("PFN checkpoint '" + path + "': " + e.what());
  }
  PfnModel model(config, borders, 0);
  model.set_parameters(checkpoint.tensors);
  if (recipe) *recipe = checkpoint.recipe;
  return model;
}

// ---------------------------------------------------------------------------------------------

struct PfnConditioned::Impl {
  PfnConfig config;
  PfnNetwork network;  // shares the model's module (a ModuleHolder is a shared pointer)
  PfnTrainContext context;
  int d = 0;
  std::vector<double> scales;
  std::vector<BarDistribution> distributions;
};

struct PfnPrediction::Impl {
  torch::Tensor x;       // [m, d], requires grad
  torch::Tensor logits;  // [c, m, K]
  std::vector<Eigen::MatrixXd> logits_eigen;
};

PfnConditioned PfnModel::condition(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y) const {
  const PfnConfig& c = impl_->config;
  if (X.rows() < 1) throw InvalidArgument("PFN: no training points");
  if (X.cols() < 1) throw InvalidArgument("PFN: inputs have no columns");
  if (X.cols() > c.max_features)
    throw InvalidArgument("PFN: " + std::to_string(X.cols()) + " input dimensions; this checkpoint handles at most " +
                          std::to_string(c.max_features));
  if (X.rows() > c.max_train_points)
    throw InvalidArgument("PFN: " + std::to_string(X.rows()) + " training points; this checkpoint was trained for at most " +
                          std::to_string(c.max_train_points));
  if (Y.rows() != X.rows() || Y.cols() < 1)
    throw InvalidArgument("PFN: Y has " + std::to_string(Y.rows()) + " x " + std::to_string(Y.cols()) + " entries for " +
                          std::to_string(X.rows()) + " training points (need n x c, c >= 1)");
  if (!X.allFinite() || !Y.allFinite()) throw InvalidArgument("PFN: training data must be finite");
  single_thread();
  auto impl = std::make_unique<PfnConditioned::Impl>(PfnConditioned::Impl{c, impl_->network, {}, static_cast<int>(X.cols()), {}, {}});
  const int64_t outputs = Y.cols(), n = X.rows();
  torch::Tensor y = torch::empty({outputs, n});
  torch::Tensor log_scale = torch::empty({outputs});
  auto ya = y.accessor<float, 2>();
  auto la = log_scale.accessor<float, 1>();
  for (int64_t j = 0; j < outputs; ++j) {
    const double s = pfn_output_scale(Y.col(j), c.y_scale_offset);
    impl->scales.push_back(s);
    impl->distributions.push_back(impl_->bar.scaled(s));
    la[j] = static_cast<float>(std::log(s));
    for (int64_t i = 0; i < n; ++i) ya[j][i] = static_cast<float>(Y(i, j) / s);
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor x = pfn_encode_inputs(to_tensor(X), c.max_features).unsqueeze(0).expand({outputs, n, c.max_features});
  impl->context = impl_->network->encode_train(x, y, log_scale);
  return PfnConditioned(std::move(impl));
}

PfnConditioned::PfnConditioned(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PfnConditioned::~PfnConditioned() = default;
PfnConditioned::PfnConditioned(PfnConditioned&&) noexcept = default;
PfnConditioned& PfnConditioned::operator=(PfnConditioned&&) noexcept = default;

int PfnConditioned::n_outputs() const { return static_cast<int>(impl_->scales.size()); }
int PfnConditioned::n_features() const { return impl_->d; }
double PfnConditioned::scale(int c) const { return impl_->scales.at(c); }
const BarDistribution& PfnConditioned::distribution(int c) const { return impl_->distributions.at(c); }

namespace {

void check_test_inputs(const Eigen::MatrixXd& X_test, int d) {
  if (X_test.cols() != d)
    throw InvalidArgument("PFN: test inputs have " + std::to_string(X_test.cols()) + " columns; the training set has " +
                          std::to_string(d));
  if (!X_test.allFinite()) throw InvalidArgument("PFN: test inputs must be finite");
}

}  // namespace

std::vector<Eigen::MatrixXd> PfnConditioned::logits(const Eigen::MatrixXd& X_test) const {
  check_test_inputs(X_test, impl_->d);
  std::vector<Eigen::MatrixXd> out;
  if (X_test.rows() == 0) return std::vector<Eigen::MatrixXd>(n_outputs(), Eigen::MatrixXd(0, impl_->config.n_buckets));
  single_thread();
  torch::NoGradGuard no_grad;
  const int64_t outputs = n_outputs(), m = X_test.rows();
  const torch::Tensor x =
      pfn_encode_inputs(to_tensor(X_test), impl_->config.max_features).unsqueeze(0).expand({outputs, m, impl_->config.max_features});
  const torch::Tensor logits = impl_->network->predict(impl_->context, x);
  for (int64_t j = 0; j < outputs; ++j) out.push_back(to_matrix(logits[j]));
  return out;
}

PfnPrediction PfnConditioned::predict(const Eigen::MatrixXd& X_test) const {
  check_test_inputs(X_test, impl_->d);
  if (X_test.rows() == 0) throw InvalidArgument("PFN: no test points");
  single_thread();
  auto impl = std::make_unique<PfnPrediction::Impl>();
  const int64_t outputs = n_outputs(), m = X_test.rows();
  impl->x = to_tensor(X_test).set_requires_grad(true);
  const torch::Tensor x =
      pfn_encode_inputs(impl->x, impl_->config.max_features).unsqueeze(0).expand({outputs, m, impl_->config.max_features});
  impl->logits = impl_->network->predict(impl_->context, x);
  for (int64_t j = 0; j < outputs; ++j) impl->logits_eigen.push_back(to_matrix(impl->logits[j]));
  return PfnPrediction(std::move(impl));
}

PfnPrediction::PfnPrediction(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PfnPrediction::~PfnPrediction() = default;
PfnPrediction::PfnPrediction(PfnPrediction&&) noexcept = default;
PfnPrediction& PfnPrediction::operator=(PfnPrediction&&) noexcept = default;

const std::vector<Eigen::MatrixXd>& PfnPrediction::logits() const { return impl_->logits_eigen; }

Eigen::MatrixXd PfnPrediction::input_gradient(const std::vector<Eigen::MatrixXd>& dlogits) const {
  const auto& logits = impl_->logits_eigen;
  if (dlogits.size() != logits.size())
    throw InvalidArgument("PfnPrediction::input_gradient: " + std::to_string(dlogits.size()) + " matrices for " +
                          std::to_string(logits.size()) + " outputs");
  std::vector<torch::Tensor> parts;
  for (std::size_t j = 0; j < dlogits.size(); ++j) {
    if (dlogits[j].rows() != logits[j].rows() || dlogits[j].cols() != logits[j].cols())
      throw InvalidArgument("PfnPrediction::input_gradient: output " + std::to_string(j) + " has the wrong shape");
    parts.push_back(to_tensor(dlogits[j]));
  }
  single_thread();
  const torch::Tensor grad_out = torch::stack(parts);
  const auto grads = torch::autograd::grad({impl_->logits}, {impl_->x}, {grad_out}, /*retain_graph=*/true);
  return to_matrix(grads[0]);
}

}  // namespace boex
