// What every model of boex offers the acquisitions. A surrogate is fitted from a study's data and
// says what it can give (its capabilities): Gaussian marginals with input gradients, joint
// Gaussian posteriors and exact fantasies, posterior function samples, or a non-Gaussian predictive
// distribution whose EI and PI it computes itself. Acquisitions declare what they need of it.
#pragma once

#include <Eigen/Dense>
#include <memory>
#include <string>

#include "core/sites.h"
#include "surrogates/posterior.h"

namespace boex {

// What a surrogate is fitted to: complete observations in the unit cube.
struct Dataset {
  Eigen::MatrixXd X;               // n x d, rows in [0,1]^d
  Eigen::VectorXd y;               // n finite values (larger is better for the acquisitions)
  Eigen::VectorXd noise_variance;  // empty: the model learns the noise; else n known variances
  // Columns that encode one coordinate together (a categorical's one-hot block, a sequence site):
  // kernels for categorical inputs weigh each group as one site. Empty: every column on its own.
  std::vector<ColumnGroup> groups;
};

// The outcome of a fit. Failing to converge is not an error: the model then falls back to a safe
// setting (a GP's prior mode, say) and says so.
struct FitSummary {
  double objective = 0.0;  // the fit's objective at its optimum (e.g. log posterior / n)
  int iterations = 0;      // objective evaluations or optimiser steps, over all starts
  bool fell_back = false;  // no start succeeded; a fallback setting is in use
  std::string message;
};

struct Capabilities {
  // predict() is the model's marginal, Gaussian (GP) or moment-matched (ensembles, HMC).
  bool gaussian_marginals = false;
  // posterior(), cross_covariance() and exact condition_on(): what look-ahead acquisitions
  // (noisy EI, knowledge gradient) and Gaussian Monte-Carlo samples need.
  bool joint = false;
  // sample(): posterior function draws (one per member or kept sample) for Monte-Carlo acquisitions.
  bool samples = false;
  // A non-Gaussian marginal whose log EI, PI and quantiles the model computes exactly.
  bool distribution = false;
  // One input column is a fidelity (SearchSpace::fidelity_column): the model predicts every
  // fidelity, the target's where that column is at its target (multi-fidelity GPs).
  bool fidelity = false;

  // "Gaussian marginals, joint posterior, ..." for messages.
  std::string describe() const;
};

// Posterior covariance between m fixed points A and one moving point x, with its gradient in x:
// what look-ahead acquisitions (noisy EI, knowledge gradient, qLogNEI) need at every x.
class CrossCovariance {
 public:
  virtual ~CrossCovariance() = default;
  // cov: m values Sigma(A_i, x); dcov (optional): m x d, d Sigma(A_i, x) / dx.
  virtual void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* cov, Eigen::MatrixXd* dcov) const = 0;
};

class Surrogate {
 public:
  virtual ~Surrogate() = default;
  virtual std::string name() const = 0;
  virtual Capabilities capabilities() const = 0;
  virtual std::unique_ptr<Surrogate> clone() const = 0;

  // Fits the model to `data`, replacing what it had seen. Throws InvalidArgument for empty,
  // mismatched or non-finite data; numerical trouble is absorbed (see FitSummary::fell_back).
  virtual FitSummary fit(const Dataset& data) = 0;
  // What the model was fitted or conditioned on.
  virtual const Dataset& data() const = 0;
  int dimension() const { return static_cast<int>(data().X.cols()); }
  int num_observations() const { return static_cast<int>(data().X.rows()); }

  // Every model: the marginal mean and variance of the latent objective at the rows of X
  // (m x d), in the data's units, and at one point with their gradients in x.
  virtual void predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const = 0;
  virtual void predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance,
                                     Eigen::VectorXd* dmean, Eigen::VectorXd* dvariance) const = 0;
  // Variance of an observation's noise at the data's scale (0 for noiseless models).
  virtual double noise_variance() const = 0;
  // The typical prior standard deviation of the objective, in the data's units: the scale that
  // Monte-Carlo acquisitions set their smoothing temperatures by.
  virtual double prior_scale() const = 0;

  // A model that has also seen (X_new, y_new) (fantasies, and pending or failed points at a
  // believed value). GP families condition exactly with their fitted hyperparameters; the
  // default refits on the joined data.
  virtual std::unique_ptr<Surrogate> condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const;

  // capabilities().joint: the joint posterior at the rows of X (m x m covariance), and what
  // Sigma(A, x) needs for fixed A (m x d; the model must outlive the result).
  virtual Posterior posterior(const Eigen::MatrixXd& X) const;
  virtual std::unique_ptr<CrossCovariance> cross_covariance(const Eigen::MatrixXd& A) const;

  // capabilities().samples: S = num_samples() posterior draws of the objective, as S x m values at
  // the rows of X, or at one point with their gradients (S x d).
  virtual int num_samples() const;
  virtual Eigen::MatrixXd sample(const Eigen::MatrixXd& X) const;
  virtual void sample_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd* values, Eigen::MatrixXd* gradients) const;

  // capabilities().distribution: exact functionals of the model's own marginal at x (maximising),
  // with their gradients in x when requested: ln E[max(f - best, 0)], ln P(f > threshold),
  // ln P(f <= threshold) and the quantile at `level` in (0, 1).
  virtual double log_expected_improvement(const Eigen::VectorXd& x, double best, Eigen::VectorXd* gradient) const;
  virtual double log_probability_above(const Eigen::VectorXd& x, double threshold, Eigen::VectorXd* gradient) const;
  virtual double log_probability_below(const Eigen::VectorXd& x, double threshold, Eigen::VectorXd* gradient) const;
  virtual double quantile(const Eigen::VectorXd& x, double level, Eigen::VectorXd* gradient) const;
  // Many candidates at once (a PFN scores them in one forward pass), with their gradients (m x d)
  // when `gradients` is set (one backward pass); the defaults loop.
  virtual Eigen::VectorXd log_expected_improvements(const Eigen::MatrixXd& X, double best,
                                                   Eigen::MatrixXd* gradients = nullptr) const;
  virtual Eigen::VectorXd log_probabilities_below(const Eigen::MatrixXd& X, double threshold,
                                                Eigen::MatrixXd* gradients = nullptr) const;
  virtual Eigen::VectorXd quantiles(const Eigen::MatrixXd& X, double level, Eigen::MatrixXd* gradients = nullptr) const;

 protected:
  // Throws InvalidArgument saying that this model lacks `what` (acquisitions check capabilities
  // at creation, so reaching this is a programming error, reported clearly all the same).
  [[noreturn]] void unsupported(const std::string& what) const;
};

// Checks a dataset for a fit: at least one row, matching sizes, finite values, known noise >= 0.
void validate_dataset(const Dataset& data, const std::string& model);
// `data` with the rows (X_new, y_new) appended (known noise: their mean for the new rows).
// InvalidArgument when the new rows do not match the data's dimension.
Dataset with_observations(const Dataset& data, const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new);

}  // namespace boex
