#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/rng.h"
#include "core/sobol.h"
#include "engine/model_strategy.h"
#include "engine/output_warping.h"
#include "engine/problems.h"
#include "engine/study.h"
#include "storage/storage.h"
#include "surrogates/exact_gp.h"

using namespace boex;

namespace {

OutputWarpingOptions power() {
  OutputWarpingOptions o;
  o.method = "power";
  return o;
}

Eigen::VectorXd log_normal(std::uint64_t seed, int n, double sigma) {
  Rng rng(seed);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) y(i) = std::exp(sigma * rng.normal());
  return y;
}

// ln p(y) of the best transform of either family on a grid of lambda: the truth the ML fit must reach.
double grid_log_likelihood(const Eigen::VectorXd& y) {
  double best = -INFINITY;
  for (double lambda = -3; lambda <= 3 + 1e-12; lambda += 1e-3) {
    best = std::max(best, PowerTransform::with_lambda(y, lambda, {}).log_likelihood(y));
    const bool positive = y.minCoeff() > 0, negative = y.maxCoeff() < 0;
    if (positive || negative) {
      PowerTransform::Options box_cox;
      box_cox.family = PowerFamily::kBoxCox;
      const Eigen::VectorXd m = positive ? y : Eigen::VectorXd(-y);
      best = std::max(best, PowerTransform::with_lambda(m, lambda, box_cox).log_likelihood(m));
    }
  }
  return best;
}

// A log-normal-like surface on [0, 1]^2 and fixed GP hyperparameters, for densities checked by hand.
Eigen::VectorXd exp_surface(const Eigen::MatrixXd& X) {
  Eigen::VectorXd y(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) y(i) = std::exp(3 * X(i, 0) + std::sin(5 * X(i, 1)));
  return y;
}

ExactGP::Hyperparameters fixed_hyperparameters() {
  ExactGP::Hyperparameters h;
  h.kernel = Eigen::Vector2d(std::log(0.3), std::log(0.5));
  h.noise_variance = 0.01;
  h.constant_mean = 0.2;
  return h;
}

double spearman(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const auto ranks = [](const Eigen::VectorXd& v) {
    std::vector<Eigen::Index> order(static_cast<std::size_t>(v.size()));
    for (Eigen::Index i = 0; i < v.size(); ++i) order[static_cast<std::size_t>(i)] = i;
    std::sort(order.begin(), order.end(), [&v](Eigen::Index i, Eigen::Index j) { return v(i) < v(j); });
    Eigen::VectorXd r(v.size());
    for (std::size_t k = 0; k < order.size(); ++k) r(order[k]) = static_cast<double>(k);
    return r;
  };
  const Eigen::VectorXd ra = ranks(a), rb = ranks(b);
  const Eigen::ArrayXd ca = ra.array() - ra.mean(), cb = rb.array() - rb.mean();
  return (ca * cb).sum() / std::sqrt(ca.square().sum() * cb.square().sum());
}

}  // namespace

