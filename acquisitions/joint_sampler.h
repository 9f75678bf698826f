// Joint posterior samples of one model at a fixed baseline and at a moving candidate x: what
// Monte-Carlo acquisitions (qLogNEI) average over. For a Gaussian joint posterior they come from
// fixed base normals (sample-average approximation, BoTorch's cached-root trick: the baseline's
// Cholesky factor is computed once, each candidate costs O(N m d)); for a model that draws
// functions (an ensemble's members, HMC's kept samples) they are its own draws. Either way each
// sample has an exact gradient in x.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "surrogates/surrogate.h"

namespace boex {

class SampleSource {
 public:
  virtual ~SampleSource() = default;
  // N x m samples at the baseline (fixed).
  virtual const Eigen::MatrixXd& baseline_samples() const = 0;
  // N samples at x, jointly with the baseline ones; dsamples: N x d (optional).
  virtual void candidate(const Eigen::VectorXd& x, Eigen::VectorXd* samples, Eigen::MatrixXd* dsamples) const = 0;
  int num_samples() const { return static_cast<int>(baseline_samples().rows()); }
  // The same baseline samples at the columns `keep` only, with the candidate then drawn jointly
  // with those columns alone (the others marginalised out), so a candidate costs O(|keep|) not
  // O(m): what pruning a baseline to its possibly-optimal points buys. nullptr where a candidate's
  // cost does not grow with the baseline (function draws).
  virtual std::unique_ptr<SampleSource> restricted(const std::vector<Eigen::Index>& keep) const { return nullptr; }
};

class JointSampler final : public SampleSource {
 public:
  // Z: N x (m + 1) standard normals; columns 0..m-1 drive the baseline, column m the candidate.
  JointSampler(const Surrogate& model, const Eigen::MatrixXd& X_baseline, const Eigen::MatrixXd& Z);

  const Eigen::MatrixXd& baseline_samples() const override { return F_baseline_; }
  void candidate(const Eigen::VectorXd& x, Eigen::VectorXd* samples, Eigen::MatrixXd* dsamples) const override;
  std::unique_ptr<SampleSource> restricted(const std::vector<Eigen::Index>& keep) const override;

 private:
  JointSampler(const Surrogate& model, const Eigen::MatrixXd& X_baseline) : model_(model), X_baseline_(X_baseline) {}

  const Surrogate& model_;
  Eigen::MatrixXd X_baseline_;
  std::unique_ptr<CrossCovariance> cross_;
  Eigen::MatrixXd L_;           // chol of the baseline covariance
  Eigen::MatrixXd Z_baseline_;  // N x m
  Eigen::VectorXd z_candidate_; // N
  Eigen::MatrixXd F_baseline_;  // N x m
  double min_variance_ = 0.0;
};

// The model's own function draws (capabilities().samples): N = model.num_samples().
class FunctionSampler final : public SampleSource {
 public:
  FunctionSampler(const Surrogate& model, const Eigen::MatrixXd& X_baseline);
  const Eigen::MatrixXd& baseline_samples() const override { return F_baseline_; }
  void candidate(const Eigen::VectorXd& x, Eigen::VectorXd* samples, Eigen::MatrixXd* dsamples) const override;

 private:
  const Surrogate& model_;
  Eigen::MatrixXd F_baseline_;
};

// Gaussian joint samples from `num_samples` scrambled-Sobol base normals (seeded) when the model
// has a joint posterior, else the model's own function draws. The model must outlive the result.
std::unique_ptr<SampleSource> make_sample_source(const Surrogate& model, const Eigen::MatrixXd& X_baseline,
                                                 int num_samples, std::uint64_t seed);

// Sample sources of several independent models (an objective and its constraints) at one
// baseline: their base normals are disjoint column blocks of one scrambled-Sobol sequence, or
// pseudo-random normals where the blocks outnumber Sobol's dimensions. Separate sequences with
// different seeds would not do: two scrambles of the same Sobol points are dependent, their
// normals correlating by 0.4 to 1 column by column. With one model this equals
// make_sample_source(model, X_baseline, num_samples, seed).
std::vector<std::unique_ptr<SampleSource>> make_independent_sample_sources(const std::vector<const Surrogate*>& models,
                                                                           const Eigen::MatrixXd& X_baseline,
                                                                           int num_samples, std::uint64_t seed);

}  // namespace boex
