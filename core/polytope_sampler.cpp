#include "core/polytope_sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/errors.h"
#include "core/lbfgs.h"
#include "core/rng.h"

namespace boex {
namespace {

// Scales every row to unit norm, so that violations are distances in the cube; drops rows that
// are zero (their right-hand side alone decides: `bad` is set when it cannot hold).
void normalise_rows(Eigen::MatrixXd& M, Eigen::VectorXd& r, bool equality, bool* bad) {
  Eigen::MatrixXd keep(M.rows(), M.cols());
  Eigen::VectorXd keep_r(M.rows());
  Eigen::Index n = 0;
  for (Eigen::Index i = 0; i < M.rows(); ++i) {
    const double norm = M.row(i).norm();
    if (norm <= 1e-14) {
      if (equality ? std::abs(r(i)) > Polytope::kTolerance : r(i) < -Polytope::kTolerance) *bad = true;
      continue;
    }
    keep.row(n) = M.row(i) / norm;
    keep_r(n++) = r(i) / norm;
  }
  M = keep.topRows(n);
  r = keep_r.head(n);
}

// argmin |v - u|^2 over P by SLSQP from `start` (feasible up to SLSQP's accuracy).
Eigen::VectorXd nearest(const Polytope& p, const Eigen::VectorXd& u, const Eigen::VectorXd& start) {
  const Objective distance = [&u](const Eigen::VectorXd& v, Eigen::VectorXd& grad) {
    grad = v - u;
    return 0.5 * grad.squaredNorm();
  };
  LbfgsOptions options;
  options.max_evaluations = 500;
  options.relative_ftol = 1e-15;
  options.relative_xtol = 1e-14;
  const Eigen::Index m = p.dimension();
  return minimize_linear_constrained(distance, start, Eigen::VectorXd::Zero(m), Eigen::VectorXd::Ones(m), p.G(), p.h(), p.E(),
                                     p.e(), options).x;
}

}  // namespace

Polytope::Polytope(Eigen::MatrixXd G, Eigen::VectorXd h, Eigen::MatrixXd E, Eigen::VectorXd e)
    : G_(std::move(G)), E_(std::move(E)), h_(std::move(h)), e_(std::move(e)) {
  const Eigen::Index m = std::max(G_.cols(), E_.cols());
  if ((G_.rows() > 0 && G_.cols() != m) || (E_.rows() > 0 && E_.cols() != m) || G_.rows() != h_.size() ||
      E_.rows() != e_.size())
    throw InvalidArgument("Polytope: G, h, E and e have mismatched shapes");
  if (!G_.allFinite() || !h_.allFinite() || !E_.allFinite() || !e_.allFinite())
    throw InvalidArgument("Polytope: constraints must be finite");
  G_.conservativeResize(G_.rows(), m);
  E_.conservativeResize(E_.rows(), m);
  normalise_rows(G_, h_, false, &empty_);
  normalise_rows(E_, e_, true, &empty_);

  // Equalities: u = u0 + N z.
  if (E_.rows() > 0) {
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(E_, Eigen::ComputeFullU | Eigen::ComputeFullV);
    svd.setThreshold(1e-10);
    const auto rank = svd.rank();
    u0_ = svd.solve(e_);
    N_ = svd.matrixV().rightCols(m - rank);
    if ((E_ * u0_ - e_).cwiseAbs().maxCoeff() > kTolerance) empty_ = true;  // inconsistent equalities
  } else {
    u0_ = Eigen::VectorXd::Zero(m);
    N_ = Eigen::MatrixXd::Identity(m, m);
  }
  const Eigen::Index k = N_.cols();
  A_.resize(G_.rows() + 2 * m, k);
  b_.resize(G_.rows() + 2 * m);
  A_ << G_ * N_, N_, -N_;
  b_ << h_ - G_ * u0_, Eigen::VectorXd::Ones(m) - u0_, u0_;

  if (k == 0) {
    center_ = u0_;
    radius_ = 0.0;
    if (violation(center_) > kTolerance) empty_ = true;
    return;
  }
  // Chebyshev centre: the z maximising the least scaled slack min_i (b_i - A_i z) / |A_i|, a
  // concave function. Maximised as its smooth lower bound, the soft minimum
  // -t ln sum_i exp(-slack_i / t) (within t ln(rows) of it), by L-BFGS with t shrinking to 1e-7;
  // a negative maximum means P is empty.
  Eigen::VectorXd norms = A_.rowwise().norm();
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < A_.rows(); ++i) {
    if (norms(i) > 1e-14) {
      rows.push_back(i);
    } else if (b_(i) < -kTolerance) {
      empty_ = true;  // a row constant in z that fails
    }
  }
  Eigen::MatrixXd As(static_cast<Eigen::Index>(rows.size()), k);
  Eigen::VectorXd bs(As.rows());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    As.row(static_cast<Eigen::Index>(r)) = A_.row(rows[r]) / norms(rows[r]);
    bs(static_cast<Eigen::Index>(r)) = b_(rows[r]) / norms(rows[r]);
  }
  const double reach = std::sqrt(static_cast<double>(m)) + u0_.norm() + 1.0;
  Eigen::VectorXd z = Eigen::VectorXd::Zero(k);
  for (double t = 0.1; t > 0.5e-7; t /= 4.0) {
    const Objective soft_min = [&](const Eigen::VectorXd& zz, Eigen::VectorXd& grad) {
      const Eigen::ArrayXd e = -(bs - As * zz).array() / t;  // -slack / t
      const double top = e.maxCoeff();
      const Eigen::ArrayXd w = (e - top).exp();
      const double total = w.sum();
      grad = As.transpose() * (w / total).matrix();  // d(t ln sum exp(-slack/t)) / dz
      return t * (top + std::log(total));             // minimise -(soft min)
    };
    LbfgsOptions options;
    options.max_evaluations = 300;
    options.relative_ftol = 1e-14;
    options.relative_xtol = 1e-14;
    z = minimize_lbfgs(soft_min, z, Eigen::VectorXd::Constant(k, -reach), Eigen::VectorXd::Constant(k, reach), options).x;
  }
  center_ = u0_ + N_ * z;
  radius_ = As.rows() > 0 ? (bs - As * z).minCoeff() : 0.0;
  if (!empty_ && violation(center_) > kTolerance && violation(center_) < 1e-4) {
    // A flat P (inequalities that pinch to a face) leaves the soft minimum's answer just outside:
    // its projection onto P (a QP, which SLSQP solves well) decides.
    center_ = nearest(*this, center_, center_);
    radius_ = 0.0;
  }
  if (violation(center_) > kTolerance) empty_ = true;
}

