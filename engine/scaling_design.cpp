#include "engine/scaling_design.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

namespace boex {
namespace {

// One law (its design rows per scale and near-optimal values) under the two-level model.
struct Law {
  std::vector<Eigen::VectorXd> x;  // per scale with near-optimal runs
  std::vector<int> index;          // into the caller's scales
  std::vector<double> centre, m;
  double sigma2 = 0.0, tau2 = 0.0;
  Eigen::VectorXd target;

  // Fits the variance components; false when the design is rank-deficient or leaves no residual.
  bool prepare(const std::vector<std::vector<double>>& values) {
    const int S = static_cast<int>(x.size()), p = static_cast<int>(target.size());
    if (S <= p) return false;
    double within = 0.0;
    int dof = 0;
    for (int s = 0; s < S; ++s) {
      const auto& v = values[s];
      centre.push_back(0.0);
      for (double y : v) centre.back() += y / v.size();
      for (double y : v) within += (y - centre.back()) * (y - centre.back());
      dof += static_cast<int>(v.size()) - 1;
      m.push_back(static_cast<double>(v.size()));
    }
    Eigen::MatrixXd X(S, p);
    Eigen::VectorXd y(S);
    for (int s = 0; s < S; ++s) X.row(s) = x[s].transpose(), y(s) = centre[s];
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(X);
    qr.setThreshold(1e-10);
    if (qr.rank() < p) return false;
    const double between = (y - X * qr.solve(y)).squaredNorm() / (S - p);
    // Without repeated near-optimal runs anywhere, the location error is taken as large as the
    // scatter between scales.
    sigma2 = dof > 0 ? within / dof : between;
    double mean_location = 0.0;
    for (double k : m) mean_location += sigma2 / k / S;
    tau2 = std::max(between - mean_location, 0.5 * between);
    if (!(tau2 > 0.0)) tau2 = std::max(sigma2, 1e-12);
    return true;
  }

  double variance(const std::vector<double>& counts) const {
    const int p = static_cast<int>(target.size());
    Eigen::MatrixXd M = Eigen::MatrixXd::Zero(p, p);
    for (std::size_t s = 0; s < x.size(); ++s) M += x[s] * x[s].transpose() / (tau2 + sigma2 / counts[s]);
    return target.dot(M.ldlt().solve(target));
  }
};

}  // namespace

std::vector<double> expected_variance_drops(const std::vector<ScaleEvidence>& scales, double log_N_target,
                                            double log_D_target) {
  // Centred coordinates keep the normal matrices well conditioned; the drops do not depend on them.
  double cn = 0.0, cd = 0.0;
  int with_runs = 0;
  for (const auto& s : scales)
    if (!s.near_log_lr.empty()) cn += s.log_N, cd += s.log_D, ++with_runs;
  if (with_runs == 0) return {};
  cn /= with_runs;
  cd /= with_runs;
  Law lr, bs;
  lr.target = Eigen::Vector3d(1.0, log_N_target - cn, log_D_target - cd);
  bs.target = Eigen::Vector2d(1.0, log_D_target - cd);
  std::vector<std::vector<double>> lr_values, bs_values;
  for (std::size_t i = 0; i < scales.size(); ++i) {
    const auto& s = scales[i];
    if (s.near_log_lr.empty()) continue;
    lr.x.push_back(Eigen::Vector3d(1.0, s.log_N - cn, s.log_D - cd));
    bs.x.push_back(Eigen::Vector2d(1.0, s.log_D - cd));
    lr.index.push_back(static_cast<int>(i));
    bs.index.push_back(static_cast<int>(i));
    lr_values.push_back(s.near_log_lr);
    bs_values.push_back(s.near_log_batch);
  }
  if (!lr.prepare(lr_values) || !bs.prepare(bs_values)) return {};
  std::vector<double> drops(scales.size(), 0.0);
  for (const Law* law : {&lr, &bs}) {
    const double v = law->variance(law->m);
    for (std::size_t k = 0; k < law->x.size(); ++k) {
      const auto& s = scales[law->index[k]];
      std::vector<double> more = law->m;
      more[k] += (law->m[k] + 1.0) / (s.runs + 2.0);
      drops[law->index[k]] += (v - law->variance(more)) / v;
    }
  }
  return drops;
}

}  // namespace boex