TEST_CASE("output warping round-trips and is increasing in every family it chooses", "[output_warping]") {
  const Eigen::VectorXd positive = log_normal(1, 40, 1.5);
  const Eigen::VectorXd negative = -positive;
  const Eigen::VectorXd mixed = positive.array() - positive.mean();
  for (const Eigen::VectorXd* y : {&positive, &negative, &mixed}) {
    const OutputWarping w = OutputWarping::fit(*y, power());
    INFO("family " << w.family() << " lambda " << w.lambda());
    CHECK_FALSE(w.is_identity());
    for (Eigen::Index i = 0; i < y->size(); ++i) {
      CHECK(w.inverse(w.transform((*y)(i))) == Approx((*y)(i)).epsilon(1e-10).margin(1e-12));
      const double h = 1e-6 * std::max(1.0, std::abs((*y)(i)));
      const double slope = (w.transform((*y)(i) + h) - w.transform((*y)(i) - h)) / (2 * h);
      CHECK(w.derivative((*y)(i)) == Approx(slope).epsilon(1e-5));
      CHECK(w.derivative((*y)(i)) > 0);
    }
  }
  // Log-normal magnitudes are Box-Cox's with lambda near 0 (the log-warp); negated ones too,
  // reflected so the transform stays increasing.
  const OutputWarping p = OutputWarping::fit(positive, power());
  CHECK(p.family() == "box-cox");
  CHECK(std::abs(p.lambda()) < 0.3);
  const OutputWarping n = OutputWarping::fit(negative, power());
  CHECK(n.family() == "box-cox");
  CHECK(n.lambda() == Approx(p.lambda()));
  CHECK(n.transform(negative(0)) == Approx(-p.transform(positive(0))));
  // "none" is the identity.
  OutputWarpingOptions plain;
  plain.method = "none";
  const OutputWarping none = OutputWarping::fit(positive, plain);
  CHECK(none.is_identity());
  CHECK(none.transform(3.5) == 3.5);
}

TEST_CASE("the warp chosen maximises the data's likelihood over both families (grid search)", "[output_warping]") {
  for (std::uint64_t seed : {2, 3, 4}) {
    const Eigen::VectorXd ln = log_normal(seed, 30, 1.0);
    Rng rng(seed);
    Eigen::VectorXd gaussian(30);
    for (int i = 0; i < 30; ++i) gaussian(i) = 5.0 + rng.normal();
    for (const Eigen::VectorXd& y : {ln, Eigen::VectorXd(-ln), Eigen::VectorXd(ln.array() - 2.0), gaussian}) {
      const OutputWarping w = OutputWarping::fit(y, power());
      INFO("seed " << seed << " family " << w.family() << " lambda " << w.lambda());
      const double grid = grid_log_likelihood(y);
      CHECK(w.log_likelihood() >= grid - 1e-6);
      CHECK(w.log_likelihood() <= grid + 1e-3);  // the grid is fine enough to come close
      // Never less likely than the linear standardisation (Yeo-Johnson at lambda = 1).
      CHECK(w.log_likelihood() >= PowerTransform::with_lambda(y, 1.0, {}).log_likelihood(y) - 1e-9);
    }
  }
}

TEST_CASE("on heavy-tailed objectives the warped GP predicts held-out values better", "[output_warping]") {
  // Values spanning orders of magnitude: a log-normal-like one (GoldsteinPrice, 3 to 1e6) and
  // curved valleys at their usual boxes (Rosenbrock4, DixonPrice4), maximised as -f. 40 Sobol
  // points to fit, 300 others held out.
  for (const char* name : {"GoldsteinPrice", "Rosenbrock4", "DixonPrice4"}) {
    const Problem problem = make_problem(name);
    const int d = static_cast<int>(problem.dimension());
    const auto objective = [&problem, d](const Eigen::MatrixXd& U) {
      Eigen::VectorXd v(U.rows());
      for (Eigen::Index i = 0; i < U.rows(); ++i) {
        std::vector<double> x;
        for (int j = 0; j < d; ++j) {
          const Parameter& p = problem.space.parameters()[static_cast<std::size_t>(j)];
          x.push_back(p.low + U(i, j) * (p.high - p.low));
        }
        v(i) = -problem.evaluate(x).value;
      }
      return v;
    };
    const Eigen::MatrixXd X = sobol_points(40, d, 5), T = sobol_points(300, d, 6);
    const Eigen::VectorXd y = objective(X), truth = objective(T);
    const OutputWarping w = OutputWarping::fit(y, power());
    ExactGP plain, warped;
    plain.fit(X, y);
    warped.fit(X, w.transform(y));
    Eigen::VectorXd m_plain, v_plain, m_warped, v_warped;
    plain.predict(T, &m_plain, &v_plain);
    warped.predict(T, &m_warped, &v_warped);
    // Held-out log predictive density per point in user units (the warped one through its
    // Jacobian: p_y(y) = p_t(t(y)) dt/dy) ...
    double lpd_plain = 0, lpd_warped = 0;
    for (Eigen::Index i = 0; i < T.rows(); ++i) {
      const double s2 = v_plain(i) + plain.noise_variance();
      lpd_plain += -0.5 * (std::log(2 * M_PI * s2) + std::pow(truth(i) - m_plain(i), 2) / s2) / T.rows();
      const double t = w.transform(truth(i)), w2 = v_warped(i) + warped.noise_variance();
      lpd_warped +=
          (-0.5 * (std::log(2 * M_PI * w2) + std::pow(t - m_warped(i), 2) / w2) + std::log(w.derivative(truth(i)))) / T.rows();
    }
    // ... and the ranking of the held-out points (what an optimiser acts on; the warped mean is
    // the posterior median in user units, so its ranking is the median's).
    INFO(name << ": warp " << w.family() << " lambda " << w.lambda() << "; held-out lpd plain " << lpd_plain
              << ", warped " << lpd_warped << "; Spearman plain " << spearman(truth, m_plain) << ", warped "
              << spearman(truth, m_warped));
    CHECK(lpd_warped > lpd_plain + 0.5);
    CHECK(spearman(truth, m_warped) > spearman(truth, m_plain) + 0.02);
  }
}

