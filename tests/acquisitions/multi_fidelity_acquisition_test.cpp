// The cost-aware multi-fidelity acquisitions against independent truth: the multi-fidelity
// knowledge gradient equals a brute-force quadrature over fantasy observations (GPs conditioned on
// each), reduces to the knowledge gradient at the target, divides by the cost, and has finite-
// difference gradients; augmented EI is EI at the target without noise and with one cost.
#include <catch2/catch.hpp>
#include <cmath>

#include "acquisitions/log_augmented_ei.h"
#include "acquisitions/log_ei.h"
#include "acquisitions/log_knowledge_gradient.h"
#include "acquisitions/multi_fidelity_knowledge_gradient.h"
#include "core/normal.h"
#include "core/sobol.h"
#include "support/gradient_check.h"
#include "surrogates/multi_fidelity_gp.h"

using namespace boex;
using namespace boex::testing;

namespace {

// A multi-fidelity GP (fidelity last, target 1) at fixed hyperparameters on a biased function
// observed at a cheap fidelity (0.25) and at the target.
std::unique_ptr<ExactGP> toy_mf_gp(double noise) {
  const Eigen::MatrixXd Z = sobol_points(7, 2, 8);
  Eigen::MatrixXd X(7, 3);
  Eigen::VectorXd y(7);
  for (Eigen::Index i = 0; i < 7; ++i) {
    const double s = i < 5 ? 0.25 : 1.0;
    X.row(i) << Z(i, 0), Z(i, 1), s;
    y(i) = std::sin(5 * Z(i, 0)) * std::cos(3 * Z(i, 1)) + Z(i, 0) - 0.4 * (1 - s) * Z(i, 1);
  }
  auto gp = make_multi_fidelity_gp(MultiFidelityGpOptions(), FidelityColumn());
  ExactGP::Hyperparameters h;
  h.kernel.resize(6);
  h.kernel << std::log(0.3), std::log(0.4), std::log(0.5), std::log(0.6), std::log(0.4), std::log(1.5);
  h.noise_variance = noise;
  gp->condition(X, y, h);
  return gp;
}

FidelityInputs fidelity_with_cost() {
  FidelityInputs f;
  f.column = 2;
  f.target = 1.0;
  f.cost = [](const Eigen::VectorXd& x, Eigen::VectorXd* gradient) {
    if (gradient) *gradient = Eigen::Vector3d(0.0, 0.0, 1.0);
    return 5.0 + x(2);
  };
  return f;
}

// E[max_a mu_{n+1}(a)] - max_a mu_n(a) over a in A and x's projection to the target, by Simpson
// quadrature over the fantasy observation at x: each fantasy a GP conditioned on (x, y).
double kg_by_fantasies(const ExactGP& gp, const Eigen::MatrixXd& A_target, const Eigen::VectorXd& x) {
  Eigen::MatrixXd points(A_target.rows() + 1, 3);
  points << A_target, x.head(2).transpose(), 1.0;
  Eigen::VectorXd mean_now;
  gp.predict(points, &mean_now, nullptr);
  double mean_x = 0.0, variance_x = 0.0;
  gp.predict_with_gradient(x, &mean_x, &variance_x, nullptr, nullptr);
  const double sd = std::sqrt(variance_x + gp.noise_variance());
  const int n = 4000;
  const double lo = -10.0, h = 20.0 / n;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double z = lo + i * h, w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
    const ExactGP fantasy = gp.conditioned(x.transpose(), Eigen::VectorXd::Constant(1, mean_x + sd * z));
    Eigen::VectorXd mean_next;
    fantasy.predict(points, &mean_next, nullptr);
    sum += w * mean_next.maxCoeff() * normal::pdf(z);
  }
  return sum * h / 3 - mean_now.maxCoeff();
}

}  // namespace

TEST_CASE("the multi-fidelity knowledge gradient equals a quadrature over fantasy models, per unit cost", "[mfkg]") {
  const auto gp = toy_mf_gp(0.02);
  const Eigen::MatrixXd A = sobol_points(12, 3, 31);  // projected to the target inside
  FidelityInputs fidelity = fidelity_with_cost();
  const LogMultiFidelityKnowledgeGradient kg(*gp, A, fidelity);
  Eigen::MatrixXd A_target = A.leftCols(2);
  for (const Eigen::Vector3d x : {Eigen::Vector3d(0.62, 0.31, 0.25), Eigen::Vector3d(0.2, 0.8, 0.6)}) {
    INFO(x.transpose());
    Eigen::MatrixXd A3(A.rows(), 3);
    A3 << A_target, Eigen::VectorXd::Ones(A.rows());
    const double truth = kg_by_fantasies(*gp, A3, x);
    REQUIRE(truth > 0.0);
    INFO("quadrature " << truth);
    CHECK(std::exp(kg.log_value_of_information(x, nullptr)) == Approx(truth).epsilon(1e-4));
    CHECK(kg.value(x, nullptr) == Approx(std::log(truth) - std::log(5.0 + x(2))).epsilon(1e-4));
    Eigen::VectorXd g;
    kg.value(x, &g);
    CHECK(gradient_error(g, finite_difference_gradient([&](const Eigen::VectorXd& z) { return kg.value(z, nullptr); }, x)) < 1e-5);
  }
}

