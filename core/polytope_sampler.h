// A bounded polytope P = {u in [0,1]^m : G u <= h, E u = e} of unit-cube coordinates, and what the
// known input constraints need from it: a feasibility test, an interior point, uniform-ish
// samples (hit-and-run) and the Euclidean projection onto it.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

namespace boex {

class Polytope {
 public:
  // Round-off allowed on each constraint row, in cube units: points within this are feasible.
  static constexpr double kTolerance = 1e-9;

  // Equalities are removed by a null-space parametrisation u = u0 + N z (N orthonormal, from the
  // SVD of E); the interior point is the Chebyshev centre of the remaining inequalities in z (the
  // centre of the largest inscribed ball, an LP solved by SLSQP). Throws InvalidArgument for
  // mismatched shapes or non-finite entries.
  Polytope(Eigen::MatrixXd G, Eigen::VectorXd h, Eigen::MatrixXd E, Eigen::VectorXd e);

  int dimension() const { return static_cast<int>(u0_.size()); }  // m
  // Free directions left by the equalities (m - rank E); 0: at most one point.
  int degrees_of_freedom() const { return static_cast<int>(N_.cols()); }
  bool empty() const { return empty_; }
  // The Chebyshev centre (empty(): the least-violating point found) and its ball's radius.
  const Eigen::VectorXd& center() const { return center_; }
  double radius() const { return radius_; }

  // Largest violation of any row (inequalities, equalities, box) at u; <= 0 inside.
  double violation(const Eigen::VectorXd& u) const;
  bool contains(const Eigen::VectorXd& u, double tolerance = kTolerance) const { return violation(u) <= tolerance; }

  // n points (rows) of a hit-and-run chain from the centre: uniform random directions in the
  // equalities' null space, a uniform point of each chord; burn-in and thinning grow with the
  // degrees of freedom. Deterministic given the seed. Throws StateError when empty().
  Eigen::MatrixXd sample(int n, std::uint64_t seed) const;
  // argmin_{v in P} |v - u|^2 (a QP by SLSQP from the centre), repaired into P exactly.
  Eigen::VectorXd project(const Eigen::VectorXd& u) const;
  // A point of P near u, exactly inside up to round-off: u moved onto the equalities' affine set
  // (orthogonally), then pulled along the ray towards the centre until every inequality holds.
  // Cheap; for cleaning round-off of an almost-feasible point, not a projection.
  Eigen::VectorXd repair(const Eigen::VectorXd& u) const;

  const Eigen::MatrixXd& G() const { return G_; }
  const Eigen::VectorXd& h() const { return h_; }
  const Eigen::MatrixXd& E() const { return E_; }
  const Eigen::VectorXd& e() const { return e_; }

 private:
  Eigen::MatrixXd G_, E_;
  Eigen::VectorXd h_, e_;
  Eigen::VectorXd u0_;  // a least-squares solution of E u = e
  Eigen::MatrixXd N_;   // orthonormal null space of E (m x k)
  Eigen::MatrixXd A_;   // every inequality (G and the box) in z: A z <= b
  Eigen::VectorXd b_;
  Eigen::VectorXd center_;
  double radius_ = 0.0;
  bool empty_ = false;
};

}  // namespace boex
