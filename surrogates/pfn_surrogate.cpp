#include "surrogates/pfn_surrogate.h"

#include <cmath>
#include <map>
#include <mutex>
#include <string>

#include "core/errors.h"
#include "surrogates/pfn_model.h"
#include "surrogates/torch_plugin.h"

namespace boex {
namespace {

// A checkpoint is read once per process: loading costs tens of milliseconds, an ask a few.
std::shared_ptr<const PfnModel> load_shared(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const PfnModel>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded.find(path);
  if (it == loaded.end()) {
    auto model = std::make_shared<PfnModel>(PfnModel::load(path));
    model->freeze();
    it = loaded.emplace(path, std::move(model)).first;
  }
  return it->second;
}

Eigen::VectorXd softmax(const Eigen::VectorXd& z) {
  const Eigen::ArrayXd e = (z.array() - z.maxCoeff()).exp();
  return (e / e.sum()).matrix();
}

}  // namespace

PfnSurrogate::PfnSurrogate() : PfnSurrogate(Options()) {}
PfnSurrogate::PfnSurrogate(Options options) : options_(std::move(options)) { options_.validate(); }
PfnSurrogate::~PfnSurrogate() = default;
PfnSurrogate::PfnSurrogate(const PfnSurrogate&) = default;
PfnSurrogate& PfnSurrogate::operator=(const PfnSurrogate&) = default;

FitSummary PfnSurrogate::fit(const Dataset& data) {
  validate_dataset(data, "pfn");
  if (!model_) model_ = load_shared(pfn_checkpoint_file(options_.checkpoint));
  const PfnConfig& c = model_->config();
  if (data.X.cols() > c.max_features)
    throw InvalidArgument("pfn: the search space encodes to " + std::to_string(data.X.cols()) +
                          " columns; PFN checkpoint '" + options_.checkpoint + "' handles at most " +
                          std::to_string(c.max_features) + " (use a gp-* strategy for this study)");
  if (data.X.rows() > c.max_train_points)
    throw InvalidArgument("pfn: " + std::to_string(data.X.rows()) + " observations (complete trials and believed "
                          "pending ones); PFN checkpoint '" + options_.checkpoint + "' was trained on at most " +
                          std::to_string(c.max_train_points) + " (continue the study with a gp-* strategy)");
  data_ = data;
  PowerTransform::Options power;
  power.family = PowerFamily::kYeoJohnson;
  transform_ = options_.output_transform == "yeo-johnson" ? PowerTransform::fit(data.y, power)
                                                          : PowerTransform::with_lambda(data.y, 1.0, power);
  const double mean = data.y.mean();
  const double sd = std::sqrt((data.y.array() - mean).square().mean());
  y_scale_ = sd > 0 && std::isfinite(sd) ? sd : 1.0;
  condition();
  FitSummary summary;
  summary.iterations = 1;
  summary.message = "one forward pass; Yeo-Johnson lambda " + std::to_string(transform_.lambda());
  return summary;
}

void PfnSurrogate::condition() {
  t_ = transform_.transform(data_.y);
  conditioned_ = std::make_shared<const PfnConditioned>(model_->condition(data_.X, t_));
  // Each bucket's mean m and variance v in t, mapped to y: T^-1(m) and v (dy/dt)^2 (the delta
  // method; exact for a linear T, and the buckets are narrow where the data are).
  const BarDistribution& bar = conditioned_->distribution(0);
  const Eigen::VectorXd m = bar.bucket_means(), m2 = bar.bucket_second_moments();
  bucket_mean_.resize(m.size());
  bucket_second_.resize(m.size());
  for (Eigen::Index k = 0; k < m.size(); ++k) {
    double slope = 0.0;
    const double y = to_data_units(m(k), &slope);
    const double v = std::max(m2(k) - m(k) * m(k), 0.0);
    bucket_mean_(k) = y;
    bucket_second_(k) = y * y + v * slope * slope;
  }
}

double PfnSurrogate::to_data_units(double t, double* dy_dt) const {
  const double y = transform_.inverse(t);
  if (std::isfinite(y)) {
    const double dt_dy = transform_.derivative(y);
    *dy_dt = dt_dy > 0 && std::isfinite(dt_dy) ? 1.0 / dt_dy : 0.0;
    return y;
  }
  // Past the range of T: continue from the nearest observed value with T's slope there.
  Eigen::Index edge = 0;
  if (t > 0) t_.maxCoeff(&edge);
  else t_.minCoeff(&edge);
  const double y_edge = data_.y(edge), dt_dy = transform_.derivative(y_edge);
  *dy_dt = dt_dy > 0 && std::isfinite(dt_dy) ? 1.0 / dt_dy : 0.0;
  return y_edge + (t - t_(edge)) * *dy_dt;
}

std::unique_ptr<Surrogate> PfnSurrogate::condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const {
  if (!conditioned_) throw StateError("pfn: condition_on before fit");
  auto out = std::make_unique<PfnSurrogate>(*this);
  out->data_ = with_observations(data_, X_new, y_new);
  if (out->data_.X.rows() > model_->config().max_train_points)
    throw InvalidArgument("pfn: " + std::to_string(out->data_.X.rows()) + " observations with the pending trials; PFN "
                          "checkpoint '" + options_.checkpoint + "' was trained on at most " +
                          std::to_string(model_->config().max_train_points) + " (ask for fewer at a time)");
  out->condition();
  return out;
}

void PfnSurrogate::predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const {
  if (!conditioned_) throw StateError("pfn: predict before fit");
  const Eigen::MatrixXd logits = conditioned_->logits(X)[0];
  if (mean) mean->resize(X.rows());
  if (variance) variance->resize(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const Eigen::VectorXd p = softmax(logits.row(i).transpose());
    const double mu = p.dot(bucket_mean_);
    if (mean) (*mean)(i) = mu;
    if (variance) (*variance)(i) = std::max(p.dot(bucket_second_) - mu * mu, 0.0);
  }
}

void PfnSurrogate::predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance,
                                         Eigen::VectorXd* dmean, Eigen::VectorXd* dvariance) const {
  if (!conditioned_) throw StateError("pfn: predict before fit");
  const Eigen::MatrixXd row = x.transpose();
  if (!dmean && !dvariance) {
    Eigen::VectorXd m, v;
    predict(row, &m, &v);
    *mean = m(0);
    *variance = v(0);
    return;
  }
  const PfnPrediction prediction = conditioned_->predict(row);
  const Eigen::VectorXd p = softmax(prediction.logits()[0].row(0).transpose());
  const double mu = p.dot(bucket_mean_), second = p.dot(bucket_second_);
  *mean = mu;
  *variance = std::max(second - mu * mu, 0.0);
  // d(sum p_k c_k)/dz = p o (c - sum p c).
  const Eigen::VectorXd g_mean = (p.array() * (bucket_mean_.array() - mu)).matrix();
  const Eigen::VectorXd g_second = (p.array() * (bucket_second_.array() - second)).matrix();
  if (dmean) *dmean = prediction.input_gradient({g_mean.transpose()}).row(0).transpose();
  if (dvariance) {
    const Eigen::VectorXd g_var = g_second - 2.0 * mu * g_mean;
    *dvariance = prediction.input_gradient({g_var.transpose()}).row(0).transpose();
  }
}

