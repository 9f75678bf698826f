// qLogNEHVI against a brute-force Monte-Carlo hypervolume improvement with independent samples.
#include <catch2/catch.hpp>
#include <cmath>

#include "acquisitions/qlog_nehvi.h"
#include "core/errors.h"
#include "core/hypervolume.h"
#include "core/pareto.h"
#include "core/rng.h"
#include "core/sobol.h"
#include "support/fixed_surrogate.h"
#include "support/gradient_check.h"
#include "support/toy_gp.h"

using namespace boex;
using namespace boex::testing;

namespace {

// A second objective in conflict with toy_function near x0 = 1.
double conflicting(const Eigen::VectorXd& x) { return std::cos(4 * x(1)) - 0.8 * x(0); }

ExactGP second_gp(int n, double noise) { return toy_gp(n, noise, 3, conflicting); }

// Mean and standard error of HV(front_s with f_s(x)) - HV(front_s) over `draws` independent joint
// samples (pseudo-random normals, a full Cholesky per model, exact hypervolumes).
std::pair<double, double> brute_force_hvi(const std::vector<const Surrogate*>& models, const Eigen::MatrixXd& baseline,
                                          const Eigen::VectorXd& x, const Eigen::VectorXd& reference, int draws) {
  const Eigen::Index m = baseline.rows();
  Eigen::MatrixXd all(m + 1, baseline.cols());
  all << baseline, x.transpose();
  std::vector<Eigen::MatrixXd> samples;
  Rng rng(20240521);
  for (const Surrogate* model : models) {
    Eigen::MatrixXd Z(draws, m + 1);
    for (Eigen::Index i = 0; i < Z.size(); ++i) Z.data()[i] = rng.normal();
    samples.push_back(model->posterior(all).samples(Z));
  }
  const Eigen::Index k = static_cast<Eigen::Index>(models.size());
  double sum = 0.0, sum2 = 0.0;
  for (int s = 0; s < draws; ++s) {
    Eigen::MatrixXd Y(m + 1, k);
    for (Eigen::Index j = 0; j < k; ++j) Y.col(j) = samples[static_cast<std::size_t>(j)].row(s).transpose();
    const double hvi = hypervolume(Y, reference) - hypervolume(Y.topRows(m), reference);
    sum += hvi;
    sum2 += hvi * hvi;
  }
  const double mean = sum / draws;
  return {mean, std::sqrt(std::max(0.0, sum2 / draws - mean * mean) / draws)};
}

}  // namespace

TEST_CASE("qLogNEHVI equals a brute-force Monte-Carlo hypervolume improvement within MC error", "[qlognehvi]") {
  const ExactGP a = toy_gp(6, 0.05), b = second_gp(6, 0.05);
  const Eigen::MatrixXd baseline = a.inputs();
  const Eigen::Vector2d reference(-1.0, -1.5);
  QLogNehviOptions options;
  options.num_samples = 4096;
  const QLogNoisyExpectedHypervolumeImprovement acq({&a, &b}, {}, baseline, reference, options);
  const Eigen::MatrixXd candidates = sobol_points(16, 2, 41);
  int compared = 0;
  for (Eigen::Index i = 0; i < candidates.rows(); ++i) {
    const Eigen::VectorXd x = candidates.row(i).transpose();
    const auto [mean, error] = brute_force_hvi({&a, &b}, baseline, x, reference, 20000);
    if (mean < 1e-3) continue;  // a rare event: the relative MC error is too large to compare
    ++compared;
    INFO("x = " << x.transpose() << ", brute force " << mean << " +- " << error);
    CHECK(std::exp(acq.value(x, nullptr)) == Approx(mean).margin(4 * error + 0.01 * mean));
  }
  CHECK(compared >= 3);
}

TEST_CASE("qLogNEHVI is deterministic and its gradient matches finite differences", "[qlognehvi]") {
  const ExactGP a = toy_gp(8, 0.01), b = second_gp(8, 0.01);
  const QLogNoisyExpectedHypervolumeImprovement acq({&a, &b}, {}, a.inputs(), Eigen::Vector2d(-1.0, -1.5));
  for (const Eigen::Vector2d x : {Eigen::Vector2d(0.33, 0.66), Eigen::Vector2d(0.9, 0.1)}) {
    CHECK(acq.value(x, nullptr) == acq.value(x, nullptr));
    Eigen::VectorXd g;
    acq.value(x, &g);
    const Eigen::VectorXd fd = finite_difference_gradient([&](const Eigen::VectorXd& z) { return acq.value(z, nullptr); }, x);
    CHECK(gradient_error(g, fd) < 1e-4);
  }
}

TEST_CASE("qLogNEHVI ignores a constraint that is far from binding and refuses bad input", "[qlognehvi]") {
  const ExactGP a = toy_gp(8, 0.01), b = second_gp(8, 0.01);
  const FixedSurrogate slack = FixedSurrogate::constant(2, -50.0, 1.0);
  const Eigen::Vector2d reference(-1.0, -1.5), x(0.4, 0.2);
  const QLogNoisyExpectedHypervolumeImprovement plain({&a, &b}, {}, a.inputs(), reference);
  const QLogNoisyExpectedHypervolumeImprovement constrained({&a, &b}, {&slack}, a.inputs(), reference);
  CHECK(constrained.value(x, nullptr) == Approx(plain.value(x, nullptr)).margin(1e-3));
  CHECK_THROWS_AS(QLogNoisyExpectedHypervolumeImprovement({&a, &b}, {}, a.inputs(), Eigen::Vector3d::Zero()), InvalidArgument);
  CHECK_THROWS_AS(QLogNoisyExpectedHypervolumeImprovement({&a, &b}, {}, Eigen::MatrixXd(0, 2), reference), InvalidArgument);
}


TEST_CASE("qLogNEHVI with a pruned baseline equals the unpruned one within MC error", "[qlognehvi]") {
  // 24 nearly noiseless observations: most are dominated in every sample and get pruned.
  const ExactGP a = toy_gp(24, 1e-4), b = second_gp(24, 1e-4);
  const Eigen::Vector2d reference(-1.0, -1.5);
  QLogNehviOptions options;
  options.num_samples = 4096;
  const QLogNoisyExpectedHypervolumeImprovement pruned({&a, &b}, {}, a.inputs(), reference, options);
  options.prune_baseline = false;
  const QLogNoisyExpectedHypervolumeImprovement full({&a, &b}, {}, a.inputs(), reference, options);
  CHECK(full.baseline_kept() == 24);
  CHECK(pruned.baseline_kept() >= 2);
  CHECK(pruned.baseline_kept() < 12);
  const Eigen::MatrixXd candidates = sobol_points(16, 2, 43);
  int compared = 0;
  for (Eigen::Index i = 0; i < candidates.rows(); ++i) {
    const Eigen::VectorXd x = candidates.row(i).transpose();
    const double expected = std::exp(full.value(x, nullptr));
    if (expected < 1e-3) continue;  // rare improvements: too few samples improve to compare
    ++compared;
    // Both average the same baseline samples; only the candidate's draw given them differs.
    INFO("x = " << x.transpose() << ", unpruned " << expected);
    CHECK(std::exp(pruned.value(x, nullptr)) == Approx(expected).epsilon(0.02));
  }
  CHECK(compared >= 3);
  const Eigen::Vector2d x(0.3, 0.7);
  Eigen::VectorXd g;
  pruned.value(x, &g);
  const Eigen::VectorXd fd = finite_difference_gradient([&](const Eigen::VectorXd& z) { return pruned.value(z, nullptr); }, x);
  CHECK(gradient_error(g, fd) < 1e-4);
}
