// M multilayer perceptrons of one architecture (tanh hidden layers, one linear output), held as
// a parameter matrix with one column per member, with hand-written forward and backward passes
// in Eigen: the BNN surrogates train and sample these nets thousands of steps per suggestion.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "core/rng.h"

namespace boex {

// At the sizes of a study (n ~ 100 points, two layers of 64), libtorch spent four fifths of a
// suggestion in per-operation dispatch and allocation; these passes allocate nothing once their
// workspace has grown and cost only the matrix products.
class MlpStack {
 public:
  // Activations of the last forward pass, reused by the backward pass and across steps.
  struct Workspace {
    std::vector<Eigen::MatrixXd> h;  // h[0] the centred input, h[l] the l-th hidden layer's output
    Eigen::MatrixXd g, dh;           // back-propagated gradients
  };

  MlpStack() = default;
  MlpStack(int members, int inputs, const std::vector<int>& hidden);

  int members() const { return static_cast<int>(parameters_.cols()); }
  int inputs() const { return inputs_; }
  const std::vector<int>& hidden() const { return hidden_; }
  Eigen::Index parameters_per_member() const { return parameters_.rows(); }
  // P x M: member m's layers in order, each its weights [in x out] column-major, then its biases.
  const Eigen::MatrixXd& parameters() const { return parameters_; }
  Eigen::MatrixXd& parameters() { return parameters_; }

  // Weights N(0, 1 / fan_in) (LeCun), biases 0, from a boex Rng (the same on every platform).
  void initialize(Rng& rng);
  // Per parameter, the precision of its Gaussian prior: 1 / prior_variance for biases, and for a
  // layer's weights fan_in / prior_variance when per_fan_in (Neal's scaling, the I-BNN kernel's
  // sw2 / fan_in: the prior function variance stays O(prior_variance) whatever the widths, where a
  // flat N(0, 1) on 64-wide layers gives prior functions of variance ~64 against standardised data
  // of variance 1).
  Eigen::VectorXd prior_precision(double prior_variance, bool per_fan_in) const;

  // The net with parameters theta at the rows of X (in the unit cube, centred to [-1, 1] inside).
  void forward(const Eigen::Ref<const Eigen::VectorXd>& theta, const Eigen::MatrixXd& X, Workspace* ws,
               Eigen::VectorXd* f) const;
  // After forward(theta, X, ws): the gradient of sum_i dout_i f(x_i) with respect to theta, and
  // with respect to X's rows when dX is given.
  void backward(const Eigen::Ref<const Eigen::VectorXd>& theta, const Eigen::VectorXd& dout, Workspace* ws,
                Eigen::Ref<Eigen::VectorXd> dtheta, Eigen::MatrixXd* dX) const;

  // Every member at the rows of X: M x m.
  Eigen::MatrixXd values(const Eigen::MatrixXd& X) const;
  // Every member at x, with its input gradient: f (M), df (M x d) when df is given.
  void values_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd* f, Eigen::MatrixXd* df) const;

 private:
  int inputs_ = 0;
  std::vector<int> hidden_;
  std::vector<Eigen::Index> fan_in_, fan_out_, offset_;  // per layer; offset_ of its weights
  Eigen::MatrixXd parameters_;
};

}  // namespace boex
