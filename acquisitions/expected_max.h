// E[max_i a_i + b_i Z] for Z ~ N(0,1): the expectation of the upper envelope of affine lines
// (Frazier, Powell and Dayanik 2009). Both the exact one-step noisy EI and the knowledge gradient
// reduce to it. O(m log m) for m lines.
#pragma once

#include <Eigen/Dense>

namespace boex {

struct ExpectedMax {
  // ln(E[max_i a_i + b_i Z] - max_i a_i): the gain of seeing Z before choosing a line;
  // -inf when one line dominates everywhere (all b equal).
  double log_increment = 0.0;
  Eigen::VectorXd probability;  // P(line i is the maximum)   = dE[max]/da_i
  Eigen::VectorXd slope;        // E[Z; line i is the maximum] = dE[max]/db_i
  // d log_increment / da_i and / db_i, formed in log space (finite wherever log_increment is, even
  // when the increment itself underflows); zero when log_increment is -inf.
  Eigen::VectorXd dlog_increment_da, dlog_increment_db;
};

// a, b: m values each. Weights (probability, slope) are filled only when asked for.
ExpectedMax expected_max_affine(const Eigen::VectorXd& a, const Eigen::VectorXd& b, bool with_weights);

}  // namespace boex