TEST_CASE("at the target fidelity with one cost the multi-fidelity knowledge gradient is the knowledge gradient", "[mfkg]") {
  const auto gp = toy_mf_gp(0.02);
  Eigen::MatrixXd A(15, 3);
  A << sobol_points(15, 2, 5), Eigen::VectorXd::Ones(15);
  FidelityInputs fidelity = fidelity_with_cost();
  fidelity.cost = nullptr;  // 1 everywhere
  const LogMultiFidelityKnowledgeGradient mf(*gp, A, fidelity);
  const LogKnowledgeGradient kg(*gp, A);
  for (const Eigen::Vector3d x : {Eigen::Vector3d(0.4, 0.7, 1.0), Eigen::Vector3d(0.9, 0.1, 1.0)})
    CHECK(mf.value(x, nullptr) == Approx(kg.value(x, nullptr)).epsilon(1e-10));
}

TEST_CASE("a cheaper fidelity earns the knowledge gradient more per unit cost only when it still informs the target",
          "[mfkg]") {
  const auto gp = toy_mf_gp(0.02);
  Eigen::MatrixXd A(20, 3);
  A << sobol_points(20, 2, 9), Eigen::VectorXd::Ones(20);
  const LogMultiFidelityKnowledgeGradient kg(*gp, A, fidelity_with_cost());
  // s = 0 decouples the bias term least: its information is less than the target's, but not zero.
  const Eigen::Vector3d high(0.45, 0.55, 1.0), low(0.45, 0.55, 0.0);
  const double info_high = kg.log_value_of_information(high, nullptr), info_low = kg.log_value_of_information(low, nullptr);
  CHECK(info_low < info_high);
  CHECK(std::isfinite(info_low));
  CHECK(kg.value(low, nullptr) - kg.value(high, nullptr) == Approx(info_low - info_high + std::log(6.0 / 5.0)));
}

TEST_CASE("augmented EI is EI at the target without noise and with one cost, and has finite-difference gradients", "[aei]") {
  const auto noiseless = toy_mf_gp(1e-10);
  FidelityInputs fidelity = fidelity_with_cost();
  fidelity.cost = nullptr;
  const LogAugmentedExpectedImprovement aei(*noiseless, noiseless->inputs(), fidelity);
  const LogExpectedImprovement ei(*noiseless, aei.effective_best());
  const Eigen::Vector3d x(0.33, 0.71, 1.0);
  // The noise factor 1 - s_e / sqrt(sigma^2 + s_e^2) is all that remains, and it vanishes with the noise.
  double mean = 0.0, variance = 0.0;
  noiseless->predict_with_gradient(x, &mean, &variance, nullptr, nullptr);
  const double factor = 1.0 - std::sqrt(noiseless->noise_variance() / (variance + noiseless->noise_variance()));
  CHECK(factor > 1.0 - 1e-4);
  CHECK(aei.value(x, nullptr) == Approx(ei.value(x, nullptr) + std::log(factor)).epsilon(1e-12));
  // The effective best is the best posterior mean at the target among the observed design points
  // (without noise, mu - sigma is the mean at points observed at the target).
  const auto noisy = toy_mf_gp(0.05);
  const LogAugmentedExpectedImprovement with_cost(*noisy, noisy->inputs(), fidelity_with_cost());
  for (const Eigen::Vector3d z : {Eigen::Vector3d(0.62, 0.31, 0.2), Eigen::Vector3d(0.15, 0.9, 0.7)}) {
    Eigen::VectorXd g;
    with_cost.value(z, &g);
    CHECK(gradient_error(g, finite_difference_gradient([&](const Eigen::VectorXd& u) { return with_cost.value(u, nullptr); }, z)) <
          1e-5);
  }
  // The cost ratio rewards the cheap point by exactly ln(c_target / c_cheap) over the rest of AEI.
  const LogAugmentedExpectedImprovement one_cost(*noisy, noisy->inputs(), fidelity);
  const Eigen::Vector3d cheap(0.62, 0.31, 0.2);
  CHECK(with_cost.value(cheap, nullptr) - one_cost.value(cheap, nullptr) == Approx(std::log(6.0 / 5.2)));
}
