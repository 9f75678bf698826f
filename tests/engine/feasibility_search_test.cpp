// The no-feasible-point-yet search: SCBO's trust-region rules, replayed from the violations, and
// the choice of the point a constraint model says violates least.
#include <algorithm>
#include <catch2/catch.hpp>

#include "engine/feasibility_search.h"
#include "engine/study.h"
#include "support/fixed_surrogate.h"

using namespace boex;
using namespace boex::testing;

namespace {

double length_after(std::vector<double> violations, int n_init, int d) {
  return feasibility_trust_region_length(Eigen::Map<Eigen::VectorXd>(violations.data(), violations.size()), n_init, d,
                                         FeasibilitySearchOptions());
}

// c(x) = |x - (0.7, 0.7)|^2 - 0.01, known exactly (zero variance): feasible on a small disc.
FixedSurrogate disc_constraint() {
  return FixedSurrogate(
      2, [](const Eigen::VectorXd& x, Eigen::VectorXd*) { return (x.array() - 0.7).square().sum() - 0.01; },
      [](const Eigen::VectorXd&, Eigen::VectorXd*) { return 0.0; });
}

SearchSpace unit_square() { return SearchSpace({Parameter::Float("a", 0, 1), Parameter::Float("b", 0, 1)}); }

}  // namespace

TEST_CASE("the feasibility trust region doubles after 3 improvements and halves after max(4, d) failures",
          "[feasibility]") {
  CHECK(length_after({5.0}, 1, 3) == 0.8);                 // the design alone: the initial side
  CHECK(length_after({5.0, 4.0, 3.0}, 1, 3) == 0.8);       // two improvements are not yet enough
  CHECK(length_after({5.0, 4.0, 3.0, 2.0}, 1, 3) == 1.6);  // three double it
  CHECK(length_after({5, 4, 3, 2, 1.9, 1.8, 1.7}, 1, 3) == 1.6);  // never beyond max_length
  CHECK(length_after({1, 1, 1, 1, 1}, 1, 3) == 0.4);       // four failures (d = 3 < 4) halve it
  CHECK(length_after({1, 1, 1, 1, 1}, 1, 6) == 0.8);       // with d = 6 it takes six
  CHECK(length_after({1, 1, 1, 1, 1, 1, 1}, 1, 6) == 0.4);
  CHECK(length_after({1, 1, 1, 2, 0.5}, 1, 3) == 0.8);     // an improvement resets the failure count
  CHECK(length_after({1, 0.9999999, 1, 1, 1}, 1, 3) == 0.4);  // a sliver is not an improvement
  CHECK(length_after({3, 2, 1, 1}, 3, 3) == 0.8);          // the design's own improvements do not count
}

TEST_CASE("the feasibility trust region starts again once it has shrunk below its minimum", "[feasibility]") {
  // 0.8 / 2^6 = 0.0125 after 24 failures (d = 2); the seventh halving (0.00625) is below 0.5^7.
  CHECK(length_after(std::vector<double>(25, 1.0), 1, 2) == Approx(0.0125));
  CHECK(length_after(std::vector<double>(29, 1.0), 1, 2) == 0.8);
}

TEST_CASE("the feasibility search returns a point the constraint model calls feasible, inside the trust region",
          "[feasibility]") {
  const FixedSurrogate constraint = disc_constraint();
  const SearchSpace space = unit_square();
  FeasibilitySearchInputs in;
  in.space = &space;
  in.constraints = {&constraint};
  in.X.resize(2, 2);
  in.X << 0.5, 0.5, 0.05, 0.95;
  in.violation.resize(2);
  for (int i = 0; i < 2; ++i) in.violation(i) = std::max(0.0, (in.X.row(i).array() - 0.7).square().sum() - 0.01);
  in.n_init = 2;
  in.seed = 3;
  const Eigen::VectorXd x = search_feasibility(in, FeasibilitySearchOptions());
  CHECK((x.array() - 0.7).square().sum() <= 0.01);
  CHECK((x.array() - 0.5).abs().maxCoeff() <= 0.4);  // the box of side 0.8 around (0.5, 0.5)

  // A point to avoid is never returned; the next best candidate is.
  in.avoid = x.transpose();
  const Eigen::VectorXd y = search_feasibility(in, FeasibilitySearchOptions());
  CHECK((y - x).cwiseAbs().maxCoeff() > 0.0);
  CHECK((y.array() - 0.7).square().sum() <= 0.01);
}

