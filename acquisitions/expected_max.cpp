#include "acquisitions/expected_max.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/errors.h"
#include "core/normal.h"

namespace boex {

ExpectedMax expected_max_affine(const Eigen::VectorXd& a, const Eigen::VectorXd& b, bool with_weights) {
  const Eigen::Index m = a.size();
  if (m == 0 || b.size() != m) throw InvalidArgument("expected_max_affine: need as many slopes as intercepts, >= 1");
  std::vector<Eigen::Index> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](Eigen::Index i, Eigen::Index j) {
    return b(i) < b(j) || (b(i) == b(j) && a(i) < a(j));
  });
  // Upper envelope: lines by increasing slope; a line is dropped when the next one overtakes its
  // predecessor before it gets its turn. left[k] is where stack[k] becomes the maximum.
  std::vector<Eigen::Index> stack;
  std::vector<double> left;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const Eigen::Index i = order[r];
    if (r + 1 < order.size() && b(order[r + 1]) == b(i)) continue;  // same slope, lower intercept
    double c = -std::numeric_limits<double>::infinity();
    while (!stack.empty()) {
      const Eigen::Index j = stack.back();
      c = (a(j) - a(i)) / (b(i) - b(j));
      if (stack.size() > 1 && c <= left.back()) {
        stack.pop_back();
        left.pop_back();
        continue;
      }
      break;
    }
    if (stack.empty()) c = -std::numeric_limits<double>::infinity();
    stack.push_back(i);
    left.push_back(c);
  }
  ExpectedMax out;
  const std::size_t k = stack.size();
  if (k == 1) {
    out.log_increment = -std::numeric_limits<double>::infinity();
  } else {
    Eigen::VectorXd terms(k - 1);
    for (std::size_t l = 0; l + 1 < k; ++l)
      terms(l) = std::log(b(stack[l + 1]) - b(stack[l])) + normal::log_h(-std::abs(left[l + 1]));
    const double top = terms.maxCoeff();
    out.log_increment = top + std::log((terms.array() - top).exp().sum());
  }
  if (with_weights) {
    out.probability.setZero(m);
    out.slope.setZero(m);
    for (std::size_t l = 0; l < k; ++l) {
      const double lo = left[l], hi = l + 1 < k ? left[l + 1] : std::numeric_limits<double>::infinity();
      // Upper tail differences are taken from the other side to keep precision.
      out.probability(stack[l]) = lo > 0 ? normal::cdf(-lo) - normal::cdf(-hi) : normal::cdf(hi) - normal::cdf(lo);
      out.slope(stack[l]) = (std::isfinite(lo) ? normal::pdf(lo) : 0.0) - (std::isfinite(hi) ? normal::pdf(hi) : 0.0);
    }
  }
  return out;
}

}  // namespace boex
