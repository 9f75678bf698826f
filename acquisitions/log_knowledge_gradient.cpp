#include "acquisitions/log_knowledge_gradient.h"

#include <cmath>

namespace boex {

double LogKnowledgeGradient::value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const {
  const LookAhead::Result r = look_ahead_.at(x, gradient != nullptr);
  if (gradient) {
    // KG = E[max] - max a; the second term moves with x only when x's own mean is the largest.
    Eigen::VectorXd dkg = r.dmax;
    if (r.mean >= look_ahead_.mean_A().maxCoeff()) dkg -= r.dmean;
    const double kg = std::exp(r.lines.log_increment);
    *gradient = kg > 0 ? Eigen::VectorXd(dkg / kg) : Eigen::VectorXd::Zero(x.size());
  }
  return r.lines.log_increment;
}

}  // namespace boex
