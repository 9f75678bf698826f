// Seeded nonparametric bootstrap: refit a law on resamples of its data (rows drawn with
// replacement) and read confidence intervals of any function of its parameters off the refits.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace boex::fits {

struct BootstrapOptions {
  // Number of resamples. 1000 gives percentile intervals stable to about a tenth of their width
  // (Step Law's fit_tool uses 1000, Epoch's Chinchilla analysis 4000).
  int resamples = 1000;
  // Two-sided confidence level of the percentile intervals, in (0, 1).
  double level = 0.95;
  // With the data, the seed fixes every resample.
  std::uint64_t seed = 0;
  // Called after each resample with (done, resamples): a long fit's progress line. Empty: none.
  std::function<void(int, int)> progress;

  void validate() const;  // throws InvalidArgument naming the field
};

struct Interval {
  double low = 0.0;
  double high = 0.0;
  bool contains(double v) const { return low <= v && v <= high; }
  double width() const { return high - low; }
};

// The percentile interval [q((1 - level) / 2), q((1 + level) / 2)] of values (linear interpolation
// between order statistics, numpy's default). Throws InvalidArgument for an empty sample.
Interval percentile_interval(std::vector<double> values, double level);

// Row-index resamples of n rows: resample r is `n` indices drawn uniformly with replacement from a
// generator seeded by mix_seed(seed, r), so one resample does not depend on how many others exist.
std::vector<int> bootstrap_resample(int n, std::uint64_t seed, int r);

// A law fitted once on the data and again on each resample.
template <class Params>
struct Bootstrapped {
  Params point;                  // the fit on all the data
  std::vector<Params> replicates;  // fits on the resamples that could be fitted
  int failed_resamples = 0;      // resamples that could not be fitted (degenerate, e.g. one scale)
  double level = 0.95;

  // Percentile interval of f(params) over the replicates: intervals of parameters, predictions,
  // compute-optimal allocations alike.
  template <class F>
  Interval interval(F&& f) const {
    std::vector<double> values;
    values.reserve(replicates.size());
    for (const auto& p : replicates) values.push_back(f(p));
    return percentile_interval(std::move(values), level);
  }
};

// Runs `fit` on `options.resamples` resamples of n rows (a fit returning nullopt is counted as
// failed). Throws NumericalError when more than half the resamples fail: the intervals would not
// mean what they say.
template <class Params>
Bootstrapped<Params> bootstrap(Params point, int n, const BootstrapOptions& options,
                               const std::function<std::optional<Params>(const std::vector<int>& rows)>& fit);

// Implementation detail of bootstrap(): the failure check, kept out of the header's template.
void check_bootstrap_failures(int failed, int resamples);

template <class Params>
Bootstrapped<Params> bootstrap(Params point, int n, const BootstrapOptions& options,
                               const std::function<std::optional<Params>(const std::vector<int>& rows)>& fit) {
  options.validate();
  Bootstrapped<Params> out;
  out.point = std::move(point);
  out.level = options.level;
  out.replicates.reserve(options.resamples);
  for (int r = 0; r < options.resamples; ++r) {
    if (auto p = fit(bootstrap_resample(n, options.seed, r)))
      out.replicates.push_back(std::move(*p));
    else
      ++out.failed_resamples;
    if (options.progress) options.progress(r + 1, options.resamples);
  }
  check_bootstrap_failures(out.failed_resamples, options.resamples);
  return out;
}

}  // namespace boex::fits