TEST_CASE("the GP evidence of warped data is the multivariate normal density in user units, Jacobian included",
          "[output_warping]") {
  const Eigen::MatrixXd X = sobol_points(12, 2, 8);
  const Eigen::VectorXd y = exp_surface(X);
  const ExactGP::Hyperparameters h = fixed_hyperparameters();
  // ln N(v; mean + scale c, scale^2 (K + noise)) by hand, for a GP conditioned on v.
  const auto density = [&](const ExactGP& gp, const Eigen::VectorXd& v) {
    Eigen::MatrixXd S = gp.kernel().gram(X, h.kernel, nullptr);
    S.diagonal().array() += h.noise_variance;
    S *= gp.output_scale() * gp.output_scale();
    const Eigen::LLT<Eigen::MatrixXd> llt(S);
    const Eigen::VectorXd r = v.array() - (gp.output_mean() + gp.output_scale() * h.constant_mean);
    const Eigen::MatrixXd L = llt.matrixL();
    return -0.5 * r.dot(llt.solve(r)) - L.diagonal().array().log().sum() - 0.5 * 12 * std::log(2 * M_PI);
  };
  ExactGP plain;
  plain.condition(X, y, h);
  CHECK(gp_log_evidence(plain, OutputWarping(), y) == Approx(density(plain, y)).epsilon(1e-10));
  const OutputWarping w = OutputWarping::fit(y, power());
  ExactGP warped;
  warped.condition(X, w.transform(y), h);
  double log_jacobian = 0;
  for (int i = 0; i < 12; ++i) {
    const double e = 1e-6 * y(i);
    log_jacobian += std::log((w.transform(y(i) + e) - w.transform(y(i) - e)) / (2 * e));
  }
  CHECK(gp_log_evidence(warped, w, y) == Approx(density(warped, w.transform(y)) + log_jacobian).epsilon(1e-7));
}

