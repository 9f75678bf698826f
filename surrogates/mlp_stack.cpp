#include "surrogates/mlp_stack.h"

#include <cmath>
#include <string>

#include "core/errors.h"

namespace boex {
namespace {

// tanh(z) = 1 - 2 / (exp(2z) + 1): Eigen vectorises exp in double precision but not tanh, and
// the hidden layers evaluate it millions of times per suggestion. Saturates cleanly to -1 and 1.
void tanh_in_place(Eigen::MatrixXd* z) {
  z->array() = 1.0 - 2.0 / ((2.0 * z->array()).exp() + 1.0);
}

}  // namespace

MlpStack::MlpStack(int members, int inputs, const std::vector<int>& hidden) : inputs_(inputs), hidden_(hidden) {
  if (members < 1 || inputs < 1) throw InvalidArgument("MlpStack: members and inputs must be >= 1");
  Eigen::Index fan_in = inputs, size = 0;
  std::vector<int> widths = hidden;
  widths.push_back(1);
  for (int width : widths) {
    if (width < 1) throw InvalidArgument("MlpStack: every hidden width must be >= 1");
    fan_in_.push_back(fan_in);
    fan_out_.push_back(width);
    offset_.push_back(size);
    size += fan_in * width + width;
    fan_in = width;
  }
  parameters_ = Eigen::MatrixXd::Zero(size, members);
}

void MlpStack::initialize(Rng& rng) {
  parameters_.setZero();
  for (Eigen::Index m = 0; m < parameters_.cols(); ++m)
    for (std::size_t l = 0; l < offset_.size(); ++l) {
      const double sd = 1.0 / std::sqrt(static_cast<double>(fan_in_[l]));
      for (Eigen::Index i = 0; i < fan_in_[l] * fan_out_[l]; ++i) parameters_(offset_[l] + i, m) = sd * rng.normal();
    }
}

Eigen::VectorXd MlpStack::prior_precision(double prior_variance, bool per_fan_in) const {
  Eigen::VectorXd out = Eigen::VectorXd::Constant(parameters_per_member(), 1.0 / prior_variance);
  if (per_fan_in)
    for (std::size_t l = 0; l < offset_.size(); ++l)
      out.segment(offset_[l], fan_in_[l] * fan_out_[l]) *= static_cast<double>(fan_in_[l]);
  return out;
}

void MlpStack::forward(const Eigen::Ref<const Eigen::VectorXd>& theta, const Eigen::MatrixXd& X, Workspace* ws,
                       Eigen::VectorXd* f) const {
  if (X.cols() != inputs_)
    throw InvalidArgument("MlpStack: inputs have " + std::to_string(X.cols()) + " columns, expected " + std::to_string(inputs_));
  const std::size_t layers = offset_.size();
  ws->h.resize(layers);
  ws->h[0] = (2.0 * X.array() - 1.0).matrix();
  for (std::size_t l = 0; l < layers; ++l) {
    const Eigen::Map<const Eigen::MatrixXd> W(theta.data() + offset_[l], fan_in_[l], fan_out_[l]);
    const Eigen::Map<const Eigen::RowVectorXd> b(theta.data() + offset_[l] + fan_in_[l] * fan_out_[l], fan_out_[l]);
    Eigen::MatrixXd& z = l + 1 < layers ? ws->h[l + 1] : ws->g;
    z.noalias() = ws->h[l] * W;
    z.rowwise() += b;
    if (l + 1 < layers) tanh_in_place(&z);
  }
  *f = ws->g.col(0);
}

void MlpStack::backward(const Eigen::Ref<const Eigen::VectorXd>& theta, const Eigen::VectorXd& dout, Workspace* ws,
                        Eigen::Ref<Eigen::VectorXd> dtheta, Eigen::MatrixXd* dX) const {
  ws->g = dout;  // d/dz of the output layer
  for (std::size_t l = offset_.size(); l-- > 0;) {
    Eigen::Map<Eigen::MatrixXd> dW(dtheta.data() + offset_[l], fan_in_[l], fan_out_[l]);
    Eigen::Map<Eigen::RowVectorXd> db(dtheta.data() + offset_[l] + fan_in_[l] * fan_out_[l], fan_out_[l]);
    dW.noalias() = ws->h[l].transpose() * ws->g;
    db = ws->g.colwise().sum();
    if (l == 0 && !dX) break;
    const Eigen::Map<const Eigen::MatrixXd> W(theta.data() + offset_[l], fan_in_[l], fan_out_[l]);
    ws->dh.noalias() = ws->g * W.transpose();
    if (l == 0) {
      *dX = 2.0 * ws->dh;  // the centring x -> 2x - 1
    } else {
      // tanh' = 1 - tanh^2, from the stored activations.
      ws->g = (ws->dh.array() * (1.0 - ws->h[l].array().square())).matrix();
    }
  }
}

Eigen::MatrixXd MlpStack::values(const Eigen::MatrixXd& X) const {
  Eigen::MatrixXd out(members(), X.rows());
  Workspace ws;
  Eigen::VectorXd f;
  for (int m = 0; m < members(); ++m) {
    forward(parameters_.col(m), X, &ws, &f);
    out.row(m) = f.transpose();
  }
  return out;
}

void MlpStack::values_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd* f, Eigen::MatrixXd* df) const {
  const Eigen::MatrixXd X = x.transpose();
  f->resize(members());
  if (df) df->resize(members(), x.size());
  Workspace ws;
  Eigen::VectorXd value, unused(parameters_per_member());
  Eigen::MatrixXd dX;
  const Eigen::VectorXd one = Eigen::VectorXd::Ones(1);
  for (int m = 0; m < members(); ++m) {
    forward(parameters_.col(m), X, &ws, &value);
    (*f)(m) = value(0);
    if (!df) continue;
    backward(parameters_.col(m), one, &ws, unused, &dX);
    df->row(m) = dX.row(0);
  }
}

}  // namespace boex