template <class Functional>
double PfnSurrogate::at_point(const Eigen::VectorXd& x, Eigen::VectorXd* gradient, Functional f) const {
  if (!conditioned_) throw StateError("pfn: acquisition before fit");
  const BarDistribution& bar = conditioned_->distribution(0);
  const Eigen::MatrixXd row = x.transpose();
  if (!gradient) {
    const Eigen::VectorXd z = conditioned_->logits(row)[0].row(0).transpose();
    return f(bar, z, nullptr);
  }
  const PfnPrediction prediction = conditioned_->predict(row);
  const Eigen::VectorXd z = prediction.logits()[0].row(0).transpose();
  Eigen::VectorXd dz;
  const double value = f(bar, z, &dz);
  if (!std::isfinite(value) || !dz.allFinite()) dz.setZero(z.size());
  *gradient = prediction.input_gradient({dz.transpose()}).row(0).transpose();
  return value;
}

template <class Functional>
Eigen::VectorXd PfnSurrogate::over_rows(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients, Functional f) const {
  if (!conditioned_) throw StateError("pfn: acquisition before fit");
  const BarDistribution& bar = conditioned_->distribution(0);
  Eigen::VectorXd out(X.rows());
  if (!gradients) {
    const Eigen::MatrixXd logits = conditioned_->logits(X)[0];  // one forward pass for all rows
    for (Eigen::Index i = 0; i < X.rows(); ++i) out(i) = f(bar, logits.row(i).transpose(), nullptr);
    return out;
  }
  if (X.rows() == 0) {
    gradients->resize(0, X.cols());
    return out;
  }
  const PfnPrediction prediction = conditioned_->predict(X);
  const Eigen::MatrixXd& logits = prediction.logits()[0];
  Eigen::MatrixXd dlogits(logits.rows(), logits.cols());
  Eigen::VectorXd dz;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    out(i) = f(bar, logits.row(i).transpose(), &dz);
    if (!std::isfinite(out(i)) || !dz.allFinite()) dz.setZero(logits.cols());
    dlogits.row(i) = dz.transpose();
  }
  *gradients = prediction.input_gradient({dlogits});  // one backward pass for all rows
  return out;
}

