// What the benchmark programs share to read their flags and summarise runs: comma lists and
// quantiles over seeds.
#pragma once

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace boex::bench {

// "a,b,,c" -> {"a", "b", "c"}: a flag's comma-separated names, empty items dropped.
inline std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// The q-quantile with linear interpolation between order statistics (numpy's default); NaN for
// no values. An infinite neighbour (a run that found no feasible point) gives infinity, not NaN.
inline double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  if (pos == static_cast<double>(lo)) return v[lo];
  if (std::isinf(v[hi])) return v[hi];
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

inline double median(std::vector<double> v) { return quantile(std::move(v), 0.5); }

}  // namespace boex::bench
