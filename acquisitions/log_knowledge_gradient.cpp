#include "acquisitions/log_knowledge_gradient.h"

#include <cmath>

namespace boex {

double LogKnowledgeGradient::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  // KG = E[max] - max a over [A; x] is exactly the lines' increment.
  const LookAhead::Result r = look_ahead_.at(x, gradient != nullptr);
  if (gradient) *gradient = r.dlog_increment;
  return r.lines.log_increment;
}

}  // namespace boex