TEST_CASE("output warping is a strategy option stored with the study, auto for new ones, validated by name",
          "[output_warping][strategies]") {
  const ModelStrategy::Settings defaults = ModelStrategy::Settings::resolve("gp", nlohmann::json::object());
  CHECK(defaults.to_json()["output_warping"]["method"] == "auto");
  CHECK_THROWS_WITH(ModelStrategy::Settings::resolve("gp", {{"output_warping", {{"method", "log"}}}}),
                    Catch::Matchers::Contains("method"));
  CHECK_THROWS_WITH(ModelStrategy::Settings::resolve("gp", {{"output_warping", {{"lambda_min", 4.0}}}}),
                    Catch::Matchers::Contains("lambda_min"));
  CHECK_THROWS_WITH(ModelStrategy::Settings::resolve("gp", {{"output_warping", {{"auto_tolerance", -1.0}}}}),
                    Catch::Matchers::Contains("auto_tolerance"));

  // A study with warping on stores it, resumes with it, and keeps finding better points of a
  // log-normal-like objective; the best is reported in the objective's own units.
  const Problem problem = make_problem("GoldsteinPrice");
  Study::Options o;
  o.strategy = "gp-logei";
  o.seed = 3;
  o.strategy_options = R"({"output_warping": {"method": "power"}})";
  Study study = Study::open("sqlite::memory:", "warped", problem.space, o);
  CHECK(nlohmann::json::parse(study.record().strategy_options)["output_warping"]["method"] == "power");
  double best_seen = INFINITY;
  for (int i = 0; i < 16; ++i) {
    const Trial t = study.ask();
    const double v = problem.evaluate(t.params).value;
    best_seen = std::min(best_seen, v);
    study.tell(t.id, v);
  }
  CHECK(*study.best()->value == best_seen);
  CHECK(best_seen < 30.0);  // Sobol's 5 points and 11 warped-GP steps near the optimum 3 (values span 3..1e6)
}

namespace {

OutputWarpingOptions automatic() { return OutputWarpingOptions(); }

// A GP fitted to y itself, as the strategy fits it before auto chooses.
ExactGP plain_gp(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  ExactGP gp;
  gp.fit(X, y);
  return gp;
}

}  // namespace

TEST_CASE("auto keeps the identity where the plain values are what a GP assumes", "[output_warping][auto]") {
  const Eigen::MatrixXd X = sobol_points(40, 2, 11);
  Rng rng(12);
  Eigen::VectorXd linear(40), smooth(40), gaussian(40);
  for (int i = 0; i < 40; ++i) {
    linear(i) = 3.0 * X(i, 0) - 2.0 * X(i, 1) + 7.0;
    smooth(i) = std::sin(3 * X(i, 0)) + std::cos(2 * X(i, 1)) - 1.5;  // crosses zero: Yeo-Johnson only
    gaussian(i) = 2.0 + 0.5 * rng.normal();                           // i.i.d. Gaussian, no structure
  }
  for (const Eigen::VectorXd* y : {&linear, &smooth, &gaussian}) {
    const OutputWarping w = OutputWarping::select(*y, plain_gp(X, *y), automatic());
    INFO("family " << w.family() << " lambda " << w.lambda());
    CHECK(w.is_identity());
  }
}

TEST_CASE("auto warps log-normal values with a log-like Box-Cox, reflected for negative ones", "[output_warping][auto]") {
  const Eigen::MatrixXd X = sobol_points(40, 2, 13);
  Eigen::VectorXd structured(40);
  for (int i = 0; i < 40; ++i) structured(i) = std::exp(4 * X(i, 0) + 2 * std::sin(4 * X(i, 1)));  // ln y smooth
  const Eigen::VectorXd iid = log_normal(14, 40, 1.5);                                                 // no structure
  OutputWarpingOptions best_only;  // tolerance 0: the GP likelihood's maximum itself
  best_only.auto_tolerance = 0;
  for (const Eigen::VectorXd* y : {static_cast<const Eigen::VectorXd*>(&structured), &iid}) {
    const ExactGP gp = plain_gp(X, *y);
    const OutputWarping best = OutputWarping::select(*y, gp, best_only);
    const OutputWarping w = OutputWarping::select(*y, gp, automatic());
    INFO("best " << best.family() << " " << best.lambda() << "; chosen " << w.family() << " " << w.lambda());
    CHECK(best.family() == "box-cox");
    CHECK(std::abs(best.lambda()) <= 0.2);  // the log
    // The default tolerance keeps a warp (the data reject the identity decisively), only milder.
    CHECK(w.family() == "box-cox");
    CHECK(w.lambda() >= best.lambda());
    CHECK(w.lambda() < 0.8);
    CHECK(OutputWarping::profile_log_likelihood(gp, w, *y) >=
          OutputWarping::profile_log_likelihood(gp, best, *y) - automatic().auto_tolerance);
    const Eigen::VectorXd negative = -*y;
    const OutputWarping n = OutputWarping::select(negative, plain_gp(X, negative), automatic());
    CHECK(n.family() == "box-cox");
    CHECK(n.lambda() == Approx(w.lambda()));
    CHECK(n.transform(negative(0)) == Approx(-w.transform((*y)(0))));
    CHECK(n.derivative(negative(0)) > 0);
  }
}

