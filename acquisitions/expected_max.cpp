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
  Eigen::VectorXd terms;
  if (k == 1) {
    out.log_increment = -std::numeric_limits<double>::infinity();
  } else {
    terms.resize(k - 1);
    for (std::size_t l = 0; l + 1 < k; ++l)
      terms(l) = std::log(b(stack[l + 1]) - b(stack[l])) + normal::log_h(-std::abs(left[l + 1]));
    const double top = terms.maxCoeff();
    out.log_increment = top + std::log((terms.array() - top).exp().sum());
  }
  if (with_weights) {
    // log_increment = logsumexp_l T_l with T_l = ln(b_i - b_j) + ln h(-|c|) for the consecutive kept
    // lines j, i and c = (a_j - a_i) / (b_i - b_j); the softmax weights of T keep every term's share
    // in log space. dc/da_j = -dc/da_i = 1/db, dc/db_j = -dc/db_i = c/db.
    out.dlog_increment_da.setZero(m);
    out.dlog_increment_db.setZero(m);
    for (std::size_t l = 0; l + 1 < k; ++l) {
      const Eigen::Index j = stack[l], i = stack[l + 1];
      const double db = b(i) - b(j), c = left[l + 1];
      const double weight = std::exp(terms(l) - out.log_increment);
      const double sign = c < 0 ? -1.0 : 1.0;
      const double g = normal::dlog_h(-std::abs(c));  // d ln h(-|c|) / dc = -sign(c) g
      out.dlog_increment_da(j) -= weight * sign * g / db;
      out.dlog_increment_da(i) += weight * sign * g / db;
      out.dlog_increment_db(i) += weight * (1.0 + g * std::abs(c)) / db;
      out.dlog_increment_db(j) -= weight * (1.0 + g * std::abs(c)) / db;
    }
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
