// gp-gameopt and gp-gameopt-ibr on a small combinatorial problem whose optimum brute force knows:
// they find it, never suggest a measured, pending or out-of-pool sequence, and resume exactly.
#include <catch2/catch.hpp>
#include <optional>
#include <set>

#include "core/errors.h"
#include "core/rng.h"
#include "engine/study.h"
#include "storage/storage.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

namespace {

constexpr const char* kLetters = "ABCDEF";

// 4 sites x 6 letters (1,296 variants): additive site effects plus an epistatic pair, seeded.
struct Landscape {
  std::vector<std::vector<double>> site;  // 4 x 6
  std::vector<double> pair;               // 6 x 6, sites 0 and 1

  explicit Landscape(std::uint64_t seed) {
    Rng rng(seed);
    site.assign(4, std::vector<double>(6));
    for (auto& s : site)
      for (double& v : s) v = rng.normal();
    pair.resize(36);
    for (double& v : pair) v = 0.7 * rng.normal();
  }
  double operator()(const std::string& s) const {
    double out = pair[static_cast<std::size_t>((s[0] - 'A') * 6 + (s[1] - 'A'))];
    for (int i = 0; i < 4; ++i) out += site[i][static_cast<std::size_t>(s[i] - 'A')];
    return out;
  }
  std::vector<std::string> all() const {
    std::vector<std::string> out;
    for (int k = 0; k < 1296; ++k)
      out.push_back({kLetters[k / 216], kLetters[k / 36 % 6], kLetters[k / 6 % 6], kLetters[k % 6]});
    return out;
  }
};

SearchSpace space() { return SearchSpace({Parameter::Sequence("seq", 4, kLetters)}); }

Study::Options options(const std::string& strategy) {
  Study::Options o;
  o.direction = Direction::kMaximize;
  o.strategy = strategy;
  if (strategy.rfind("gp-gameopt", 0) == 0) o.strategy_options = R"({"game": {"rounds": 100}})";
  o.seed = 5;
  o.n_init = 10;
  return o;
}

std::string sequence(const Trial& t) { return std::get<std::string>(t.params.at("seq")); }

}  // namespace

TEST_CASE("gp-gameopt and gp-gameopt-ibr find the optimum of a 1,296-variant landscape in 60 evaluations", "[gameopt]") {
  const Landscape f(3);
  double optimum = -1e300;
  for (const std::string& s : f.all()) optimum = std::max(optimum, f(s));
  for (const char* strategy : {"gp-gameopt", "gp-gameopt-ibr"}) {
    INFO(strategy);
    TempPath db;
    Study study = Study::open(db.url(), "s", space(), options(strategy));
    std::set<std::string> seen;
    double best = -1e300;
    for (int round = 0; round < 12; ++round) {
      for (const Trial& t : study.ask(5)) {
        CHECK(seen.insert(sequence(t)).second);  // never a measured or pending sequence again
        best = std::max(best, f(sequence(t)));
        study.tell(t.id, f(sequence(t)));
      }
    }
    CHECK(best == optimum);
  }
}

TEST_CASE("with a candidate pool every strategy suggests pool variants only, none twice", "[gameopt][pool]") {
  const Landscape f(4);
  std::vector<Params> pool;
  std::set<std::string> allowed;
  Rng rng(1);
  for (const std::string& s : f.all())
    if (rng.uniform() < 0.1) {
      pool.push_back({{"seq", s}});
      allowed.insert(s);
    }
  for (const char* strategy : {"gp-gameopt", "gp-logei", "random"}) {
    INFO(strategy);
    TempPath db;
    std::shared_ptr<Storage> storage = open_storage(db.url());
    Study study = Study::open(storage, "s", space(), options(strategy));
    storage->set_candidates(study.record().id, pool);
    std::set<std::string> seen;
    for (int round = 0; round < 6; ++round) {
      const std::vector<Trial> pending = study.ask(3);  // the next ask sees these as pending
      for (const Trial& t : pending) CHECK(allowed.count(sequence(t)) == 1);
      for (const Trial& t : study.ask(3)) {
        CHECK(allowed.count(sequence(t)) == 1);
        if (std::string(strategy) != "random") CHECK(seen.insert(sequence(t)).second);
        study.tell(t.id, f(sequence(t)));
      }
      for (const Trial& t : pending) {
        if (std::string(strategy) != "random") CHECK(seen.insert(sequence(t)).second);
        study.tell(t.id, f(sequence(t)));
      }
    }
  }
}

TEST_CASE("a gp-gameopt study reopened before every ask makes the same trials", "[gameopt]") {
  const Landscape f(6);
  auto run = [&](bool reopen) {
    TempPath db;
    std::optional<Study> study;
    std::vector<std::string> out;
    for (int round = 0; round < 5; ++round) {
      if (!study || reopen) study = Study::open(db.url(), "s", space(), options("gp-gameopt"));
      for (const Trial& t : study->ask(4)) {
        out.push_back(sequence(t));
        study->tell(t.id, f(sequence(t)));
      }
    }
    return out;
  };
  CHECK(run(false) == run(true));
}

TEST_CASE("a malformed sequence, a letter outside the alphabet and a wrong length leave the study unchanged",
          "[gameopt][bad_input]") {
  TempPath db;
  Study study = Study::open(db.url(), "s", space(), options("gp-gameopt"));
  study.add_measured({{"seq", std::string("ABCD")}}, 1.0);
  CHECK_THROWS_AS(study.add_measured({{"seq", std::string("ABCG")}}, 1.0), InvalidArgument);  // G: not a letter
  CHECK_THROWS_AS(study.add_measured({{"seq", std::string("ABC")}}, 1.0), InvalidArgument);   // 3 sites of 4
  CHECK_THROWS_AS(study.enqueue({{"seq", std::string("ABCDE")}}), InvalidArgument);
  CHECK_THROWS_AS(study.enqueue({{"seq", 4.0}}), InvalidArgument);
  CHECK_THROWS_AS(study.enqueue({{"seq", std::string("ab,d")}}), InvalidArgument);
  const auto trials = Study::load(db.url(), "s").trials();
  REQUIRE(trials.size() == 1);
  CHECK(sequence(trials[0]) == "ABCD");
}