TEST_CASE("auto's choice does not depend on the objective's units", "[output_warping][auto]") {
  const Eigen::MatrixXd X = sobol_points(30, 3, 15);
  Eigen::VectorXd y(30);
  for (int i = 0; i < 30; ++i) y(i) = std::exp(3 * X(i, 0) * X(i, 1) + X(i, 2)) + 0.5 * X(i, 2);
  const OutputWarping w = OutputWarping::select(y, plain_gp(X, y), automatic());
  const Eigen::VectorXd scaled = 1e4 * y;
  const OutputWarping s = OutputWarping::select(scaled, plain_gp(X, scaled), automatic());
  CHECK_FALSE(w.is_identity());
  CHECK(s.family() == w.family());
  CHECK(s.lambda() == Approx(w.lambda()));
  // The likelihoods of the two differ by exactly the change of units' Jacobian, -n ln 1e4.
  CHECK(OutputWarping::profile_log_likelihood(plain_gp(X, scaled), s, scaled) ==
        Approx(OutputWarping::profile_log_likelihood(plain_gp(X, y), w, y) - 30 * std::log(1e4)).epsilon(1e-6));
}

TEST_CASE("auto's score is the Gaussian density of the warped values maximised over mean and scale, in user units",
          "[output_warping][auto]") {
  const Eigen::MatrixXd X = sobol_points(15, 2, 16);
  const Eigen::VectorXd y = exp_surface(X);
  const ExactGP::Hyperparameters h = fixed_hyperparameters();
  ExactGP gp;
  gp.condition(X, y, h);
  Eigen::MatrixXd C = gp.kernel().gram(X, h.kernel, nullptr);
  C.diagonal().array() += h.noise_variance;
  const Eigen::LLT<Eigen::MatrixXd> llt(C);
  const double log_det = 2 * Eigen::MatrixXd(llt.matrixL()).diagonal().array().log().sum();
  // ln N(t; c 1, a C) by hand.
  const auto density = [&](const Eigen::VectorXd& t, double c, double a) {
    const Eigen::VectorXd r = t.array() - c;
    return -0.5 * r.dot(llt.solve(r)) / a - 0.5 * (log_det + 15 * std::log(a)) - 0.5 * 15 * std::log(2 * M_PI);
  };
  OutputWarpingOptions box_cox_only = power();
  const OutputWarping w = OutputWarping::fit(y, box_cox_only);
  REQUIRE_FALSE(w.is_identity());
  const Eigen::VectorXd t = w.transform(y);
  double log_jacobian = 0;
  for (int i = 0; i < 15; ++i) {
    const double e = 1e-6 * y(i);
    log_jacobian += std::log((w.transform(y(i) + e) - w.transform(y(i) - e)) / (2 * e));
  }
  // The maximum over (c, a) by a coarse search then golden refinement of both, independent of the
  // closed form: a grid of c, and a's maximum for each c is q(c) / n.
  double best = -INFINITY;
  for (double c = -3; c <= 3; c += 1e-4) {
    const Eigen::VectorXd r = t.array() - c;
    best = std::max(best, density(t, c, r.dot(llt.solve(r)) / 15));
  }
  const double score = OutputWarping::profile_log_likelihood(gp, w, y);
  CHECK(score == Approx(best + log_jacobian).epsilon(1e-7));
  // The identity's score is the plain values' density the same way (no Jacobian but their own units).
  double best_plain = -INFINITY;
  for (double c = y.minCoeff(); c <= y.maxCoeff(); c += 1e-4) {
    const Eigen::VectorXd r = y.array() - c;
    best_plain = std::max(best_plain, density(y, c, r.dot(llt.solve(r)) / 15));
  }
  CHECK(OutputWarping::profile_log_likelihood(gp, OutputWarping(), y) == Approx(best_plain).epsilon(1e-7));
}

