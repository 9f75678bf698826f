// Landscape problems: a variant,fitness table read strictly, Kauffman's NK model against its
// definition, and a GameOpt study that finds an NK landscape's optimum with batches.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "core/errors.h"
#include "engine/landscape_problem.h"
#include "engine/study.h"

using namespace boex;

TEST_CASE("a variant,fitness table reads with its header and CRLF lines; malformed tables are refused", "[landscape]") {
  const Landscape l = Landscape::from_csv("variant,fitness\r\nAC,0.5\r\nCA,1.25\r\n\r\nAA,-2\r\n", "t");
  CHECK(l.length == 2);
  CHECK(l.alphabet == "AC");
  CHECK(l.fitness.size() == 3);
  CHECK(l.maximum() == 1.25);
  CHECK(l.top(2) == std::vector<std::string>{"CA", "AC"});
  CHECK_THROWS_AS(Landscape::from_csv("AC,1\nACA,2\n", "t"), InvalidArgument);  // lengths differ
  CHECK_THROWS_AS(Landscape::from_csv("AC,1\nAC,2\n", "t"), InvalidArgument);   // a repeat
  CHECK_THROWS_AS(Landscape::from_csv("AC,high\n", "t"), InvalidArgument);
  CHECK_THROWS_AS(Landscape::from_csv("AC,nan\n", "t"), InvalidArgument);
  CHECK_THROWS_AS(Landscape::from_csv("variant,fitness\n", "t"), InvalidArgument);
}

TEST_CASE("an NK landscape with k = 0 is additive over sites and tabulates every variant in [0, 1]", "[landscape]") {
  const Landscape l = Landscape::nk(5, "ACGT", 0, 7);
  REQUIRE(l.fitness.size() == 1024);
  for (const auto& [v, f] : l.fitness) CHECK((f >= 0.0 && f <= 1.0));
  // Additive: exchanging site 0 between two variants leaves the sum of their fitnesses alone.
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{{"ACGTA", "GTTCA"}, {"AAAAA", "TTTTT"}}) {
    std::string a2 = a, b2 = b;
    std::swap(a2[0], b2[0]);
    CHECK(l.fitness.at(a) + l.fitness.at(b) == Approx(l.fitness.at(a2) + l.fitness.at(b2)).epsilon(1e-12));
  }
  // With k = 2 the interaction shows: the same exchange does change the sum somewhere.
  const Landscape rugged = Landscape::nk(5, "ACGT", 2, 7);
  double largest = 0.0;
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{{"ACGTA", "GTTCA"}, {"AAAAA", "TTTTT"}, {"CAGAT", "TGCCG"}}) {
    std::string a2 = a, b2 = b;
    std::swap(a2[0], b2[0]);
    largest = std::max(largest, std::abs(rugged.fitness.at(a) + rugged.fitness.at(b) - rugged.fitness.at(a2) - rugged.fitness.at(b2)));
  }
  CHECK(largest > 1e-3);
  CHECK(Landscape::nk(5, "ACGT", 2, 7).fitness == rugged.fitness);  // seeded
  CHECK(Landscape::nk(5, "ACGT", 2, 8).fitness != rugged.fitness);
  CHECK_THROWS_AS(Landscape::nk(3, "ACGT", 3, 0), InvalidArgument);   // k must be below the sites
  CHECK_THROWS_AS(Landscape::nk(11, "ACGT", 2, 0), InvalidArgument);  // 4^11 variants
}

TEST_CASE("a landscape problem minimises -fitness and a variant missing from the table evaluates to NaN", "[landscape]") {
  const Problem p = landscape_problem("t", Landscape::from_csv("AC,0.5\nCA,1.25\n", "t"));
  CHECK(p.optimal_value == -1.25);
  CHECK(p.evaluate(Params{{"variant", std::string("AC")}}).value == -0.5);
  CHECK(std::isnan(p.evaluate(Params{{"variant", std::string("AA")}}).value));
  CHECK_THROWS_AS(p.evaluate(Params{{"variant", std::string("AX")}}), InvalidArgument);
  CHECK(make_problem("NK5").space.parameters().front().length == 5);
  CHECK_THROWS_AS(make_problem("landscape:/nonexistent/gb1.csv"), InvalidArgument);
}

TEST_CASE("gp-gameopt-ibr reaches a top-5 variant of a rugged NK landscape (1,024 variants) in 8 batches of 8",
          "[landscape][gameopt]") {
  const Landscape nk = Landscape::nk(5, "ACGT", 2, 0);
  const Problem p = make_problem("NK5");
  REQUIRE(p.optimal_value == -nk.maximum());
  Study::Options o;
  o.strategy = "gp-gameopt-ibr";
  o.seed = 1;
  o.n_init = 16;
  Study study = Study::open("sqlite::memory:", "nk", p.space, o);
  std::set<std::string> seen;
  double best = INFINITY;
  for (int batch = 0; batch < 8; ++batch)
    for (const Trial& t : study.ask(8)) {
      CHECK(seen.insert(std::get<std::string>(t.params.at("variant"))).second);
      const double v = p.evaluate(t.params).value;
      best = std::min(best, v);
      study.tell(t.id, v);
    }
  // Random search finds a top-5 variant in 64 draws with probability 1 - (1 - 5/1024)^64 = 27 %.
  CHECK(-best >= nk.fitness.at(nk.top(5).back()));
}
