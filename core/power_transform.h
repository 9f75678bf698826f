// Power transforms that make skewed outputs look Gaussian before a model sees them: Yeo-Johnson
// (any real data) and Box-Cox (positive data), with lambda fitted by maximum likelihood. The PFN
// surrogate feeds Yeo-Johnson(y) to its network (as PFNs4BO does); GP output warping reuses it.
//
// A fitted transform is the pipeline  y -> z = (y - in_mean) / in_scale -> u = psi_lambda(z) ->
// t = (u - out_mean) / out_scale. Yeo-Johnson standardises its input first (sklearn's
// PowerTransformer fits lambda on raw values, so its lambda depends on the data's units; here it
// does not); Box-Cox is scale-equivariant already and is fitted on the raw positive values.
// lambda maximises the profile log-likelihood of the Gaussian model psi(z) ~ N(mu, sigma^2),
// Jacobian included, so it is the likelihood of the data z themselves:
//   l(lambda) = -n/2 (ln(2 pi sigma_hat^2) + 1) + sum_i ln psi'(z_i).
#pragma once

#include <Eigen/Dense>

namespace boex {

enum class PowerFamily { kYeoJohnson, kBoxCox };

class PowerTransform {
 public:
  struct Options {
    PowerFamily family = PowerFamily::kYeoJohnson;
    // The search interval of lambda: a grid of grid_points values, then Brent's method around the
    // best one (the profile likelihood can be flat; the grid keeps a poor local optimum away).
    double lambda_min = -3.0;
    double lambda_max = 3.0;
    int grid_points = 61;
    // Standardise the transformed values (sklearn's standardize=True): mean 0, variance 1.
    bool standardize_output = true;

    void validate() const;  // throws InvalidArgument naming the field
  };

  // Identity transform (lambda = 1, no scaling).
  PowerTransform() = default;

  // Fits lambda (and the standardisations) to finite data y (n >= 1; Box-Cox needs y > 0). With
  // fewer than two distinct values nothing can be fitted: lambda = 1 and the output is only
  // centred. Throws InvalidArgument for bad input.
  static PowerTransform fit(const Eigen::VectorXd& y, const Options& options);
  static PowerTransform fit(const Eigen::VectorXd& y) { return fit(y, Options()); }
  // The same pipeline with a given lambda (standardisations fitted to y).
  static PowerTransform with_lambda(const Eigen::VectorXd& y, double lambda, const Options& options);

  double lambda() const { return lambda_; }
  PowerFamily family() const { return family_; }

  double transform(double y) const;
  Eigen::VectorXd transform(const Eigen::VectorXd& y) const;
  // The inverse; a t beyond the transform's range (lambda < 0 bounds it above, lambda > 2 below,
  // for Yeo-Johnson) maps to +-infinity, the limit of the inverse at the range's edge.
  double inverse(double t) const;
  Eigen::VectorXd inverse(const Eigen::VectorXd& t) const;
  // dt/dy > 0; and sum_i ln dt/dy at the data (the log-Jacobian a density in t needs to become a
  // density in y: ln p_y(y) = ln p_t(t(y)) + ln dt/dy).
  double derivative(double y) const;
  double log_jacobian(const Eigen::VectorXd& y) const;

  // The bare families (no standardisation) and their derivatives w.r.t. z.
  static double psi(PowerFamily family, double z, double lambda);
  static double psi_inverse(PowerFamily family, double u, double lambda);
  static double psi_derivative(PowerFamily family, double z, double lambda);
  // The profile log-likelihood l(lambda) above for data z (already standardised for Yeo-Johnson).
  static double profile_log_likelihood(PowerFamily family, const Eigen::VectorXd& z, double lambda);

 private:
  PowerFamily family_ = PowerFamily::kYeoJohnson;
  double lambda_ = 1.0;
  double in_mean_ = 0.0, in_scale_ = 1.0;
  double out_mean_ = 0.0, out_scale_ = 1.0;
};

}  // namespace boex
