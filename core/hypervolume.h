// The hypervolume of a set of objective vectors (all maximised): the volume they dominate above a
// reference point, the quality measure of a Pareto front, and the disjoint boxes of the region
// they do not dominate, from which expected hypervolume improvement is computed sample by sample.
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace boex {

// An axis-aligned box; upper entries may be +infinity.
struct HyperBox {
  Eigen::VectorXd lower, upper;
};

// The volume of {z >= reference : some row of Y dominates z} (rows n x k, k >= 1). Rows that do
// not exceed the reference in every objective add nothing. Exact: a sweep for k = 2, slicing on a
// grid of the points' coordinates for k >= 3 (O(n^k); meant for fronts of tens of points).
double hypervolume(const Eigen::MatrixXd& Y, const Eigen::VectorXd& reference);

// Disjoint boxes whose union is {z > reference : no row of Y dominates z}: the grid of the rows'
// coordinates in the first k - 1 objectives, each cell extended in the last objective from the
// best value that dominates the whole cell to infinity. (n + 1)^(k - 1) boxes at most.
std::vector<HyperBox> improvement_boxes(const Eigen::MatrixXd& Y, const Eigen::VectorXd& reference);

// HV(Y with y) - HV(Y), given improvement_boxes(Y, reference): the volume of the part of
// [reference, y] in the boxes.
double hypervolume_improvement(const Eigen::VectorXd& y, const std::vector<HyperBox>& boxes);

// BoTorch's default when the user gives no threshold: the front's worst value in each objective
// less 10 % of its range (10 % of its magnitude, or 0.1, where the range is zero). Rows of
// `front` (at least one).
Eigen::VectorXd infer_reference_point(const Eigen::MatrixXd& front);

}  // namespace boex
