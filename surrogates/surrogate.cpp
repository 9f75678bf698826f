#include "surrogates/surrogate.h"

#include "core/errors.h"
#include "core/registry.h"

namespace boex {

std::string Capabilities::describe() const {
  std::vector<std::string> parts;
  if (gaussian_marginals) parts.push_back("Gaussian marginals");
  if (joint) parts.push_back("joint posterior");
  if (samples) parts.push_back("function samples");
  if (distribution) parts.push_back("predictive distribution");
  if (fidelity) parts.push_back("a fidelity input");
  return parts.empty() ? "nothing" : join(parts);
}

void validate_dataset(const Dataset& data, const std::string& model) {
  if (data.X.rows() == 0 || data.X.cols() == 0) throw InvalidArgument(model + ": needs at least one observation");
  if (data.X.rows() != data.y.size())
    throw InvalidArgument(model + ": X has " + std::to_string(data.X.rows()) + " rows but y has " +
                          std::to_string(data.y.size()) + " values");
  if (!data.X.allFinite() || !data.y.allFinite()) throw InvalidArgument(model + ": X and y must be finite");
  const Eigen::VectorXd& noise = data.noise_variance;
  if (noise.size() != 0 && (noise.size() != data.y.size() || !noise.allFinite() || noise.minCoeff() < 0))
    throw InvalidArgument(model + ": known noise variances must be n finite values >= 0");
  int next = 0;
  for (const ColumnGroup& g : data.groups) {
    if (g.offset != next || g.width < 1) break;
    next += g.width;
  }
  if (!data.groups.empty() && next != data.X.cols())
    throw InvalidArgument(model + ": column groups must cover the " + std::to_string(data.X.cols()) +
                          " columns in order, each once");
}

void Surrogate::unsupported(const std::string& what) const {
  throw InvalidArgument("surrogate '" + name() + "' has no " + what + " (it offers " + capabilities().describe() + ")");
}

Dataset with_observations(const Dataset& data, const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) {
  if (X_new.cols() != data.X.cols() || X_new.rows() != y_new.size())
    throw InvalidArgument("condition_on: new points must match the model's dimension");
  Dataset joined;
  joined.groups = data.groups;
  joined.X.resize(data.X.rows() + X_new.rows(), data.X.cols());
  joined.X << data.X, X_new;
  joined.y.resize(data.y.size() + y_new.size());
  joined.y << data.y, y_new;
  if (data.noise_variance.size() > 0) {
    joined.noise_variance.resize(joined.y.size());
    joined.noise_variance << data.noise_variance, Eigen::VectorXd::Constant(y_new.size(), data.noise_variance.mean());
  }
  return joined;
}

std::unique_ptr<Surrogate> Surrogate::condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const {
  std::unique_ptr<Surrogate> out = clone();
  out->fit(with_observations(data(), X_new, y_new));
  return out;
}

Posterior Surrogate::posterior(const Eigen::MatrixXd&) const { unsupported("joint posterior"); }
std::unique_ptr<CrossCovariance> Surrogate::cross_covariance(const Eigen::MatrixXd&) const {
  unsupported("joint posterior");
}
int Surrogate::num_samples() const { unsupported("function samples"); }
Eigen::MatrixXd Surrogate::sample(const Eigen::MatrixXd&) const { unsupported("function samples"); }
void Surrogate::sample_with_gradient(const Eigen::VectorXd&, Eigen::VectorXd*, Eigen::MatrixXd*) const {
  unsupported("function samples");
}
double Surrogate::log_expected_improvement(const Eigen::VectorXd&, double, Eigen::VectorXd*) const {
  unsupported("predictive distribution");
}
double Surrogate::log_probability_above(const Eigen::VectorXd&, double, Eigen::VectorXd*) const {
  unsupported("predictive distribution");
}
double Surrogate::log_probability_below(const Eigen::VectorXd&, double, Eigen::VectorXd*) const {
  unsupported("predictive distribution");
}
double Surrogate::quantile(const Eigen::VectorXd&, double, Eigen::VectorXd*) const {
  unsupported("predictive distribution");
}

namespace {

// f(x, gradient) at every row; gradients (m x d) when asked for.
template <class PerPoint>
Eigen::VectorXd row_by_row(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients, PerPoint f) {
  Eigen::VectorXd out(X.rows());
  if (gradients) gradients->resize(X.rows(), X.cols());
  Eigen::VectorXd g;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    out(i) = f(Eigen::VectorXd(X.row(i).transpose()), gradients ? &g : nullptr);
    if (gradients) gradients->row(i) = g.transpose();
  }
  return out;
}

}  // namespace

Eigen::VectorXd Surrogate::log_expected_improvements(const Eigen::MatrixXd& X, double best, Eigen::MatrixXd* gradients) const {
  return row_by_row(X, gradients, [&](const Eigen::VectorXd& x, Eigen::VectorXd* g) { return log_expected_improvement(x, best, g); });
}

Eigen::VectorXd Surrogate::log_probabilities_below(const Eigen::MatrixXd& X, double threshold, Eigen::MatrixXd* gradients) const {
  return row_by_row(X, gradients, [&](const Eigen::VectorXd& x, Eigen::VectorXd* g) { return log_probability_below(x, threshold, g); });
}

Eigen::VectorXd Surrogate::quantiles(const Eigen::MatrixXd& X, double level, Eigen::MatrixXd* gradients) const {
  return row_by_row(X, gradients, [&](const Eigen::VectorXd& x, Eigen::VectorXd* g) { return quantile(x, level, g); });
}

}  // namespace boex
