// The workhorse surrogate: an exact Gaussian process with a kernel from the registry (Matern-5/2
// ARD by default, RBF, or the infinite-width BNN kernel), a constant mean and Gaussian noise
// (learned, or known per point), fitted by MAP under BoTorch's default priors.
//
// Inputs live in [0,1]^d. Outputs are standardised internally (y_s = (y - mean) / sd) and every
// prediction is returned in the data's units. Fit cost O(n^3) per objective evaluation; a
// prediction costs O(n d + n^2) after the fit.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <string>

#include "surrogates/kernel.h"
#include "surrogates/priors.h"
#include "surrogates/surrogate.h"

namespace boex {

class ExactGP final : public Surrogate {
 public:
  struct Options {
    // A name of the kernel registry: "matern52", "rbf" (BoTorch's SingleTaskGP default with
    // these priors), "ibnn" (the infinite-width BNN kernel, for high dimensions),
    // "warped-matern52" (Matern-5/2 on Kumaraswamy-warped inputs, input_warped_kernel.h) or "overlap"
    // (one weight per categorical site or sequence position: combinatorial spaces).
    std::string kernel = "matern52";
    // Starts of the MAP fit: the prior mode first, then draws from the priors. More starts cost
    // linearly and guard against a poor local optimum of the marginal likelihood.
    int num_restarts = 3;
    // Objective evaluations per start (each is one O(n^3) factorisation).
    int max_evaluations = 150;
    // Bounds on lengthscales of stationary kernels in the unit cube. 0.025 is BoTorch's lower
    // constraint.
    double min_lengthscale = 0.025;
    double max_lengthscale = 1e3;
    // Hidden layers of the "ibnn" kernel (BoTorch's default 3).
    int ibnn_depth = 3;
    // Bounds on the learned noise variance, in standardised units. BoTorch uses 1e-4 as floor;
    // boex goes lower so noiseless experiments can be interpolated closely (jitter guards the
    // factorisation).
    double min_noise_variance = 1e-6;
    double max_noise_variance = 10.0;
    // Seed of the prior draws used as extra starts (and of the subset below).
    std::uint64_t seed = 0;
    // Above this many observations the multi-start fit runs on a random subset of subset_size
    // points, and its optimum is refined on all the data with max_refine_evaluations steps:
    // each full-data step costs O(n^3), so this keeps a fit at n = 1000 near one second.
    int large_n = 400;
    int subset_size = 256;
    int max_refine_evaluations = 8;

    void validate() const;  // throws InvalidArgument in Ceres' "Options::field = v; must be ..." form
    // What the kernel reads of these options (lengthscale bounds, I-BNN depth).
    KernelOptions kernel_options() const;
    template <class Visitor>
    void visit(Visitor& v) {
      v("kernel", kernel);
      v("num_restarts", num_restarts);
      v("max_evaluations", max_evaluations);
      v("min_lengthscale", min_lengthscale);
      v("max_lengthscale", max_lengthscale);
      v("ibnn_depth", ibnn_depth);
      v("min_noise_variance", min_noise_variance);
      v("max_noise_variance", max_noise_variance);
      v("large_n", large_n);
      v("subset_size", subset_size);
      v("max_refine_evaluations", max_refine_evaluations);
    }
  };

  // In standardised output units.
  struct Hyperparameters {
    Eigen::VectorXd kernel;  // the kernel's own coordinates (stationary kernels: ln lengthscales)
    double noise_variance = 0.0;  // ignored with known per-point noise
    double constant_mean = 0.0;
  };

  ExactGP();
  explicit ExactGP(Options options);
  // With a kernel made by the caller (one that needs more than Options gives it, such as a
  // fidelity kernel told where the fidelity column is); options.kernel is then unused.
  ExactGP(Options options, std::unique_ptr<Kernel> kernel);
  ExactGP(const ExactGP& other);
  ExactGP& operator=(const ExactGP& other);

  std::string name() const override { return "gp"; }
  Capabilities capabilities() const override;
  std::unique_ptr<Surrogate> clone() const override { return std::make_unique<ExactGP>(*this); }

  FitSummary fit(const Dataset& data) override;
  // X: n x d rows in [0,1]^d; y: n finite values; noise_variance: empty to learn one noise level,
  // else n known variances in y's units. Throws InvalidArgument for empty or non-finite data.
  FitSummary fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                 const Eigen::VectorXd& noise_variance = Eigen::VectorXd());
  const Dataset& data() const override { return data_; }

