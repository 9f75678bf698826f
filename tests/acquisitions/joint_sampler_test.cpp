// Joint posterior samples for Monte-Carlo acquisitions: independent models get independent base
// samples, and a sampler restricted to some baseline columns keeps their samples and draws the
// candidate from its posterior given them alone.
#include <catch2/catch.hpp>
#include <cmath>

#include "acquisitions/joint_sampler.h"
#include "core/rng.h"
#include "core/sobol.h"
#include "support/toy_gp.h"

using namespace boex;
using namespace boex::testing;

namespace {

double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::VectorXd x = a.array() - a.mean(), y = b.array() - b.mean();
  return x.dot(y) / std::sqrt(x.squaredNorm() * y.squaredNorm());
}

}  // namespace

TEST_CASE("independent models get uncorrelated base samples, one model the plain sampler's", "[joint_sampler]") {
  // The same GP twice: identical samples column by column would mean shared base normals.
  const ExactGP gp = toy_gp(8, 0.01);
  const Eigen::MatrixXd baseline = gp.inputs();
  const int N = 1024;
  for (std::uint64_t seed : {1u, 7u, 12345u}) {
    const auto sources = make_independent_sample_sources({&gp, &gp, &gp}, baseline, N, seed);
    REQUIRE(sources.size() == 3);
    const Eigen::Vector2d x(0.4, 0.6);
    std::vector<Eigen::VectorXd> at_x(3);
    for (int i = 0; i < 3; ++i) sources[static_cast<std::size_t>(i)]->candidate(x, &at_x[static_cast<std::size_t>(i)], nullptr);
    // Independent: sample correlations within 5 standard errors (1 / sqrt(N)) of zero.
    const double bound = 5.0 / std::sqrt(static_cast<double>(N));
    for (int i = 0; i < 3; ++i)
      for (int j = i + 1; j < 3; ++j) {
        for (Eigen::Index b = 0; b < baseline.rows(); ++b)
          CHECK(std::abs(correlation(sources[static_cast<std::size_t>(i)]->baseline_samples().col(b),
                                     sources[static_cast<std::size_t>(j)]->baseline_samples().col(b))) < bound);
        CHECK(std::abs(correlation(at_x[static_cast<std::size_t>(i)], at_x[static_cast<std::size_t>(j)])) < bound);
      }
    const auto one = make_independent_sample_sources({&gp}, baseline, N, seed);
    CHECK(one.front()->baseline_samples() == make_sample_source(gp, baseline, N, seed)->baseline_samples());
  }
}

TEST_CASE("a restricted sampler keeps its columns' samples and draws the candidate given them alone", "[joint_sampler]") {
  const ExactGP gp = toy_gp(10, 0.05);
  const Eigen::MatrixXd baseline = sobol_points(12, 2, 5);
  const int N = 8192;
  const auto full = make_sample_source(gp, baseline, N, 3);
  const std::vector<Eigen::Index> keep = {1, 4, 9};
  const auto pruned = full->restricted(keep);
  REQUIRE(pruned);
  for (std::size_t c = 0; c < keep.size(); ++c)
    CHECK((pruned->baseline_samples().col(static_cast<Eigen::Index>(c)) - full->baseline_samples().col(keep[c])).cwiseAbs().maxCoeff() < 1e-12);
  // The samples of (kept columns, x) have the posterior's joint mean and covariance: the exact
  // moments, against the empirical ones within a few standard errors.
  const Eigen::Vector2d x(0.55, 0.35);
  Eigen::VectorXd fx;
  Eigen::MatrixXd dfx;
  pruned->candidate(x, &fx, &dfx);
  Eigen::MatrixXd points(4, 2);
  points << baseline.row(1), baseline.row(4), baseline.row(9), x.transpose();
  const Posterior truth = gp.posterior(points);
  Eigen::MatrixXd S(N, 4);
  S << pruned->baseline_samples(), fx;
  const Eigen::RowVectorXd mean = S.colwise().mean();
  const Eigen::MatrixXd centred = S.rowwise() - mean;
  const Eigen::MatrixXd cov = centred.transpose() * centred / (N - 1);
  const double scale = truth.covariance.diagonal().maxCoeff();
  for (int i = 0; i < 4; ++i) {
    CHECK(mean(i) == Approx(truth.mean(i)).margin(5 * std::sqrt(scale / N)));
    for (int j = 0; j < 4; ++j) CHECK(cov(i, j) == Approx(truth.covariance(i, j)).margin(0.05 * scale));
  }
}
