#include "surrogates/mlp_map_fit.h"

#include <cmath>
#include <string>

#include "core/errors.h"
#include "surrogates/priors.h"

namespace boex {
namespace {

// Adam (Kingma and Ba 2015) as torch.optim.Adam computes it, on one block of parameters.
class Adam {
 public:
  Adam(Eigen::Index rows, Eigen::Index cols, double learning_rate)
      : m_(Eigen::MatrixXd::Zero(rows, cols)), v_(Eigen::MatrixXd::Zero(rows, cols)), lr_(learning_rate) {}

  template <class Params, class Grad>
  void step(Params& p, const Grad& g) {
    ++t_;
    m_ = kBeta1 * m_ + (1.0 - kBeta1) * g;
    v_ = kBeta2 * v_ + (1.0 - kBeta2) * g.array().square().matrix();
    const double bias1 = 1.0 - std::pow(kBeta1, t_), bias2 = 1.0 - std::pow(kBeta2, t_);
    p.array() -= (lr_ / bias1) * m_.array() / (v_.array().sqrt() / std::sqrt(bias2) + kEps);
  }

 private:
  static constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;
  Eigen::MatrixXd m_, v_;
  double lr_;
  int t_ = 0;
};

}  // namespace

void MapFitOptions::validate() const {
  auto require = [](bool ok, const char* field, const char* rule) {
    if (!ok) throw InvalidArgument(std::string("MapFitOptions::") + field + " must be " + rule);
  };
  require(steps >= 0, "steps", ">= 0");
  require(learning_rate > 0 && std::isfinite(learning_rate), "learning_rate", "a finite number > 0");
  require(prior_variance > 0 && std::isfinite(prior_variance), "prior_variance", "a finite number > 0");
}

double map_loss(const MlpStack& stack, const std::vector<Eigen::MatrixXd>& X, const std::vector<Eigen::VectorXd>& y,
                const Eigen::VectorXd& log_noise, const Eigen::VectorXd& prior_precision, Eigen::MatrixXd* dparameters,
                Eigen::VectorXd* dlog_noise, MlpStack::Workspace* ws) {
  const int M = stack.members();
  if (static_cast<int>(X.size()) != M || static_cast<int>(y.size()) != M || log_noise.size() != M)
    throw InvalidArgument("map_loss: expected data and a noise for each of the " + std::to_string(M) + " members");
  if (prior_precision.size() != stack.parameters_per_member())
    throw InvalidArgument("map_loss: expected a prior precision for each of the " +
                          std::to_string(stack.parameters_per_member()) + " parameters");
  MlpStack::Workspace own;
  if (!ws) ws = &own;
  const LogNormalPrior noise_prior = default_noise_prior();
  const double sigma2 = noise_prior.sigma * noise_prior.sigma;
  dparameters->resize(stack.parameters_per_member(), M);
  dlog_noise->resize(M);
  Eigen::VectorXd f;
  double total = 0.0;
  for (int m = 0; m < M; ++m) {
    const auto theta = stack.parameters().col(m);
    stack.forward(theta, X[m], ws, &f);
    const Eigen::VectorXd residual = y[m] - f;
    const double s = log_noise(m), precision = std::exp(-s), q = residual.squaredNorm();
    const double k = static_cast<double>(y[m].size());
    total += 0.5 * (q * precision + k * s) + 0.5 * prior_precision.dot(theta.cwiseAbs2()) + s +
             0.5 * (s - noise_prior.mu) * (s - noise_prior.mu) / sigma2;
    stack.backward(theta, (-precision) * residual, ws, dparameters->col(m), nullptr);
    dparameters->col(m) += prior_precision.cwiseProduct(theta);
    (*dlog_noise)(m) = 0.5 * (k - q * precision) + 1.0 + (s - noise_prior.mu) / sigma2;
  }
  return total;
}

double fit_map(MlpStack* stack, const std::vector<Eigen::MatrixXd>& X, const std::vector<Eigen::VectorXd>& y,
               Eigen::VectorXd* log_noise, const MapFitOptions& options) {
  options.validate();
  Adam weights(stack->parameters_per_member(), stack->members(), options.learning_rate);
  Adam noises(stack->members(), 1, options.learning_rate);
  const Eigen::VectorXd precision = stack->prior_precision(options.prior_variance, options.fan_in_prior);
  MlpStack::Workspace ws;
  Eigen::MatrixXd dparameters;
  Eigen::VectorXd dlog_noise;
  double loss = map_loss(*stack, X, y, *log_noise, precision, &dparameters, &dlog_noise, &ws);
  for (int step = 0; step < options.steps; ++step) {
    if (step > 0) loss = map_loss(*stack, X, y, *log_noise, precision, &dparameters, &dlog_noise, &ws);
    if (!std::isfinite(loss)) break;
    weights.step(stack->parameters(), dparameters);
    noises.step(*log_noise, dlog_noise);
  }
  return loss;
}

}  // namespace boex
