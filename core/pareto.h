// Pareto dominance for several objectives, all maximised: which rows of an objective matrix no
// other row beats, and the non-dominated sorting ranks that multi-objective studies report.
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace boex {

// a is at least as good as b in every objective and better in one (maximising). Equal rows do
// not dominate each other, so ties stay on a front together.
bool dominates(const Eigen::Ref<const Eigen::RowVectorXd>& a, const Eigen::Ref<const Eigen::RowVectorXd>& b);

// Indices (ascending) of the rows of Y (n x k) that are feasible and dominated by no other
// feasible row. `feasible`: one flag per row; empty means every row is.
std::vector<Eigen::Index> pareto_front(const Eigen::MatrixXd& Y, const std::vector<bool>& feasible = {});

// Non-dominated sorting (NSGA-II's fronts): 0 for the Pareto front of the feasible rows, 1 for
// the front once those are removed, and so on; -1 for infeasible rows.
std::vector<int> pareto_ranks(const Eigen::MatrixXd& Y, const std::vector<bool>& feasible = {});

}  // namespace boex
