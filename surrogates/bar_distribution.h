// The PFN's predictive distribution: a "Riemann" bar distribution over K buckets (probabilities =
// softmax of the network's logits) whose two outer buckets are half-normal tails (PFNs4BO, Müller
// et al. 2023). Every quantity here is exact for that distribution, with its gradient w.r.t. logits.
//
// Buckets k = 0..K-1 lie between borders b_0 < ... < b_K. Inner buckets are uniform on
// [b_k, b_k+1]. The left tail is b_1 - Z and the right tail b_{K-1} + Z, Z ~ HalfNormal(s) with
// s = width / Phi^-1(0.75) (half of a tail's mass within one bucket width of its anchor). The
// outer borders b_0, b_K only set those widths. Two errors of the reference code are avoided: the
// right tail's mean is b_{K-1} + s sqrt(2/pi) (not its variance), and the left tail's expected
// improvement is E[(b_1 - Z - f*)+], not E[min(Z, u)].
//
// Gradients are with respect to the logits (the network's output), so an acquisition gets d/dx by
// back-propagating them through the network. Maximisation convention: EI and PI are about Y > f*.
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace boex {

class BarDistribution {
 public:
  using Logits = Eigen::Ref<const Eigen::VectorXd>;

  // K + 1 finite, strictly increasing borders, K >= 2; throws InvalidArgument otherwise.
  explicit BarDistribution(Eigen::VectorXd borders);

  // Borders that put the same number of samples in each of n_buckets buckets: inner borders are
  // midpoints between neighbouring sorted samples, outer borders the smallest and largest sample.
  static Eigen::VectorXd borders_from_samples(std::vector<double> samples, int n_buckets);

  int n_buckets() const { return static_cast<int>(borders_.size()) - 1; }
  const Eigen::VectorXd& borders() const { return borders_; }
  double left_tail_scale() const { return s_left_; }
  double right_tail_scale() const { return s_right_; }

  // The same distribution for Y' = scale * Y (scale > 0): the PFN predicts in normalised units.
  BarDistribution scaled(double scale) const;

  // Bucket probabilities softmax(z).
  Eigen::VectorXd probabilities(const Logits& z) const;

  // Each function below takes the K logits z; when grad is not null it receives d value / d z.
  double log_pdf(const Logits& z, double y, Eigen::VectorXd* grad = nullptr) const;
  double pdf(const Logits& z, double y) const;
  double cdf(const Logits& z, double y, Eigen::VectorXd* grad = nullptr) const;
  // ln P(Y <= y), finite far into the left tail (a probability of feasibility P(g <= 0)).
  double log_cdf(const Logits& z, double y, Eigen::VectorXd* grad = nullptr) const;
  double mean(const Logits& z, Eigen::VectorXd* grad = nullptr) const;
  double variance(const Logits& z, Eigen::VectorXd* grad = nullptr) const;
  // The alpha-quantile, 0 < alpha < 1 (the PFN's UCB is a high quantile).
  double quantile(const Logits& z, double alpha, Eigen::VectorXd* grad = nullptr) const;
  // E[max(Y - best, 0)] and its logarithm, finite and smooth far below the incumbent (where EI
  // underflows): only the right tail's closed form in log space (log_h) carries the value there.
  double ei(const Logits& z, double best, Eigen::VectorXd* grad = nullptr) const;
  double log_ei(const Logits& z, double best, Eigen::VectorXd* grad = nullptr) const;
  // P(Y > best) and its logarithm (a probability of feasibility is pi(z, threshold)).
  double pi(const Logits& z, double best, Eigen::VectorXd* grad = nullptr) const;
  double log_pi(const Logits& z, double best, Eigen::VectorXd* grad = nullptr) const;

  // Per-bucket terms, exposed for tests and for vectorised callers: value = sum_k p_k term_k.
  Eigen::VectorXd bucket_means() const;
  Eigen::VectorXd bucket_second_moments() const;
  Eigen::VectorXd bucket_cdfs(double y) const;
  Eigen::VectorXd bucket_log_cdfs(double y) const;                   // ln P_k(Y <= y), -inf if 0
  Eigen::VectorXd bucket_log_improvements(double best) const;        // ln E_k[(Y - best)+], -inf if 0
  Eigen::VectorXd bucket_log_exceedances(double best) const;         // ln P_k(Y > best), -inf if 0

 private:
  void check_logits(const Logits& z) const;

  Eigen::VectorXd borders_;
  double s_left_ = 1.0;
  double s_right_ = 1.0;
};

}  // namespace boex
