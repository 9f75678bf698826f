#include "surrogates/surrogate.h"

#include "core/errors.h"

namespace boex {

std::string Capabilities::describe() const {
  std::string out;
  auto add = [&out](bool has, const char* what) {
    if (has) out += (out.empty() ? "" : ", ") + std::string(what);
  };
  add(gaussian_marginals, "Gaussian marginals");
  add(joint, "joint posterior");
  add(samples, "function samples");
  add(distribution, "predictive distribution");
  return out.empty() ? "nothing" : out;
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
}

void Surrogate::unsupported(const std::string& what) const {
  throw InvalidArgument("surrogate '" + name() + "' has no " + what + " (it offers " + capabilities().describe() + ")");
}

std::unique_ptr<Surrogate> Surrogate::condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const {
  const Dataset& seen = data();
  if (X_new.cols() != seen.X.cols() || X_new.rows() != y_new.size())
    throw InvalidArgument("condition_on: new points must match the model's dimension");
  Dataset joined;
  joined.X.resize(seen.X.rows() + X_new.rows(), seen.X.cols());
  joined.X << seen.X, X_new;
  joined.y.resize(seen.y.size() + y_new.size());
  joined.y << seen.y, y_new;
  if (seen.noise_variance.size() > 0) {
    joined.noise_variance.resize(joined.y.size());
    joined.noise_variance << seen.noise_variance, Eigen::VectorXd::Constant(y_new.size(), seen.noise_variance.mean());
  }
  std::unique_ptr<Surrogate> out = clone();
  out->fit(joined);
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

Eigen::VectorXd Surrogate::log_expected_improvement(const Eigen::MatrixXd& X, double best) const {
  Eigen::VectorXd out(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    out(i) = log_expected_improvement(Eigen::VectorXd(X.row(i).transpose()), best, nullptr);
  return out;
}

}  // namespace boex