TEST_CASE("without a joint posterior the feasibility search draws each candidate's marginal, as from a diagonal one",
          "[feasibility]") {
  // An uncertain disc constraint: the draws matter. Independent marginals are exactly a joint
  // posterior with a diagonal covariance, so both paths must choose the same point.
  const auto uncertain_disc = [] {
    return FixedSurrogate(
        2, [](const Eigen::VectorXd& x, Eigen::VectorXd*) { return (x.array() - 0.7).square().sum() - 0.01; },
        [](const Eigen::VectorXd& x, Eigen::VectorXd*) { return 0.01 + 0.05 * x(0); });
  };
  const FixedSurrogate joint = uncertain_disc();
  FixedSurrogate marginal = uncertain_disc();
  marginal.without_joint();
  REQUIRE_FALSE(marginal.capabilities().joint);
  const SearchSpace space = unit_square();
  FeasibilitySearchInputs in;
  in.space = &space;
  in.X = Eigen::RowVector2d(0.5, 0.5);
  in.violation = Eigen::VectorXd::Constant(1, 0.07);
  in.n_init = 1;
  for (std::uint64_t seed : {1, 2, 3}) {
    in.seed = seed;
    in.constraints = {&joint};
    const Eigen::VectorXd a = search_feasibility(in, FeasibilitySearchOptions());
    in.constraints = {&marginal};
    const Eigen::VectorXd b = search_feasibility(in, FeasibilitySearchOptions());
    CHECK((a - b).cwiseAbs().maxCoeff() < 1e-12);
  }
}

TEST_CASE("with a pool the feasibility search picks the pool point the model calls feasible, never a taken one",
          "[feasibility][pool]") {
  const FixedSurrogate constraint = disc_constraint();
  const SearchSpace space = unit_square();
  FeasibilitySearchInputs in;
  in.space = &space;
  in.constraints = {&constraint};
  in.X.resize(1, 2);
  in.X << 0.5, 0.5;
  in.violation = Eigen::VectorXd::Constant(1, 0.07);
  in.seed = 3;
  // A 21 x 21 grid with step 0.05: the nine or so points within 0.1 of (0.7, 0.7) are feasible.
  Eigen::MatrixXd grid(441, 2);
  for (int i = 0; i < 441; ++i) grid.row(i) << (i / 21) * 0.05, (i % 21) * 0.05;
  in.pool = grid;
  const auto in_pool = [&](const Eigen::VectorXd& x) {
    for (int i = 0; i < grid.rows(); ++i)
      if ((grid.row(i).transpose() - x).cwiseAbs().maxCoeff() == 0.0) return true;
    return false;
  };
  std::vector<Eigen::VectorXd> found;
  in.avoid.resize(0, 2);
  for (int k = 0; k < 5; ++k) {
    const Eigen::VectorXd x = search_feasibility(in, FeasibilitySearchOptions());
    CHECK(in_pool(x));
    CHECK((x.array() - 0.7).square().sum() <= 0.01 + 1e-12);
    in.avoid.conservativeResize(in.avoid.rows() + 1, 2);
    in.avoid.bottomRows(1) = x.transpose();
    found.push_back(x);
  }
  for (std::size_t a = 0; a < found.size(); ++a)
    for (std::size_t b = 0; b < a; ++b) CHECK((found[a] - found[b]).cwiseAbs().maxCoeff() > 0.0);
  // When no pool point lies in the trust region (the box of side 0.8 around (0.5, 0.5)), the
  // nearest pool points are the candidates: the less violating corner wins.
  in.pool.resize(2, 2);
  in.pool << 0.0, 0.0, 1.0, 1.0;
  in.avoid.resize(0, 2);
  CHECK(search_feasibility(in, FeasibilitySearchOptions()) == Eigen::Vector2d(1, 1));
}

TEST_CASE("a constrained study with a pool suggests pool points only, also while nothing is feasible",
          "[feasibility][pool]") {
  const SearchSpace space = unit_square();
  std::vector<Params> pool;
  for (int i = 0; i < 60; ++i) pool.push_back({{"a", (i % 10) / 9.0}, {"b", (i / 10) / 5.0}});
  Study::Options o;
  o.n_constraints = 1;
  o.n_init = 4;
  o.seed = 9;
  Study study = Study::open("sqlite::memory:", "pool", space, o);
  study.set_candidates(pool);
  int infeasible_after_design = 0;
  for (int round = 0; round < 8; ++round)
    for (const Trial& t : study.ask(2)) {
      CHECK(std::find(pool.begin(), pool.end(), t.params) != pool.end());
      // Feasible only near the corner (1, 1): the design is unlikely to find it.
      const double c = 1.5 - std::get<double>(t.params.at("a")) - std::get<double>(t.params.at("b"));
      infeasible_after_design += round >= 2 && c > 0;
      study.tell(t.id, std::get<double>(t.params.at("a")), {c});
    }
  CHECK(infeasible_after_design < 12);  // the search moved to the feasible corner
}

TEST_CASE("feasibility search options are checked", "[feasibility]") {
  FeasibilitySearchOptions o;
  o.candidates = 0;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("candidates"));
  o = FeasibilitySearchOptions();
  o.min_length = 1.0;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("min_length"));
}
