// The Chinchilla loss law L(N, D) = E + A / N^alpha + B / D^beta (Hoffmann et al. 2022): fitted to
// measured (model size, tokens, loss) points, used to predict losses and compute-optimal sizes.
#pragma once

#include <vector>

#include "fits/bootstrap.h"

namespace boex::fits {

struct ChinchillaParams {
  double A = 0.0, B = 0.0, E = 0.0, alpha = 0.0, beta = 0.0;

  // Predicted loss of a model of N parameters trained on D tokens.
  double loss(double N, double D) const;
  // JSON keys and values in this order: A, B, E, alpha, beta.
  static std::vector<const char*> names();
  std::vector<double> values() const;
};

// Parameters and tokens that minimise the predicted loss at a training budget of C = 6 N D FLOP.
struct ComputeAllocation {
  double N = 0.0;
  double D = 0.0;
};
// Closed form (Hoffmann et al. eq. 4): N = G (C/6)^(beta/(alpha+beta)), D = (C/6)^(alpha/(alpha+beta)) / G
// with G = (alpha A / (beta B))^(1/(alpha+beta)). Throws InvalidArgument for C <= 0 or a law
// without a finite optimum (alpha or beta <= 0, A or B <= 0).
ComputeAllocation compute_optimal(const ChinchillaParams& law, double flops);

// Measured points; all three vectors have one entry per training run.
struct ChinchillaData {
  std::vector<double> N;     // parameters
  std::vector<double> D;     // training tokens
  std::vector<double> loss;  // final loss

  int size() const { return static_cast<int>(loss.size()); }
  // Throws InvalidArgument naming the problem: unequal lengths, a non-finite or non-positive
  // value (with its row), fewer than `min_points` rows, or fewer than two distinct N or D.
  void validate(int min_points) const;
  ChinchillaData subset(const std::vector<int>& rows) const;
  // For data whose D holds training FLOP C (Epoch's CSV): D = C / (6 N).
  void convert_flops_to_tokens();
};

enum class ChinchillaObjective {
  // Hoffmann et al.: minimise sum_i Huber_delta(ln Lhat_i - ln L_i).
  kHuberLoss,
  // Epoch AI's replication: maximise the likelihood of ln L residuals drawn from a Huber density
  // with a fitted scale sigma, -sum_i [ln f_delta(r_i / sigma) - ln sigma]. With delta = 1e-3 it is
  // close to least absolute deviations; it is the estimator behind their published A, B, E, alpha,
  // beta. It starts from the best Huber-loss fit.
  kHuberLikelihood,
};

struct ChinchillaOptions {
  ChinchillaObjective objective = ChinchillaObjective::kHuberLikelihood;
  // Huber threshold, on residuals of ln L (loss) or on residuals / sigma (likelihood); 1e-3 as
  // published by both Hoffmann et al. and Epoch AI.
  double huber_delta = 1e-3;
  // Drop this many highest-loss points before fitting (Epoch AI drops 5 of their 245).
  int drop_highest_losses = 0;
  // The grid of L-BFGS starts in (a, b, e, alpha, beta) = (ln A, ln B, ln E, alpha, beta):
  // Hoffmann et al.'s published grid, 6 x 6 x 5 x 5 x 5 = 4500 starts.
  std::vector<double> a_starts = {0, 5, 10, 15, 20, 25};
  std::vector<double> b_starts = {0, 5, 10, 15, 20, 25};
  std::vector<double> e_starts = {-1, -0.5, 0, 0.5, 1};
  std::vector<double> alpha_starts = {0, 0.5, 1, 1.5, 2};
  std::vector<double> beta_starts = {0, 0.5, 1, 1.5, 2};
  // Objective evaluations per L-BFGS run.
  int max_evaluations = 1000;

  void validate() const;  // throws InvalidArgument naming the field
};

struct ChinchillaFit {
  ChinchillaParams params;
  // sum_i Huber_delta(ln Lhat_i - ln L_i) at params (whatever the objective): section 5.3's figure.
  double huber_sum = 0.0;
  // Root mean square of ln Lhat - ln L.
  double rmse_log = 0.0;
  // The fitted scale of the residuals (kHuberLikelihood); 0 for kHuberLoss.
  double sigma = 0.0;
  int n_points = 0;  // after dropping the highest losses
  ChinchillaData data;  // the points fitted (after dropping)
};

// Validates, drops options.drop_highest_losses points, runs L-BFGS from every start of the grid on
// the Huber loss, keeps the best, and (kHuberLikelihood) refines it by maximum likelihood.
ChinchillaFit fit_chinchilla(const ChinchillaData& data, const ChinchillaOptions& options = {});

// The fit and its bootstrap: every resample of the fitted points is refitted by one L-BFGS run from
// the full-data estimate (as in Epoch's analysis; a grid per resample would cost 4500x more).
struct ChinchillaEstimate {
  ChinchillaFit fit;
  Bootstrapped<ChinchillaParams> bootstrap;
};
ChinchillaEstimate estimate_chinchilla(const ChinchillaData& data, const ChinchillaOptions& options = {},
                                       const BootstrapOptions& bootstrap = {});

// sum_i Huber_delta(ln law.loss(N_i, D_i) - ln L_i).
double chinchilla_huber_sum(const ChinchillaParams& law, const ChinchillaData& data, double delta);

}  // namespace boex::fits
