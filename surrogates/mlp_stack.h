// M multilayer perceptrons of one architecture evaluated together in libtorch: each layer's
// weights are stacked as [M, in, out] so the M members cost one batched matrix product each, and
// autograd gives every member's input gradient in one backward pass. Internal to the BNN
// surrogates (this header includes libtorch: only their translation units may include it).
#pragma once

#include <Eigen/Dense>
#include <torch/torch.h>
#include <vector>

#include "core/rng.h"

namespace boex {

class MlpStack {
 public:
  MlpStack() = default;
  // tanh hidden layers of the given widths, one linear output.
  MlpStack(int members, int inputs, const std::vector<int>& hidden);
  MlpStack(const MlpStack& other);  // deep copy of the tensors
  MlpStack& operator=(const MlpStack& other);

  int members() const { return members_; }
  int inputs() const { return inputs_; }
  // Weights N(0, 1 / fan_in) (LeCun), biases 0, from a boex Rng (the same on every platform).
  void initialize(Rng& rng);
  std::vector<torch::Tensor> parameters() const;
  void set_requires_grad(bool requires);

  // X: [M, n, d] in the unit cube (centred to [-1, 1] inside) -> [M, n].
  torch::Tensor forward(const torch::Tensor& X) const;
  // Sum of squared weights and biases of each member: [M].
  torch::Tensor squared_norm() const;

  // One member's parameters as a flat vector, and back (HMC samples a flat vector).
  Eigen::Index parameters_per_member() const;
  Eigen::VectorXd flat(int member) const;
  void set_flat(int member, const Eigen::VectorXd& theta);
  // A stack of `rows` members, each set from a row of `thetas`.
  static MlpStack from_flat(const Eigen::MatrixXd& thetas, int inputs, const std::vector<int>& hidden);

  // Every member at the rows of X: M x m (no autograd).
  Eigen::MatrixXd values(const Eigen::MatrixXd& X) const;
  // Every member at x, with its input gradient: f (M), df (M x d).
  void values_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd* f, Eigen::MatrixXd* df) const;

 private:
  int members_ = 0, inputs_ = 0;
  std::vector<int> hidden_;
  std::vector<torch::Tensor> weights_, biases_;  // [M, in, out] and [M, 1, out]
};

// Eigen <-> torch, in double precision.
torch::Tensor to_tensor(const Eigen::MatrixXd& X);   // [rows, cols]
torch::Tensor to_tensor(const Eigen::VectorXd& v);   // [n]
Eigen::MatrixXd to_matrix(const torch::Tensor& t);   // 2-d
Eigen::VectorXd to_vector(const torch::Tensor& t);   // 1-d (flattened)

// Puts libtorch on one thread (reproducible sums; the study's one-core budget) and keeps freed
// memory in the heap (core/heap.h), once per process: switching the thread count back and forth
// around every call made OpenMP tear down and start its pool each time (seconds of system time
// per suggestion). Construct one at the top of every entry point that runs libtorch.
class OneThread {
 public:
  OneThread();
};

}  // namespace boex
