// A prior-data fitted network (PFN; Müller et al. 2022, PFNs4BO 2023): a small transformer that was
// pre-trained on tasks drawn from a GP prior and predicts, in one forward pass, a bar distribution
// for y at test inputs given a training set; the forward pass approximates the prior's posterior
// predictive, so no model is fitted per study. This header is free of torch (pImpl).
//
// Architecture (PFNs4BO's, scaled down): per point, a token enc_x(x) (+ enc_y(y) for a training
// point); no positional encoding, so the prediction does not depend on the order of the points;
// post-LN encoder layers in which every token attends to the training tokens only (a test point
// sees neither itself nor other test points); a 2-layer MLP decoder to K bucket logits.
//
// Size (the defaults of PfnConfig): d_model 192, 5 layers, 6 heads, FFN 384, decoder 192-256-256,
// 256 buckets: 1.60 M parameters, measured on this machine's CPU (one thread, batch of 64 tasks of
// ~70 points): 0.62 s per training step. The 0.63 M-parameter variant of the reference digest
// (d_model 128, 4 layers, FFN 256; 0.28 s per step) stalled at 0.36 nats per point above the oracle
// GP after 6,500 steps (0.31 after a short anneal): too small for d up to 6. Section 1.7's 3.4 M
// model (1.25 s per step here) would afford only half the steps in the same hours; 1.6 M sits
// between the two. 256 buckets
// (not 1000): with per-task normalisation (below) their discretisation costs 0.01 to 0.02 nats
// per point against the oracle's Gaussians, and the decoder stays cheap.
//
// Output normalisation: the network sees y / s with s = sqrt(mean(y_train^2) + y_scale_offset),
// plus ln s as a feature of every training token (so no information is lost: a zero-mean prior
// cares about the absolute level). Predictions are bar distributions in those units; the
// conditioned model hands back distribution(c) already scaled to the units of the given y.
//
// Precision: float32 throughout the network (the weights are float32, double would cost twice as
// much and add no accuracy); logits are returned as double for the bar distribution's log-space
// math. Inference is deterministic: one intra-op thread, no sampling.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "surrogates/bar_distribution.h"
#include "surrogates/pfn_checkpoint.h"

namespace boex {

struct PfnConfig {
  // Largest input dimension; x in [0,1]^d with d <= max_features (smaller d is zero-padded).
  int max_features = 6;
  // Largest training set the network was trained on; more points are refused (a transformer
  // without positional encoding degrades gracefully but unmeasured beyond its training lengths).
  int max_train_points = 100;
  int d_model = 192;
  int n_layers = 5;
  int n_heads = 6;  // must divide d_model
  int d_ff = 384;
  int decoder_hidden = 256;
  int n_buckets = 256;
  // The offset in the normalisation s = sqrt(mean(y_train^2) + offset): keeps s away from 0 for
  // one training point or a flat training set, so normalised test targets stay in the buckets' range.
  double y_scale_offset = 1.0;

  void validate() const;  // throws InvalidArgument naming the field
  nlohmann::json to_json() const;
  static PfnConfig from_json(const nlohmann::json& doc);  // throws SchemaError on a missing field
  bool operator==(const PfnConfig& other) const;
};

// The normalisation s = sqrt(mean(y_train^2) + offset) of one task's targets (see above).
double pfn_output_scale(const Eigen::Ref<const Eigen::VectorXd>& y_train, double offset);

class PfnPrediction;
class PfnConditioned;

class PfnModel {
 public:
  // A network with freshly initialised weights (seeded), predicting on the given bucket borders
  // (n_buckets + 1 values, in normalised units).
  PfnModel(const PfnConfig& config, const Eigen::VectorXd& borders, std::uint64_t seed);
  ~PfnModel();
  PfnModel(PfnModel&&) noexcept;
  PfnModel& operator=(PfnModel&&) noexcept;

  const PfnConfig& config() const;
  const BarDistribution& bar() const;  // in normalised units
  std::int64_t parameter_count() const;

  // Weights by name (the checkpoint's tensors); set_parameters throws SchemaError unless the names
  // and shapes match this configuration exactly.
  std::vector<NamedArray> parameters() const;
  void set_parameters(const std::vector<NamedArray>& arrays);

  // For inference only: the weights stop requiring gradients, so a prediction's autograd graph
  // records the path to the inputs alone (input gradients for the acquisition's local search
  // cost about half as much). Training a frozen model is an error.
  void freeze();

  // Saves to / loads from a checkpoint file (surrogates/pfn_checkpoint.h); `recipe` is stored as
  // is in the header (how the weights were trained), and load returns it too when asked.
  void save(const std::string& path, const nlohmann::json& recipe) const;
  static PfnModel load(const std::string& path, nlohmann::json* recipe = nullptr);

  // Conditions on a training set: X n x d (d <= max_features, 1 <= n <= max_train_points, finite)
  // and Y n x c, c >= 1 output columns that share X (an objective and its constraints: one pass).
  // The training tokens' keys and values are computed once here and reused by every prediction.
  PfnConditioned condition(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y) const;

  struct Impl;  // torch state; see surrogates/pfn_network.h
  Impl& impl() { return *impl_; }
  const Impl& impl() const { return *impl_; }

 private:
  explicit PfnModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A PFN conditioned on one training set; cheap to query at many test points.
class PfnConditioned {
 public:
  ~PfnConditioned();
  PfnConditioned(PfnConditioned&&) noexcept;
  PfnConditioned& operator=(PfnConditioned&&) noexcept;

  int n_outputs() const;
  int n_features() const;
  // The normalisation s of column c and its bar distribution in the units of Y's column c.
  double scale(int c) const;
  const BarDistribution& distribution(int c) const;

  // Logits at the rows of X_test (m x d): one m x K matrix per output column. No gradient graph.
  std::vector<Eigen::MatrixXd> logits(const Eigen::MatrixXd& X_test) const;
  // The same forward pass, keeping its graph so that input gradients can follow.
  PfnPrediction predict(const Eigen::MatrixXd& X_test) const;

  struct Impl;

 private:
  friend class PfnModel;
  explicit PfnConditioned(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One forward pass with its autograd graph: logits, then d F / d X_test for any scalar
// F(logits) given d F / d logits (a vector-Jacobian product, one backward pass).
class PfnPrediction {
 public:
  ~PfnPrediction();
  PfnPrediction(PfnPrediction&&) noexcept;
  PfnPrediction& operator=(PfnPrediction&&) noexcept;

  const std::vector<Eigen::MatrixXd>& logits() const;  // per column, m x K
  // dlogits: per column an m x K matrix dF/dlogits; returns m x d. Callable more than once.
  Eigen::MatrixXd input_gradient(const std::vector<Eigen::MatrixXd>& dlogits) const;

  struct Impl;

 private:
  friend class PfnConditioned;
  explicit PfnPrediction(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace boex