TEST_CASE("studies stored before output warping existed resume without it; new ones get auto",
          "[output_warping][strategies]") {
  const auto method_of = [](const std::string& name, const std::string& stored) {
    const auto strategy = make_strategy(name, stored);
    return dynamic_cast<const ModelStrategy&>(*strategy).settings().output_warping.method;
  };
  for (const std::string name : {"gp-logei", "gp-gameopt"}) {
    const nlohmann::json resolved = nlohmann::json::parse(resolve_strategy_options(name, ""));
    CHECK(resolved["output_warping"]["method"] == "auto");
    CHECK(method_of(name, resolved.dump()) == "auto");
    nlohmann::json legacy = resolved;
    legacy.erase("output_warping");
    CHECK(method_of(name, legacy.dump()) == "none");
    CHECK(method_of(name, "") == "none");  // stored before strategy settings existed
  }

  // Through storage: a study whose stored settings lack the key asks exactly what the same study
  // with warping off asks, on an objective where auto's warp changes the asks.
  const Problem problem = make_problem("GoldsteinPrice");
  const auto asks = [&problem](const std::string& stored_options) {
    std::shared_ptr<Storage> storage = open_storage("sqlite::memory:");
    Study::Options o;
    o.seed = 4;
    StudyRecord record;
    {
      Study created = Study::open(storage, "template", problem.space, o);
      record = created.record();
    }
    record.name = "s";
    record.strategy_options = stored_options;
    storage->create_study(record);
    Study study = Study::open(storage, "s", problem.space, o);
    std::vector<Params> out;
    for (int i = 0; i < 14; ++i) {
      const Trial t = study.ask();
      out.push_back(t.params);
      study.tell(t.id, problem.evaluate(t.params).value);
    }
    return out;
  };
  nlohmann::json current = nlohmann::json::parse(resolve_strategy_options("gp-logei", ""));
  const auto with_auto = asks(current.dump());
  current["output_warping"]["method"] = "none";
  const auto with_none = asks(current.dump());
  current.erase("output_warping");
  const auto legacy = asks(current.dump());
  CHECK(legacy == with_none);
  CHECK(with_auto != with_none);
}

TEST_CASE("the warped GP is refitted from the plain GP it was chosen with, not left at its hyperparameters",
          "[output_warping][auto]") {
  const Eigen::MatrixXd X = sobol_points(40, 2, 17);
  const Eigen::VectorXd y = exp_surface(X);
  const ExactGP plain = plain_gp(X, y);
  const OutputWarping w = OutputWarping::select(y, plain, automatic());
  REQUIRE_FALSE(w.is_identity());
  const ExactGP warped = warped_from(plain, w, y);
  CHECK(warped.data().y.isApprox(w.transform(y)));
  // Its MAP objective on the warped values is at least that of the plain GP's kernel and noise
  // with any constant mean tried (the start, or a nearby one).
  ExactGP::Hyperparameters start = plain.hyperparameters();
  const double fitted = warped.objective(warped.pack(warped.hyperparameters()), nullptr);
  for (double mean : {-0.5, 0.0, 0.5}) {
    start.constant_mean = mean;
    CHECK(fitted >= warped.objective(warped.pack(start), nullptr) - 1e-9);
  }
}
