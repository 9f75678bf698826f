// The no-feasible-point-yet search: SCBO's trust-region rules, replayed from the violations, and
// the choice of the point a constraint model says violates least.
#include <catch2/catch.hpp>

#include "engine/feasibility_search.h"
#include "support/fixed_surrogate.h"

using namespace boex;
using namespace boex::testing;

namespace {

double length_after(std::vector<double> violations, int n_init, int d) {
  return feasibility_trust_region_length(Eigen::Map<Eigen::VectorXd>(violations.data(), violations.size()), n_init, d,
                                         FeasibilitySearchOptions());
}

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
  // c(x) = |x - (0.7, 0.7)|^2 - 0.01, known exactly (zero variance): feasible on a small disc.
  const FixedSurrogate constraint(
      2, [](const Eigen::VectorXd& x, Eigen::VectorXd*) { return (x.array() - 0.7).square().sum() - 0.01; },
      [](const Eigen::VectorXd&, Eigen::VectorXd*) { return 0.0; });
  const SearchSpace space({Parameter::Float("a", 0, 1), Parameter::Float("b", 0, 1)});
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

TEST_CASE("feasibility search options are checked", "[feasibility]") {
  FeasibilitySearchOptions o;
  o.candidates = 0;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("candidates"));
  o = FeasibilitySearchOptions();
  o.min_length = 1.0;
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("min_length"));
}
