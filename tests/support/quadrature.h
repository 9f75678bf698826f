// E[max_i a_i + b_i Z], Z ~ N(0,1), by composite Simpson quadrature on [-12, 12], split at every
// crossing of two lines so each piece is smooth: an independent check of expected_max_affine.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <vector>

#include "core/normal.h"

namespace boex::testing {

inline double expected_max_quadrature(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  std::vector<double> cuts = {-12.0, 12.0};
  for (Eigen::Index i = 0; i < a.size(); ++i)
    for (Eigen::Index j = 0; j < i; ++j)
      if (b(i) != b(j)) {
        const double z = (a(j) - a(i)) / (b(i) - b(j));
        if (z > -12 && z < 12) cuts.push_back(z);
      }
  std::sort(cuts.begin(), cuts.end());
  double total = 0;
  for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
    const int n = 2000;
    const double lo = cuts[c], h = (cuts[c + 1] - lo) / n;
    double sum = 0;
    for (int i = 0; i <= n; ++i) {
      const double z = lo + i * h, w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
      sum += w * (a + b * z).maxCoeff() * normal::pdf(z);
    }
    total += sum * h / 3;
  }
  return total;
}

}  // namespace boex::testing