double Polytope::violation(const Eigen::VectorXd& u) const {
  if (u.size() == 0) return empty_ ? std::numeric_limits<double>::infinity() : -1.0;
  double v = std::max((-u).maxCoeff(), (u.array() - 1.0).maxCoeff());
  if (G_.rows() > 0) v = std::max(v, (G_ * u - h_).maxCoeff());
  if (E_.rows() > 0) v = std::max(v, (E_ * u - e_).cwiseAbs().maxCoeff());
  return v;
}

Eigen::MatrixXd Polytope::sample(int n, std::uint64_t seed) const {
  if (empty_) throw StateError("Polytope::sample: the polytope is empty");
  const Eigen::Index m = dimension(), k = degrees_of_freedom();
  Eigen::MatrixXd out(n, m);
  if (k == 0) {
    for (int i = 0; i < n; ++i) out.row(i) = center_.transpose();
    return out;
  }
  Rng rng(seed);
  Eigen::VectorXd z = N_.transpose() * (center_ - u0_), d(k);
  const auto step = [&] {
    for (Eigen::Index j = 0; j < k; ++j) d(j) = rng.normal();
    d /= std::max(d.norm(), 1e-300);
    const Eigen::VectorXd a = A_ * d, slack = b_ - A_ * z;
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    for (Eigen::Index i = 0; i < a.size(); ++i) {
      const double s = std::max(slack(i), 0.0);
      if (a(i) > 1e-14) hi = std::min(hi, s / a(i));
      if (a(i) < -1e-14) lo = std::max(lo, s / a(i));
    }
    const double u = rng.uniform();
    if (std::isfinite(lo) && std::isfinite(hi) && lo <= hi) z += (lo + (hi - lo) * u) * d;
  };
  const int burn_in = 20 + 10 * static_cast<int>(k), thin = 3 + static_cast<int>(k);
  for (int s = 0; s < burn_in; ++s) step();
  for (int i = 0; i < n; ++i) {
    for (int s = 0; s < thin; ++s) step();
    out.row(i) = (u0_ + N_ * z).cwiseMax(0.0).cwiseMin(1.0).transpose();
  }
  return out;
}

Eigen::VectorXd Polytope::repair(const Eigen::VectorXd& u) const {
  if (empty_ || degrees_of_freedom() == 0) return empty_ ? u.cwiseMax(0.0).cwiseMin(1.0) : center_;
  const Eigen::VectorXd zc = N_.transpose() * (center_ - u0_);
  const Eigen::VectorXd w = N_.transpose() * (u - u0_) - zc;  // (u's orthogonal projection onto E u = e) - centre
  const Eigen::VectorXd a = A_ * w, slack = (b_ - A_ * zc).cwiseMax(0.0);
  double t = 1.0;
  for (Eigen::Index i = 0; i < a.size(); ++i)
    if (a(i) > 0 && a(i) * t > slack(i)) t = slack(i) / a(i);
  return (u0_ + N_ * (zc + std::max(t, 0.0) * w)).cwiseMax(0.0).cwiseMin(1.0);
}

Eigen::VectorXd Polytope::project(const Eigen::VectorXd& u) const {
  if (u.size() != dimension()) throw InvalidArgument("Polytope::project: point of the wrong dimension");
  if (empty_ || degrees_of_freedom() == 0) return repair(u);
  if (contains(u, 1e-12)) return u;
  // Pythagoras: the projection of u is that of its projection onto E u = e, taken within that
  // affine set, where z coordinates are Euclidean (N is orthonormal). Dykstra's alternating
  // projections onto the half-spaces A_i z <= b_i converge to it (Boyle and Dykstra 1986).
  const Eigen::Index k = degrees_of_freedom(), rows = A_.rows();
  Eigen::VectorXd z = N_.transpose() * (u - u0_);
  Eigen::MatrixXd correction = Eigen::MatrixXd::Zero(k, rows);
  const Eigen::VectorXd norms2 = A_.rowwise().squaredNorm();
  for (int sweep = 0; sweep < 10000; ++sweep) {
    double moved = 0.0;
    for (Eigen::Index i = 0; i < rows; ++i) {
      if (norms2(i) <= 1e-28) continue;
      const Eigen::VectorXd y = z + correction.col(i);
      const double excess = A_.row(i).dot(y) - b_(i);
      const Eigen::VectorXd next = excess > 0 ? Eigen::VectorXd(y - (excess / norms2(i)) * A_.row(i).transpose()) : y;
      correction.col(i) = y - next;
      moved = std::max(moved, (next - z).cwiseAbs().maxCoeff());
      z = next;
    }
    if (moved < 1e-13) break;
  }
  return repair(u0_ + N_ * z);
}

}  // namespace boex
