#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>

#include "acquisitions/mixed_optimizer.h"
#include "core/errors.h"

using namespace boex;

namespace {

// A multimodal test function with a known global maximiser: a tall narrow peak and a broad
// lower one (a gradient-free start would mostly land on the broad one).
class TwoPeaks final : public Acquisition {
 public:
  std::string name() const override { return "two-peaks"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* g) const override {
    const Eigen::VectorXd a = x.array() - 0.8, b = x.array() - 0.25;
    const double pa = 2.0 * std::exp(-a.squaredNorm() / 0.01), pb = std::exp(-b.squaredNorm() / 0.2);
    if (g) *g = -pa * 2 * a / 0.01 - pb * 2 * b / 0.2;
    return pa + pb;
  }
};

// Depends on an int and a categorical as well: the best is layers = 6, solvent = "dmso", t = 0.3.
class MixedTarget final : public Acquisition {
 public:
  explicit MixedTarget(const SearchSpace& s) : space_(s) {}
  std::string name() const override { return "mixed"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* g) const override {
    const Params p = space_.decode(x);
    const double layers = static_cast<double>(std::get<std::int64_t>(p.at("layers")));
    const std::string& solvent = std::get<std::string>(p.at("solvent"));
    const double bonus = solvent == "dmso" ? 1.0 : solvent == "ethanol" ? 0.5 : 0.0;
    if (g) {
      g->setZero(x.size());
      (*g)(0) = -2 * (x(0) - 0.3);
    }
    return -(x(0) - 0.3) * (x(0) - 0.3) - 0.1 * (layers - 6) * (layers - 6) + bonus;
  }

 private:
  const SearchSpace& space_;
};

// Throws only when L-BFGS asks for a gradient, that is from inside NLopt's C callback.
class Throwing final : public Acquisition {
 public:
  std::string name() const override { return "throwing"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* g) const override {
    if (g) throw InvalidArgument("bad point");
    return x(0);
  }
};

}  // namespace

TEST_CASE("the optimiser finds the global maximum of a multimodal function", "[mixed_optimizer]") {
  const SearchSpace space({Parameter::Float("a", 0, 1), Parameter::Float("b", 0, 1), Parameter::Float("c", 0, 1)});
  const auto result = MixedOptimizer(space).maximize(TwoPeaks(), 1);
  // The narrow peak (height 2 at 0.8, nudged slightly by the broad one) is the global maximum.
  CHECK((result.best.x.array() - 0.8).abs().maxCoeff() < 5e-3);
  CHECK(result.best.value > 2.0);
  Eigen::VectorXd g;
  TwoPeaks().value(result.best.x, &g);
  CHECK(g.norm() < 1e-3);
}

TEST_CASE("the joint local search over all starts finds the same global maximum, each start kept apart",
          "[mixed_optimizer]") {
  // Counts batched calls: the joint search asks for all starts' gradients at once.
  class CountingPeaks final : public Acquisition {
   public:
    std::string name() const override { return "counting"; }
    double value(const Eigen::VectorXd& x, Eigen::VectorXd* g) const override { return peaks.value(x, g); }
    Eigen::VectorXd values_with_gradients(const Eigen::MatrixXd& X, Eigen::MatrixXd* G) const override {
      ++batched_calls;
      return Acquisition::values_with_gradients(X, G);
    }
    TwoPeaks peaks;
    mutable int batched_calls = 0;
  };
  const SearchSpace space({Parameter::Float("a", 0, 1), Parameter::Float("b", 0, 1), Parameter::Float("c", 0, 1)});
  MixedOptimizer::Options options;
  options.joint_local_search = true;
  const CountingPeaks acq;
  const auto result = MixedOptimizer(space, options).maximize(acq, 1);
  CHECK(acq.batched_calls > 0);
  CHECK(acq.batched_calls <= options.max_evaluations);
  CHECK((result.best.x.array() - 0.8).abs().maxCoeff() < 5e-3);
  CHECK(result.best.value > 2.0);
  // Starts on the broad peak converge there: the sum over starts does not drag them together.
  bool broad = false;
  for (const auto& alt : result.alternatives) broad = broad || (alt.x.array() - 0.25).abs().maxCoeff() < 0.05;
  CHECK(broad);
  // The same answer as start-by-start searches.
  const auto separate = MixedOptimizer(space).maximize(TwoPeaks(), 1);
  CHECK((result.best.x - separate.best.x).cwiseAbs().maxCoeff() < 5e-3);
}

