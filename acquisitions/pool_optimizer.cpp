#include "acquisitions/pool_optimizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <vector>

#include "core/errors.h"

namespace boex {
namespace {

// Rows scored per call of Acquisition::values, bounding the model's cross-covariance matrices.
constexpr Eigen::Index kChunk = 4096;

std::vector<double> key(const Eigen::VectorXd& x) { return std::vector<double>(x.data(), x.data() + x.size()); }

}  // namespace

PoolOptimizer::PoolOptimizer(Eigen::MatrixXd pool, bool batch) : pool_(std::move(pool)), batch_(batch) {
  if (pool_.rows() == 0) throw InvalidArgument("PoolOptimizer: the candidate pool is empty");
}

AcquisitionOptimizer::Result PoolOptimizer::maximize(const Acquisition& acq, const Request& request) const {
  if (request.avoid.size() != 0 && request.avoid.cols() != pool_.cols())
    throw InvalidArgument("PoolOptimizer: points to avoid must have the pool's dimension");
  std::set<std::vector<double>> avoided;
  for (Eigen::Index i = 0; i < request.avoid.rows(); ++i) avoided.insert(key(request.avoid.row(i).transpose()));
  std::vector<Eigen::Index> open, closed;
  for (Eigen::Index i = 0; i < pool_.rows(); ++i)
    (avoided.count(key(pool_.row(i).transpose())) ? closed : open).push_back(i);

  Result result;
  auto best_of = [&](const std::vector<Eigen::Index>& rows, int wanted) {
    Eigen::VectorXd values(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t start = 0; start < rows.size(); start += kChunk) {
      const std::size_t stop = std::min(rows.size(), start + static_cast<std::size_t>(kChunk));
      Eigen::MatrixXd X(static_cast<Eigen::Index>(stop - start), pool_.cols());
      for (std::size_t k = start; k < stop; ++k) X.row(static_cast<Eigen::Index>(k - start)) = pool_.row(rows[k]);
      values.segment(static_cast<Eigen::Index>(start), X.rows()) =
          acq.values(X).unaryExpr([](double v) { return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v; });
    }
    result.evaluations += static_cast<int>(rows.size());
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0);
    const std::size_t keep = std::min(order.size(), static_cast<std::size_t>(wanted));
    // Ties go to the earlier pool point.
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(), [&](std::size_t a, std::size_t b) {
      return values(static_cast<Eigen::Index>(a)) > values(static_cast<Eigen::Index>(b)) ||
             (values(static_cast<Eigen::Index>(a)) == values(static_cast<Eigen::Index>(b)) && a < b);
    });
    for (std::size_t k = 0; k < keep; ++k)
      result.points.push_back({pool_.row(rows[order[k]]).transpose(), values(static_cast<Eigen::Index>(order[k]))});
  };
  best_of(open, request.count);
  const int missing = request.count - static_cast<int>(result.points.size());
  if (missing > 0) {
    result.exhausted = true;
    best_of(closed, missing);
  }
  return result;
}

}  // namespace boex