  // Later fits start once, from `start` (in the standardised units of the data they get), with at
  // most `max_evaluations` steps: a refit near a related model's optimum (warped values of the
  // same inputs) for a fraction of the multi-start's cost. Copies do not inherit it.
  void warm_start(const Hyperparameters& start, int max_evaluations);

  // Conditions on the data with given hyperparameters, without optimising (tests, replays).
  void condition(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Hyperparameters& hyper,
                 const Eigen::VectorXd& noise_variance = Eigen::VectorXd());

  // A copy conditioned on extra observations with the same hyperparameters and output scaling:
  // fantasies and pending trials. Known-noise models give the new points the mean known noise.
  ExactGP conditioned(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const;
  std::unique_ptr<Surrogate> condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const override;

  // MAP objective at packed hyperparameters u = [kernel's, ln noise (if learned), mean], with its
  // analytic gradient. Requires data (fit or condition first).
  double objective(const Eigen::VectorXd& u, Eigen::VectorXd* gradient) const;
  Eigen::VectorXd pack(const Hyperparameters& hyper) const;
  Hyperparameters unpack(const Eigen::VectorXd& u) const;

  const Hyperparameters& hyperparameters() const { return hyper_; }
  const Kernel& kernel() const { return *kernel_; }
  // Log marginal likelihood of the standardised data at the current hyperparameters.
  double log_marginal_likelihood() const { return log_marginal_likelihood_; }
  const Eigen::MatrixXd& inputs() const { return data_.X; }
  double output_mean() const { return y_mean_; }
  double output_scale() const { return y_scale_; }

  void predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const override;
  void predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance,
                             Eigen::VectorXd* dmean, Eigen::VectorXd* dvariance) const override;
  Posterior posterior(const Eigen::MatrixXd& X) const override;
  double noise_variance() const override;
  double prior_scale() const override;
  std::unique_ptr<CrossCovariance> cross_covariance(const Eigen::MatrixXd& A) const override;

  // k(X_train, x) and its Jacobian (n x d), in standardised units.
  void kernel_column(const Eigen::VectorXd& x, Eigen::VectorXd* k, Eigen::MatrixXd* J) const;
  // k(A, x) and its Jacobian for arbitrary rows A.
  void kernel_column(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, Eigen::VectorXd* k, Eigen::MatrixXd* J) const;
  // (K + noise)^-1 K(X_train, A): n x m.
  Eigen::MatrixXd solve_cross(const Eigen::MatrixXd& A) const;
  // L^-1 V for the Cholesky factor L of K + noise (n x m V, standardised units): v' (K + noise)^-1 w
  // is then a dot product, so other values' likelihood under this fit's correlation costs O(n^2).
  Eigen::MatrixXd whiten(const Eigen::MatrixXd& V) const;

 private:
  void set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& noise);
  // Starting points of the MAP fit: the prior mode and prior draws, or a subset fit's optimum.
  std::vector<Eigen::VectorXd> fit_starts(const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                                          int* max_evaluations) const;
  Hyperparameters prior_mode() const;
  void factorize();  // L_, alpha_ at hyper_
  bool learns_noise() const { return noise_s_.size() == 0; }
  int num_kernel_hyperparameters() const { return kernel_->num_hyperparameters(); }

  Options options_;
  std::unique_ptr<Kernel> kernel_;
  LogNormalPrior noise_prior_ = default_noise_prior();

  Dataset data_;             // as given, in the data's units
  Eigen::VectorXd y_s_;      // standardised outputs
  Eigen::VectorXd noise_s_;  // known noise variances, standardised; empty when learned
  double y_mean_ = 0.0, y_scale_ = 1.0;

  Hyperparameters hyper_;
  Eigen::MatrixXd L_;        // chol(K + noise)
  Eigen::VectorXd alpha_;    // (K + noise)^-1 (y_s - c)
  double log_marginal_likelihood_ = 0.0;
  bool warm_ = false;  // warm_start() was called: fit from warm_start_ alone
  Hyperparameters warm_start_;
  int warm_evaluations_ = 0;
};

}  // namespace boex