TEST_CASE("int and categorical parameters are optimised by discrete moves, not by rounding alone",
          "[mixed_optimizer]") {
  const SearchSpace space({Parameter::Float("t", 0, 1), Parameter::Int("layers", 1, 40),
                           Parameter::Categorical("solvent", {"water", "ethanol", "dmso"})});
  MixedOptimizer::Options options;
  options.raw_samples = 16;  // few raw samples: the discrete search has to do the work
  options.num_restarts = 2;
  const auto result = MixedOptimizer(space, options).maximize(MixedTarget(space), 3);
  const Params p = space.decode(result.best.x);
  CHECK(std::get<std::int64_t>(p.at("layers")) == 6);
  CHECK(std::get<std::string>(p.at("solvent")) == "dmso");
  CHECK(std::get<double>(p.at("t")) == Approx(0.3).margin(1e-4));
  CHECK(result.best.x == space.project(result.best.x));
}

TEST_CASE("the optimiser never returns a point it is told to avoid", "[mixed_optimizer]") {
  const SearchSpace space({Parameter::Float("a", 0, 1), Parameter::Float("b", 0, 1)});
  const MixedOptimizer opt(space);
  const auto first = opt.maximize(TwoPeaks(), 1);
  const auto second = opt.maximize(TwoPeaks(), 1, first.best.x.transpose());
  CHECK((second.best.x - first.best.x).cwiseAbs().maxCoeff() > 1e-6);
}

TEST_CASE("the search's runners-up include the other peak, and rescoring them after the best is taken picks it",
          "[mixed_optimizer]") {
  const SearchSpace space({Parameter::Float("a", 0, 1), Parameter::Float("b", 0, 1)});
  const MixedOptimizer opt(space);
  const auto result = opt.maximize(TwoPeaks(), 1);
  REQUIRE((result.best.x.array() - 0.8).abs().maxCoeff() < 5e-3);
  std::vector<Eigen::VectorXd> candidates{result.best.x};
  for (const auto& c : result.alternatives) {
    CHECK((c.x - result.best.x).cwiseAbs().maxCoeff() > 1e-6);  // distinct from the best
    CHECK(c.value == Approx(TwoPeaks().value(c.x, nullptr)));
    candidates.push_back(c.x);
  }
  // Nothing avoided: the best comes back, with its value.
  const auto again = opt.rescore(TwoPeaks(), candidates, Eigen::MatrixXd());
  REQUIRE(again);
  CHECK(again->x == result.best.x);
  CHECK(again->value == Approx(TwoPeaks().value(result.best.x, nullptr)));
  // Everything on the tall peak avoided (several restarts may end there, a hair apart): the best
  // of the rest is the broad peak's top at 0.25 (found by some restart: height ~1, where anything
  // away from both peaks is below 0.5).
  Eigen::MatrixXd tall(0, 2);
  for (const Eigen::VectorXd& x : candidates)
    if ((x.array() - 0.8).abs().maxCoeff() < 0.1) {
      tall.conservativeResize(tall.rows() + 1, Eigen::NoChange);
      tall.bottomRows(1) = x.transpose();
    }
  const auto rest = opt.rescore(TwoPeaks(), candidates, tall);
  REQUIRE(rest);
  CHECK((rest->x - result.best.x).cwiseAbs().maxCoeff() > 1e-6);
  CHECK((rest->x.array() - 0.25).abs().maxCoeff() < 0.05);
  CHECK(rest->value > 0.95);
  // Every candidate avoided: none.
  Eigen::MatrixXd all(static_cast<Eigen::Index>(candidates.size()), 2);
  for (std::size_t i = 0; i < candidates.size(); ++i) all.row(static_cast<Eigen::Index>(i)) = candidates[i].transpose();
  CHECK(!opt.rescore(TwoPeaks(), candidates, all));
}

TEST_CASE("in an exhausted discrete space the optimiser still answers", "[mixed_optimizer]") {
  const SearchSpace space({Parameter::Categorical("c", {"a", "b"})});
  class Prefer final : public Acquisition {
   public:
    std::string name() const override { return "prefer"; }
    double value(const Eigen::VectorXd& x, Eigen::VectorXd*) const override { return x(0); }
  };
  const MixedOptimizer opt(space);
  const auto a = opt.maximize(Prefer(), 1);
  CHECK(a.best.x == Eigen::Vector2d(1, 0));
  const auto b = opt.maximize(Prefer(), 1, a.best.x.transpose());
  CHECK(b.best.x == Eigen::Vector2d(0, 1));
}

TEST_CASE("an exception thrown by the acquisition reaches the caller through NLopt", "[mixed_optimizer]") {
  const SearchSpace space({Parameter::Float("a", 0, 1)});
  CHECK_THROWS_WITH(MixedOptimizer(space).maximize(Throwing(), 1), "bad point");
}

TEST_CASE("bad optimiser options are rejected in Ceres' form", "[mixed_optimizer]") {
  const SearchSpace space({Parameter::Float("a", 0, 1)});
  MixedOptimizer::Options o;
  o.num_restarts = 0;
  CHECK_THROWS_WITH(MixedOptimizer(space, o), "MixedOptimizer::Options::num_restarts = 0; must be >= 1");
}
