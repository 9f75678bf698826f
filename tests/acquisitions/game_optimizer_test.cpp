// GameOpt's games on small enumerable spaces, where brute force is the truth: iterated best
// response ends on coordinate-wise local maxima and the argmax is one of them; Hedge concentrates
// on each site's best choice when the payoff is separable; batches skip avoided points.
#include <catch2/catch.hpp>
#include <algorithm>
#include <functional>
#include <memory>
#include <set>

#include "acquisitions/game_optimizer.h"
#include "acquisitions/pool_optimizer.h"
#include "core/errors.h"
#include "core/rng.h"

using namespace boex;
using Catch::Matchers::Contains;

namespace {

// A payoff given as a table over all profiles of a product space (brute force knows everything).
class TableAcquisition final : public Acquisition {
 public:
  TableAcquisition(const Sites& sites, std::function<double(const std::vector<int>&)> f) : sites_(sites), f_(std::move(f)) {}
  std::string name() const override { return "table"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override {
    if (gradient) gradient->setZero(x.size());
    return f_(sites_.profile(x));
  }

 private:
  const Sites& sites_;
  std::function<double(const std::vector<int>&)> f_;
};

std::vector<std::vector<int>> all_profiles(const Sites& sites) {
  std::vector<std::vector<int>> out{{}};
  for (int i = 0; i < sites.size(); ++i) {
    std::vector<std::vector<int>> next;
    for (const auto& p : out)
      for (int a = 0; a < sites[i].num_choices(); ++a) {
        auto q = p;
        q.push_back(a);
        next.push_back(q);
      }
    out = next;
  }
  return out;
}

bool is_local_maximum(const Sites& sites, const std::function<double(const std::vector<int>&)>& f, std::vector<int> p) {
  const double v = f(p);
  for (int i = 0; i < sites.size(); ++i) {
    const int own = p[i];
    for (int a = 0; a < sites[i].num_choices(); ++a) {
      p[i] = a;
      if (f(p) > v) return false;
    }
    p[i] = own;
  }
  return true;
}

// A rugged payoff on 3 sites x 4 letters: random site effects and pairwise interactions.
std::function<double(const std::vector<int>&)> rugged(std::uint64_t seed) {
  Rng rng(seed);
  auto table = std::make_shared<std::vector<double>>(64);
  for (double& v : *table) v = rng.normal();
  return [table](const std::vector<int>& p) { return (*table)[p[0] * 16 + p[1] * 4 + p[2]]; };
}

const SearchSpace& toy_space() {
  static const SearchSpace space({Parameter::Sequence("s", 3, "ACGT")});
  return space;
}

}  // namespace

TEST_CASE("every IBR end point is a coordinate-wise local maximum and the argmax is among them", "[game_optimizer]") {
  const Sites sites(toy_space());
  GameOptimizer::Options o;
  o.solver = "ibr";
  const GameOptimizer opt(toy_space(), o);
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto f = rugged(seed);
    const TableAcquisition acq(sites, f);
    std::vector<int> argmax;
    std::set<std::vector<int>> ends;
    for (const auto& start : all_profiles(sites)) {
      if (argmax.empty() || f(start) > f(argmax)) argmax = start;
      const GameOptimizer::Play play = opt.play(acq, start, 0);
      CHECK(is_local_maximum(sites, f, play.last));
      CHECK(f(play.last) >= f(start));  // best response never goes down
      ends.insert(play.last);
    }
    CHECK(ends.count(argmax) == 1);
    // And every local maximum is an end point (it is a fixed point of best response).
    for (const auto& p : all_profiles(sites))
      if (is_local_maximum(sites, f, p)) CHECK(ends.count(p) == 1);
  }
}

TEST_CASE("with a separable payoff Hedge concentrates on each site's best choice", "[game_optimizer]") {
  const Sites sites(toy_space());
  const std::vector<std::vector<double>> effect = {{0.1, 0.9, 0.3, 0.2}, {0.5, 0.4, 0.2, 1.0}, {0.8, 0.1, 0.7, 0.0}};
  const auto f = [&](const std::vector<int>& p) { return effect[0][p[0]] + effect[1][p[1]] + effect[2][p[2]]; };
  const TableAcquisition acq(sites, f);
  const GameOptimizer opt(toy_space(), GameOptimizer::Options());
  const GameOptimizer::Play play = opt.play(acq, {0, 0, 3}, 42);
  const std::vector<int> best = {1, 3, 0};
  for (int i = 0; i < 3; ++i) {
    Eigen::Index k = 0;
    play.probabilities[i].maxCoeff(&k);
    CHECK(k == best[i]);
    CHECK(play.probabilities[i](best[i]) > 0.99);
  }
  CHECK(play.last == best);
  AcquisitionOptimizer::Request r;
  r.seed = 3;
  r.count = 4;
  const auto result = opt.maximize(acq, r);
  REQUIRE(result.points.size() == 4);
  CHECK(sites.profile(result.points[0].x) == best);
  for (std::size_t j = 1; j < result.points.size(); ++j) CHECK(result.points[j].value <= result.points[j - 1].value);
}