double PfnSurrogate::log_expected_improvement(const Eigen::VectorXd& x, double best, Eigen::VectorXd* gradient) const {
  const double b = transform_.transform(best);
  return at_point(x, gradient, [&](const BarDistribution& bar, const Eigen::VectorXd& z, Eigen::VectorXd* dz) { return bar.log_ei(z, b, dz); });
}

Eigen::VectorXd PfnSurrogate::log_expected_improvements(const Eigen::MatrixXd& X, double best, Eigen::MatrixXd* gradients) const {
  const double b = transform_.transform(best);
  return over_rows(X, gradients, [&](const BarDistribution& bar, const Eigen::VectorXd& z, Eigen::VectorXd* dz) {
    return bar.log_ei(z, b, dz);
  });
}

double PfnSurrogate::log_probability_above(const Eigen::VectorXd& x, double threshold, Eigen::VectorXd* gradient) const {
  const double a = transform_.transform(threshold);
  return at_point(x, gradient, [&](const BarDistribution& bar, const Eigen::VectorXd& z, Eigen::VectorXd* dz) { return bar.log_pi(z, a, dz); });
}

double PfnSurrogate::log_probability_below(const Eigen::VectorXd& x, double threshold, Eigen::VectorXd* gradient) const {
  const double a = transform_.transform(threshold);
  return at_point(x, gradient, [&](const BarDistribution& bar, const Eigen::VectorXd& z, Eigen::VectorXd* dz) { return bar.log_cdf(z, a, dz); });
}

Eigen::VectorXd PfnSurrogate::log_probabilities_below(const Eigen::MatrixXd& X, double threshold,
                                                    Eigen::MatrixXd* gradients) const {
  const double a = transform_.transform(threshold);
  return over_rows(X, gradients, [&](const BarDistribution& bar, const Eigen::VectorXd& z, Eigen::VectorXd* dz) {
    return bar.log_cdf(z, a, dz);
  });
}

double PfnSurrogate::quantile(const Eigen::VectorXd& x, double level, Eigen::VectorXd* gradient) const {
  double slope = 0.0;
  const double value = at_point(x, gradient, [&](const BarDistribution& bar, const Eigen::VectorXd& z, Eigen::VectorXd* dz) {
    return to_data_units(bar.quantile(z, level, dz), &slope);
  });
  if (gradient) *gradient *= slope;
  return value;
}

Eigen::VectorXd PfnSurrogate::quantiles(const Eigen::MatrixXd& X, double level, Eigen::MatrixXd* gradients) const {
  // dy/dx = dy/dt dt/dx: the network's backward pass gives dt/dx; each row's slope scales it.
  Eigen::VectorXd slopes(X.rows());
  Eigen::Index row = 0;
  const Eigen::VectorXd out = over_rows(X, gradients, [&](const BarDistribution& bar, const Eigen::VectorXd& z, Eigen::VectorXd* dz) {
    return to_data_units(bar.quantile(z, level, dz), &slopes(row++));
  });
  if (gradients) *gradients = slopes.asDiagonal() * *gradients;
  return out;
}

}  // namespace boex

BOEX_TORCH_SURROGATE(boex_make_pfn_surrogate, boex::PfnSurrogate)
