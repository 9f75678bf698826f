// The acquisition optimiser of a finite candidate pool ("only these variants can be made"): every
// pool point not to be avoided is scored and the best are returned, the exact maximiser over what
// a lab can actually run. Cost: one acquisition value per pool point and call.
#pragma once

#include <Eigen/Dense>

#include "acquisitions/acquisition_optimizer.h"

namespace boex {

class PoolOptimizer final : public AcquisitionOptimizer {
 public:
  // `pool`: encoded points (rows), at least one. `batch`: whether one call should yield a whole
  // batch (the strategy's choice; the pool's top count by one acquisition) or one point at a time.
  explicit PoolOptimizer(Eigen::MatrixXd pool, bool batch = false);

  // The best request.count pool points outside request.avoid (exact matches of encoded rows);
  // exhausted when fewer are left, the rest then the best avoided ones.
  Result maximize(const Acquisition& acq, const Request& request) const override;
  bool batch() const override { return batch_; }

 private:
  Eigen::MatrixXd pool_;
  bool batch_ = false;
};

}  // namespace boex