TEST_CASE("a GameOpt batch is distinct, skips avoided points and is deterministic given the seed", "[game_optimizer]") {
  const Sites sites(toy_space());
  const auto f = rugged(9);
  const TableAcquisition acq(sites, f);
  for (const char* solver : {"hedge", "ibr"}) {
    INFO(solver);
    GameOptimizer::Options o;
    o.solver = solver;
    o.rounds = 60;
    const GameOptimizer opt(toy_space(), o);
    // Avoid the 10 best points of the space: the batch must come from the rest.
    auto profiles = all_profiles(sites);
    std::sort(profiles.begin(), profiles.end(), [&](const auto& a, const auto& b) { return f(a) > f(b); });
    AcquisitionOptimizer::Request r;
    r.seed = 17;
    r.count = 8;
    r.avoid.resize(10, sites.dimension());
    std::set<std::vector<int>> avoided;
    for (int k = 0; k < 10; ++k) {
      r.avoid.row(k) = sites.point(profiles[k]).transpose();
      avoided.insert(profiles[k]);
    }
    const auto result = opt.maximize(acq, r);
    REQUIRE(result.points.size() == 8);
    CHECK_FALSE(result.exhausted);
    std::set<std::vector<int>> seen;
    for (const auto& c : result.points) {
      CHECK(avoided.count(sites.profile(c.x)) == 0);
      CHECK(seen.insert(sites.profile(c.x)).second);
    }
    const auto again = opt.maximize(acq, r);
    for (std::size_t j = 0; j < 8; ++j) CHECK(again.points[j].x == result.points[j].x);
    // A used-up space still answers, with what is left first.
    r.avoid.resize(62, sites.dimension());
    for (int k = 0; k < 62; ++k) r.avoid.row(k) = sites.point(profiles[k]).transpose();
    const auto used_up = opt.maximize(acq, r);
    CHECK(used_up.exhausted);
    REQUIRE(used_up.points.size() == 8);
    const std::set<std::vector<int>> left = {sites.profile(used_up.points[0].x), sites.profile(used_up.points[1].x)};
    CHECK(left == std::set<std::vector<int>>{profiles[62], profiles[63]});
    std::set<std::vector<int>> distinct;
    for (const auto& c : used_up.points) distinct.insert(sites.profile(c.x));
    CHECK(distinct.size() == used_up.points.size());
  }
}

TEST_CASE("GameOpt refuses float spaces and bad options naming the field", "[game_optimizer]") {
  CHECK_THROWS_WITH(GameOptimizer(SearchSpace({Parameter::Float("x", 0, 1)}), GameOptimizer::Options()),
                    Contains("'x' is a float"));
  GameOptimizer::Options o;
  o.last_rounds = 500;
  CHECK_THROWS_WITH(GameOptimizer(toy_space(), o), Contains("GameOptimizer::Options::last_rounds"));
  o = GameOptimizer::Options();
  o.solver = "fictitious";
  CHECK_THROWS_WITH(GameOptimizer(toy_space(), o), Contains("solver"));
}

TEST_CASE("the pool optimiser returns the pool's best points outside those to avoid", "[pool_optimizer]") {
  const Sites sites(toy_space());
  const auto f = rugged(4);
  const TableAcquisition acq(sites, f);
  auto profiles = all_profiles(sites);
  profiles.resize(40);  // a pool of 40 of the 64 points
  Eigen::MatrixXd pool(40, sites.dimension());
  for (int k = 0; k < 40; ++k) pool.row(k) = sites.point(profiles[k]).transpose();
  std::vector<std::vector<int>> best = profiles;
  std::sort(best.begin(), best.end(), [&](const auto& a, const auto& b) { return f(a) > f(b); });
  AcquisitionOptimizer::Request r;
  r.count = 3;
  r.avoid = pool.row(std::find(profiles.begin(), profiles.end(), best[0]) - profiles.begin());
  const auto result = PoolOptimizer(pool).maximize(acq, r);
  REQUIRE(result.points.size() == 3);
  for (int j = 0; j < 3; ++j) CHECK(sites.profile(result.points[j].x) == best[j + 1]);
  CHECK(result.evaluations == 39);
  r.count = 41;
  const auto all = PoolOptimizer(pool).maximize(acq, r);
  CHECK(all.exhausted);
  CHECK(all.points.size() == 40);
  CHECK(sites.profile(all.points.back().x) == best[0]);  // the avoided one, last
  CHECK_THROWS_AS(PoolOptimizer(Eigen::MatrixXd(0, 3)), InvalidArgument);
}
