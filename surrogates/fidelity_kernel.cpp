#include "surrogates/fidelity_kernel.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"

namespace boex {

FidelityKernel::FidelityKernel(const KernelOptions& options, int parts) : options_(options) {
  if (options_.fidelity.target != 0.0 && options_.fidelity.target != 1.0)
    throw InvalidArgument("fidelity kernel: the fidelity column's target must be 0 or 1, got " +
                          std::to_string(options_.fidelity.target));
  if (options_.fidelity.levels < 0 || options_.fidelity.levels == 1)
    throw InvalidArgument("fidelity kernel: levels must be 0 (continuous) or >= 2, got " +
                          std::to_string(options_.fidelity.levels));
  // (Parts get a plain design kernel of their own, so that naming a fidelity kernel here is
  // reported below rather than recursing.)
  KernelOptions inner = options_;
  inner.design_kernel = KernelOptions().design_kernel;
  for (int k = 0; k < parts; ++k) {
    parts_.push_back(make_kernel(options_.design_kernel, inner));
    if (parts_.back()->models_fidelity())
      throw InvalidArgument("fidelity kernel: the design kernel '" + options_.design_kernel +
                            "' is itself a fidelity kernel; use one of the other columns' kernels (matern52, rbf, ...)");
  }
}

FidelityKernel::FidelityKernel(const FidelityKernel& other)
    : Kernel(other), options_(other.options_), offsets_(other.offsets_), column_(other.column_) {
  for (const auto& p : other.parts_) parts_.push_back(p->clone());
}

void FidelityKernel::resize(int dimension) {
  if (dimension < 2)
    throw InvalidArgument("kernel '" + name() + "' needs the fidelity and at least one other input column, got " +
                          std::to_string(dimension) + " column(s)");
  column_ = options_.fidelity.column < 0 ? dimension - 1 : options_.fidelity.column;
  if (column_ >= dimension)
    throw InvalidArgument("kernel '" + name() + "': fidelity column " + std::to_string(column_) + " is beyond the " +
                          std::to_string(dimension) + " input columns");
  offsets_.clear();
  Eigen::Index offset = 0;
  for (auto& p : parts_) {
    p->resize(dimension - 1);
    offsets_.push_back(offset);
    offset += p->num_hyperparameters();
  }
  offsets_.push_back(offset);
  theta_.resize(offset + num_own());
  set_hyperparameters(prior_mode());
}

void FidelityKernel::set_hyperparameters(const Eigen::VectorXd& theta) {
  Kernel::set_hyperparameters(theta);
  for (int k = 0; k < num_parts(); ++k) parts_[static_cast<std::size_t>(k)]->set_hyperparameters(part_theta(theta, k));
}

void FidelityKernel::bounds(Eigen::VectorXd* lower, Eigen::VectorXd* upper) const {
  lower->resize(theta_.size());
  upper->resize(theta_.size());
  Eigen::VectorXd lo, hi;
  for (int k = 0; k < num_parts(); ++k) {
    part(k).bounds(&lo, &hi);
    lower->segment(part_offset(k), part_size(k)) = lo;
    upper->segment(part_offset(k), part_size(k)) = hi;
  }
  own_bounds(&lo, &hi);
  lower->tail(num_own()) = lo;
  upper->tail(num_own()) = hi;
}

Eigen::VectorXd FidelityKernel::prior_mode() const {
  Eigen::VectorXd theta(theta_.size());
  for (int k = 0; k < num_parts(); ++k) theta.segment(part_offset(k), part_size(k)) = part(k).prior_mode();
  theta.tail(num_own()) = own_mode();
  return theta;
}

Eigen::VectorXd FidelityKernel::prior_draw(Rng& rng) const {
  Eigen::VectorXd theta(theta_.size());
  for (int k = 0; k < num_parts(); ++k) theta.segment(part_offset(k), part_size(k)) = part(k).prior_draw(rng);
  theta.tail(num_own()) = own_draw(rng);
  return theta;
}

double FidelityKernel::log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const {
  if (gradient) gradient->resize(theta.size());
  double out = 0.0;
  Eigen::VectorXd g;
  for (int k = 0; k < num_parts(); ++k) {
    out += part(k).log_prior(part_theta(theta, k), gradient ? &g : nullptr);
    if (gradient) gradient->segment(part_offset(k), part_size(k)) = g;
  }
  out += own_log_prior(own_theta(theta), gradient ? &g : nullptr);
  if (gradient) gradient->tail(num_own()) = g;
  return out;
}

Eigen::MatrixXd FidelityKernel::design(const Eigen::MatrixXd& X) const {
  const Eigen::Index d = X.cols();
  Eigen::MatrixXd Z(X.rows(), d - 1);
  Z.leftCols(column_) = X.leftCols(column_);
  Z.rightCols(d - 1 - column_) = X.rightCols(d - 1 - column_);
  return Z;
}

Eigen::VectorXd FidelityKernel::design(const Eigen::VectorXd& x) const {
  const Eigen::Index d = x.size();
  Eigen::VectorXd z(d - 1);
  z.head(column_) = x.head(column_);
  z.tail(d - 1 - column_) = x.tail(d - 1 - column_);
  return z;
}

double FidelityKernel::coordinate(double u) const {
  return std::clamp(options_.fidelity.target == 1.0 ? u : 1.0 - u, 0.0, 1.0);
}

double FidelityKernel::dcoordinate(double u) const {
  const double s = options_.fidelity.target == 1.0 ? u : 1.0 - u;
  if (s < 0.0 || s > 1.0) return 0.0;  // clamped
  return options_.fidelity.target == 1.0 ? 1.0 : -1.0;
}

Eigen::VectorXd FidelityKernel::coordinates(const Eigen::MatrixXd& X) const {
  return X.col(column_).unaryExpr([this](double u) { return coordinate(u); });
}

Eigen::MatrixXd FidelityKernel::scatter(const Eigen::MatrixXd& J, const Eigen::VectorXd& fidelity_derivative) const {
  const Eigen::Index d = J.cols() + 1;
  Eigen::MatrixXd out(J.rows(), d);
  out.leftCols(column_) = J.leftCols(column_);
  out.col(column_) = fidelity_derivative;
  out.rightCols(d - 1 - column_) = J.rightCols(d - 1 - column_);
  return out;
}

Eigen::VectorXd FidelityKernel::scatter(const Eigen::VectorXd& g, double fidelity_derivative) const {
  const Eigen::Index d = g.size() + 1;
  Eigen::VectorXd out(d);
  out.head(column_) = g.head(column_);
  out(column_) = fidelity_derivative;
  out.tail(d - 1 - column_) = g.tail(d - 1 - column_);
  return out;
}

}  // namespace boex
