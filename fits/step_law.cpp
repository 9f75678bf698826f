#include "fits/step_law.h"

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/errors.h"
#include "core/rng.h"
#include "fits/column_checks.h"

namespace boex::fits {
namespace {

// ln-space columns of the runs the OLS sees.
struct LogRuns {
  Eigen::VectorXd log_n, log_d, log_lr, log_bs;
};

LogRuns log_runs(const StepLawData& data, const std::vector<int>& rows, double tokens_per_unit) {
  const int m = static_cast<int>(rows.size());
  LogRuns out{Eigen::VectorXd(m), Eigen::VectorXd(m), Eigen::VectorXd(m), Eigen::VectorXd(m)};
  for (int k = 0; k < m; ++k) {
    const int i = rows[k];
    out.log_n(k) = std::log(data.N[i]);
    out.log_d(k) = std::log(data.D[i]);
    out.log_lr(k) = std::log(data.lr[i]);
    out.log_bs(k) = std::log(data.batch[i] * tokens_per_unit);
  }
  return out;
}

// Least squares y ~ X, or nullopt when X is rank-deficient (the law is not determined).
std::optional<Eigen::VectorXd> ols(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(X);
  // Scales on one line in (ln N, ln D) leave a pivot at round-off level, not exactly zero.
  qr.setThreshold(1e-10);
  if (qr.rank() < X.cols()) return std::nullopt;
  return Eigen::VectorXd(qr.solve(y));
}

// Rows of `r` grouped by scale (exact ln N, ln D).
std::vector<std::vector<int>> scale_groups(const LogRuns& r) {
  std::map<std::pair<double, double>, std::vector<int>> groups;
  for (int i = 0; i < r.log_n.size(); ++i) groups[{r.log_n(i), r.log_d(i)}].push_back(i);
  std::vector<std::vector<int>> out;
  for (auto& [key, rows] : groups) out.push_back(std::move(rows));
  return out;
}

// One row per group: its scale and the means of its ln lr and ln B.
LogRuns centres(const LogRuns& r, const std::vector<std::vector<int>>& groups) {
  const int S = static_cast<int>(groups.size());
  LogRuns out{Eigen::VectorXd(S), Eigen::VectorXd(S), Eigen::VectorXd(S), Eigen::VectorXd(S)};
  for (int g = 0; g < S; ++g) {
    const auto& rows = groups[g];
    out.log_n(g) = r.log_n(rows.front());
    out.log_d(g) = r.log_d(rows.front());
    out.log_lr(g) = r.log_lr(rows).mean();
    out.log_bs(g) = r.log_bs(rows).mean();
  }
  return out;
}

std::optional<StepLawParams> ols_law(const LogRuns& r) {
  const int m = static_cast<int>(r.log_n.size());
  if (m < 3) return std::nullopt;
  // Centred columns keep the QR's rank decision about the spread of the scales, not their size.
  const double cn = r.log_n.mean(), cd = r.log_d.mean();
  Eigen::MatrixXd X_lr(m, 3), X_bs(m, 2);
  X_lr.col(0).setOnes();
  X_lr.col(1) = r.log_n.array() - cn;
  X_lr.col(2) = r.log_d.array() - cd;
  X_bs.col(0).setOnes();
  X_bs.col(1) = r.log_d.array() - cd;
  const auto c_lr = ols(X_lr, r.log_lr);
  const auto c_bs = ols(X_bs, r.log_bs);
  if (!c_lr || !c_bs) return std::nullopt;
  StepLawParams p;
  p.lr_exp_N = (*c_lr)(1);
  p.lr_exp_D = (*c_lr)(2);
  p.lr_coef = std::exp((*c_lr)(0) - p.lr_exp_N * cn - p.lr_exp_D * cd);
  p.bs_exp_D = (*c_bs)(1);
  p.bs_coef = std::exp((*c_bs)(0) - p.bs_exp_D * cd);
  return p;
}

}  // namespace

double StepLawParams::learning_rate(double N, double D) const {
  return lr_coef * std::pow(N, lr_exp_N) * std::pow(D, lr_exp_D);
}
double StepLawParams::batch_tokens(double D) const { return bs_coef * std::pow(D, bs_exp_D); }

std::vector<const char*> StepLawParams::names() { return {"lr_coef", "lr_exp_N", "lr_exp_D", "bs_coef", "bs_exp_D"}; }
std::vector<double> StepLawParams::values() const { return {lr_coef, lr_exp_N, lr_exp_D, bs_coef, bs_exp_D}; }

void StepLawData::validate() const {
  check_equal_lengths({&N, &D, &lr, &batch, &loss}, "Step Law data", "N, D, lr, batch and loss");
  check_positive_finite(N, "Step Law data: N");
  check_positive_finite(D, "Step Law data: D");
  check_positive_finite(lr, "Step Law data: lr");
  check_positive_finite(batch, "Step Law data: batch size");
  check_positive_finite(loss, "Step Law data: loss");
}

StepLawData StepLawData::subset(const std::vector<int>& rows) const {
  StepLawData out;
  for (int i : rows) {
    out.N.push_back(N.at(i));
    out.D.push_back(D.at(i));
    out.lr.push_back(lr.at(i));
    out.batch.push_back(batch.at(i));
    out.loss.push_back(loss.at(i));
  }
  return out;
}

void StepLawOptions::validate() const {
  if (!(near_optimal_tolerance >= 0.0) || !std::isfinite(near_optimal_tolerance))
    throw InvalidArgument("StepLawOptions::near_optimal_tolerance must be non-negative and finite");
  if (!(tokens_per_batch_unit > 0.0) || !std::isfinite(tokens_per_batch_unit))
    throw InvalidArgument("StepLawOptions::tokens_per_batch_unit must be positive and finite");
}

std::vector<int> near_optimal_runs(const StepLawData& data, double tolerance) {
  std::map<std::pair<double, double>, double> best;
  for (int i = 0; i < data.size(); ++i) {
    auto [it, inserted] = best.emplace(std::make_pair(data.N[i], data.D[i]), data.loss[i]);
    if (!inserted) it->second = std::min(it->second, data.loss[i]);
  }
  std::vector<int> rows;
  for (int i = 0; i < data.size(); ++i) {
    const double min_loss = best.at({data.N[i], data.D[i]});
    // The best run itself always qualifies, also at tolerance 0.
    if (data.loss[i] == min_loss || std::abs(data.loss[i] / min_loss - 1.0) < tolerance) rows.push_back(i);
  }
  return rows;
}

ScaleOptimum measured_optimum(const StepLawData& scale_runs, const StepLawOptions& options) {
  options.validate();
  scale_runs.validate();
  if (scale_runs.size() == 0) throw InvalidArgument("measured_optimum: no runs");
  for (int i = 1; i < scale_runs.size(); ++i)
    if (scale_runs.N[i] != scale_runs.N[0] || scale_runs.D[i] != scale_runs.D[0])
      throw InvalidArgument("measured_optimum: the runs span several (N, D) scales");
  const auto rows = near_optimal_runs(scale_runs, options.near_optimal_tolerance);
  const LogRuns r = log_runs(scale_runs, rows, options.tokens_per_batch_unit);
  return {std::exp(r.log_lr.mean()), std::exp(r.log_bs.mean()), static_cast<int>(rows.size())};
}

StepLawFit fit_step_law(const StepLawData& data, const StepLawOptions& options) {
  options.validate();
  data.validate();
  StepLawFit fit;
  fit.n_runs = data.size();
  std::map<std::pair<double, double>, int> scales;
  for (int i = 0; i < data.size(); ++i) ++scales[{data.N[i], data.D[i]}];
  fit.n_scales = static_cast<int>(scales.size());
  fit.near_optimal = near_optimal_runs(data, options.near_optimal_tolerance);
  const LogRuns rows = log_runs(data, fit.near_optimal, options.tokens_per_batch_unit);
  const auto params = ols_law(options.rows == StepLawRows::kScaleCentres ? centres(rows, scale_groups(rows)) : rows);
  if (!params)
    throw InvalidArgument("Step Law data: the near-optimal runs of " + std::to_string(fit.n_scales) +
                          " (N, D) scales do not determine the law; it needs at least three scales not on one line "
                          "in (ln N, ln D) and two distinct D");
  fit.params = *params;
  return fit;
}

StepLawEstimate estimate_step_law(const StepLawData& data, const StepLawOptions& options,
                                  const BootstrapOptions& bootstrap_options) {
  bootstrap_options.validate();
  StepLawEstimate out;
  out.fit = fit_step_law(data, options);
  const LogRuns all = log_runs(data, out.fit.near_optimal, options.tokens_per_batch_unit);
  const auto pick = [&](const std::vector<int>& rows) {
    return LogRuns{all.log_n(rows), all.log_d(rows), all.log_lr(rows), all.log_bs(rows)};
  };
  if (options.rows == StepLawRows::kNearOptimalRuns) {
    out.bootstrap = bootstrap<StepLawParams>(out.fit.params, static_cast<int>(all.log_n.size()), bootstrap_options,
                                             [&](const std::vector<int>& rows) { return ols_law(pick(rows)); });
    return out;
  }
  // Two stages: scales with replacement, then each drawn scale's near-optimal runs with replacement
  // (seeded by the resample's number and the draw's position).
  const auto groups = scale_groups(all);
  int resample = 0;
  out.bootstrap = bootstrap<StepLawParams>(
      out.fit.params, static_cast<int>(groups.size()), bootstrap_options, [&](const std::vector<int>& drawn) {
        const std::uint64_t seed = mix_seed(bootstrap_options.seed, static_cast<std::uint64_t>(resample++));
        std::vector<std::vector<int>> inner;
        for (std::size_t k = 0; k < drawn.size(); ++k) {
          const auto& rows = groups[drawn[k]];
          inner.emplace_back();
          for (int i : bootstrap_resample(static_cast<int>(rows.size()), seed, static_cast<int>(k))) inner.back().push_back(rows[i]);
        }
        return ols_law(centres(all, inner));
      });
  return out;
}

}  // namespace boex::fits
