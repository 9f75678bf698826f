// Noisy EI (exact, one step) and the discrete knowledge gradient against independent truth.
#include <catch2/catch.hpp>
#include <cmath>

#include "acquisitions/log_ei.h"
#include "acquisitions/log_knowledge_gradient.h"
#include "acquisitions/log_noisy_ei.h"
#include "core/normal.h"
#include "core/sobol.h"
#include "support/gradient_check.h"
#include "support/quadrature.h"
#include "support/toy_gp.h"

using namespace boex;
using namespace boex::testing;

namespace {

// The look-ahead lines straight from their definition, through the joint posterior at [A; x]:
// a = mu_n, b = Sigma_n(., x) / sqrt(sigma_n^2(x) + noise), the candidate last.
struct Lines {
  Eigen::VectorXd a, b;
};

Lines lines_from_definition(const ExactGP& gp, const Eigen::MatrixXd& A, const Eigen::VectorXd& x) {
  Eigen::MatrixXd all(A.rows() + 1, A.cols());
  all << A, x.transpose();
  const Posterior post = gp.posterior(all);
  const double denom = std::sqrt(post.covariance(A.rows(), A.rows()) + gp.noise_variance());
  return {post.mean, post.covariance.col(A.rows()) / denom};
}

}  // namespace


TEST_CASE("without noise, noisy EI equals EI with the best posterior mean as incumbent", "[nei]") {
  const ExactGP gp = toy_gp(12, 1e-10);
  const Eigen::MatrixXd X = gp.inputs();
  Eigen::VectorXd mean;
  gp.predict(X, &mean, nullptr);
  const LogNoisyExpectedImprovement nei(gp, X);
  const LogExpectedImprovement ei(gp, mean.maxCoeff());
  for (const Eigen::Vector2d& x : {Eigen::Vector2d(0.12, 0.9), Eigen::Vector2d(0.6, 0.4), Eigen::Vector2d(0.95, 0.05)})
    CHECK(nei.value(x, nullptr) == Approx(ei.value(x, nullptr)).epsilon(1e-5));
}

TEST_CASE("with noise, noisy EI matches a quadrature of its definition and its gradient finite differences",
          "[nei]") {
  const ExactGP gp = toy_gp(10, 0.05);
  const Eigen::MatrixXd X = gp.inputs();
  const LogNoisyExpectedImprovement nei(gp, X);
  // A point where NEI is far from negligible: the best of a space-filling set.
  const Eigen::MatrixXd grid = sobol_points(128, 2, 8);
  Eigen::Index at = 0;
  nei.values(grid).maxCoeff(&at);
  const Eigen::Vector2d x = grid.row(at).transpose();
  const Lines lines = lines_from_definition(gp, X, x);
  const double truth = expected_max_quadrature(lines.a, lines.b) - lines.a.head(X.rows()).maxCoeff();
  REQUIRE(truth > 1e-3);
  CHECK(std::exp(nei.value(x, nullptr)) == Approx(truth).epsilon(1e-6));
  Eigen::VectorXd g;
  nei.value(x, &g);
  CHECK(gradient_error(g, finite_difference_gradient([&](const Eigen::VectorXd& z) { return nei.value(z, nullptr); }, x)) < 1e-5);
}

TEST_CASE("the knowledge gradient over one other point takes the two-line closed form", "[kg]") {
  const ExactGP gp = toy_gp(8, 0.02);
  const Eigen::MatrixXd A = Eigen::RowVector2d(0.5, 0.5);
  const LogKnowledgeGradient kg(gp, A);
  const Eigen::Vector2d x(0.3, 0.6);
  const Lines l = lines_from_definition(gp, A, x);
  const double db = std::abs(l.b(1) - l.b(0));
  const double closed = db * normal::h(-std::abs(l.a(0) - l.a(1)) / db);
  CHECK(std::exp(kg.value(x, nullptr)) == Approx(closed).epsilon(1e-10));
}

TEST_CASE("the knowledge gradient matches quadrature and finite differences on a larger set", "[kg]") {
  const ExactGP gp = toy_gp(10, 0.02);
  const Eigen::MatrixXd A = sobol_points(30, 2, 4);
  const LogKnowledgeGradient kg(gp, A);
  const Eigen::Vector2d x(0.81, 0.27);
  const Lines lines = lines_from_definition(gp, A, x);
  const double truth = expected_max_quadrature(lines.a, lines.b) - lines.a.maxCoeff();
  CHECK(std::exp(kg.value(x, nullptr)) == Approx(truth).epsilon(1e-6));
  Eigen::VectorXd g;
  kg.value(x, &g);
  CHECK(gradient_error(g, finite_difference_gradient([&](const Eigen::VectorXd& z) { return kg.value(z, nullptr); }, x)) < 1e-5);
}

TEST_CASE("noisy EI and the knowledge gradient keep their log-space slope where their value underflows",
          "[nei][kg]") {
  // Next to the worst of twelve nearly noiseless observations the posterior is sure the point is
  // far below the best: NEI and KG are around e^-10^4, and exp() of them is 0 in double. Their
  // logs still slope towards better points, and the optimiser must see that slope.
  const ExactGP gp = toy_gp(12, 1e-6);
  const Eigen::MatrixXd X = gp.inputs();
  Eigen::Index worst = 0;
  gp.data().y.minCoeff(&worst);
  const Eigen::Vector2d x = X.row(worst).transpose() + Eigen::Vector2d(0.004, -0.003);
  const LogNoisyExpectedImprovement nei(gp, X);
  const LogKnowledgeGradient kg(gp, X);
  for (const Acquisition* acq : std::initializer_list<const Acquisition*>{&nei, &kg}) {
    INFO(acq->name());
    Eigen::VectorXd g;
    const double value = acq->value(x, &g);
    REQUIRE(std::isfinite(value));
    REQUIRE(value < -745);
    CHECK(g.norm() > 0);
    const Eigen::VectorXd numeric = finite_difference_gradient([&](const Eigen::VectorXd& z) { return acq->value(z, nullptr); }, x, 1e-7);
    CHECK(gradient_error(g, numeric) < 1e-4 * numeric.norm());
  }
}
