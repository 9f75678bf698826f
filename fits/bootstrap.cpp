#include "fits/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.h"
#include "core/rng.h"

namespace boex::fits {

void BootstrapOptions::validate() const {
  if (resamples < 2) throw InvalidArgument("BootstrapOptions::resamples must be at least 2");
  if (!(level > 0.0 && level < 1.0)) throw InvalidArgument("BootstrapOptions::level must lie in (0, 1)");
}

Interval percentile_interval(std::vector<double> values, double level) {
  if (values.empty()) throw InvalidArgument("percentile_interval: no values");
  if (!(level > 0.0 && level < 1.0)) throw InvalidArgument("percentile_interval: level must lie in (0, 1)");
  std::sort(values.begin(), values.end());
  const auto quantile = [&](double q) {
    const double pos = q * static_cast<double>(values.size() - 1);
    const auto i = static_cast<std::size_t>(std::floor(pos));
    const std::size_t j = std::min(i + 1, values.size() - 1);
    return values[i] + (pos - static_cast<double>(i)) * (values[j] - values[i]);
  };
  return {quantile(0.5 * (1.0 - level)), quantile(0.5 * (1.0 + level))};
}

std::vector<int> bootstrap_resample(int n, std::uint64_t seed, int r) {
  Rng rng(mix_seed(seed, static_cast<std::uint64_t>(r)));
  std::vector<int> rows(n);
  for (int& i : rows) i = static_cast<int>(rng.index(static_cast<std::uint64_t>(n)));
  return rows;
}

void check_bootstrap_failures(int failed, int resamples) {
  if (2 * failed > resamples)
    throw NumericalError("the law could not be refitted on " + std::to_string(failed) + " of " +
                         std::to_string(resamples) + " bootstrap resamples (too few distinct scales?)");
}

}  // namespace boex::fits
