// What happens in a study's turn, which every worker sharing the study waits for: a choice made
// outside it is corrected for the trials other workers added meanwhile (Strategy::amend) without
// a model fit or an acquisition search, never repeats a point another worker took, and threads
// asking at once lose and duplicate nothing.
#include <catch2/catch.hpp>
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "acquisitions/registry.h"
#include "core/sobol.h"
#include "core/work_counters.h"
#include "engine/problems.h"
#include "engine/study.h"
#include "support/storage_backends.h"
#include "surrogates/surrogate_registry.h"

using namespace boex;
using namespace boex::testing;

namespace {

const Problem& branin() {
  static const Problem problem = make_problem("Branin");
  return problem;
}

// Branin (maximising -f) at 12 Sobol points, nothing pending: a model-based request.
SuggestRequest branin_request(int count) {
  SuggestRequest r;
  r.space = &branin().space;
  r.study_seed = 5;
  r.n_init = 4;
  r.count = count;
  History& h = r.history;
  h.X = sobol_points(12, 2, 3);
  h.y.resize(12);
  for (Eigen::Index i = 0; i < 12; ++i) h.y(i) = -branin().evaluate(branin().space.decode(h.X.row(i).transpose())).value;
  h.C.resize(12, 0);
  h.cost = Eigen::VectorXd::Constant(12, std::numeric_limits<double>::quiet_NaN());
  h.X_pending.resize(0, 2);
  h.X_failed.resize(0, 2);
  h.num_trials = 12;
  return r;
}

// The request as the turn sees it once another worker added `taken` (pending).
SuggestRequest grown_by(SuggestRequest r, const Eigen::VectorXd& taken) {
  r.history.X_pending.conservativeResize(r.history.X_pending.rows() + 1, Eigen::NoChange);
  r.history.X_pending.bottomRows(1) = taken.transpose();
  r.history.num_trials += 1;
  return r;
}

double max_abs(const Eigen::VectorXd& v) { return v.cwiseAbs().maxCoeff(); }

// LogEI of an independently fitted GP of the same data, believing `pending` at its mean: a
// yardstick for the amended point that shares no code path with the strategy's choice.
std::unique_ptr<Acquisition> yardstick(const SuggestRequest& r, std::shared_ptr<const Surrogate>* keep) {
  const SurrogateEntry& gp = surrogate_entry("gp");
  std::unique_ptr<Surrogate> model = gp.make(gp.resolve(nlohmann::json::object(), "gp"), 1);
  model->fit(Dataset{r.history.X, r.history.y, Eigen::VectorXd(), {}});
  Eigen::VectorXd mean;
  model->predict(r.history.X_pending, &mean, nullptr);
  *keep = model->condition_on(r.history.X_pending, mean);
  AcquisitionInputs inputs;
  inputs.objective = keep->get();
  inputs.X_observed = r.history.X;
  inputs.best = r.history.y.maxCoeff();
  return make_acquisition("logei", inputs);
}

}  // namespace

TEST_CASE("with nothing added meanwhile the choice made ahead is exactly what suggest() returns", "[turn]") {
  for (const char* name : {"gp-logei", "gp-qlognei", "sobol"}) {
    INFO(name);
    const SuggestRequest r = branin_request(2);
    const auto strategy = make_strategy(name);
    const auto prepared = strategy->prepare(r);
    const auto ahead = strategy->choose_ahead(r, prepared.get());
    const std::vector<Eigen::VectorXd> suggested = strategy->suggest(r);
    REQUIRE(ahead->points.size() == suggested.size());
    for (std::size_t j = 0; j < suggested.size(); ++j) CHECK(ahead->points[j] == suggested[j]);
  }
}

TEST_CASE("a point another worker took meanwhile is replaced by a good runner-up without a model fit or a search",
          "[turn]") {
  for (const char* name : {"gp-logei", "gp-qlognei", "gp-ucb"}) {
    INFO(name);
    const SuggestRequest r = branin_request(1);
    const auto strategy = make_strategy(name);
    const auto prepared = strategy->prepare(r);
    const auto ahead = strategy->choose_ahead(r, prepared.get());
    // Another worker with the same snapshot chose (and added) the very same point first.
    const SuggestRequest grown = grown_by(r, ahead->points[0]);
    const WorkCounters before = this_thread_work();
    const std::vector<Eigen::VectorXd> amended = strategy->amend(grown, prepared.get(), *ahead);
    CHECK(this_thread_work().model_fits == before.model_fits);
    CHECK(this_thread_work().acquisition_searches == before.acquisition_searches);
    REQUIRE(amended.size() == 1);
    CHECK(max_abs(amended[0] - ahead->points[0]) > 1e-6);  // never the same point twice
    CHECK(branin().space.project(amended[0]) == amended[0]);
    // Deterministic: the same snapshot and the same trials added give the same point.
    CHECK(strategy->amend(grown, prepared.get(), *ahead)[0] == amended[0]);
    if (std::string(name) != "gp-logei") continue;
    // The runner-up is worth running: under an independent GP's LogEI (the taken point believed)
    // it beats nine in ten points of the space.
    std::shared_ptr<const Surrogate> model;
    const auto acq = yardstick(grown, &model);
    const Eigen::VectorXd space_values = acq->values(sobol_points(256, 2, 11));
    std::vector<double> sorted(space_values.data(), space_values.data() + space_values.size());
    std::sort(sorted.begin(), sorted.end());
    CHECK(acq->value(amended[0], nullptr) > sorted[230]);
  }
}

TEST_CASE("an amended batch keeps its points apart from each other and from the point taken meanwhile", "[turn]") {
  const SuggestRequest r = branin_request(3);
  const auto strategy = make_strategy("gp-logei");
  const auto prepared = strategy->prepare(r);
  const auto ahead = strategy->choose_ahead(r, prepared.get());
  REQUIRE(ahead->points.size() == 3);
  const SuggestRequest grown = grown_by(r, ahead->points[1]);
  const WorkCounters before = this_thread_work();
  const std::vector<Eigen::VectorXd> amended = strategy->amend(grown, prepared.get(), *ahead);
  CHECK(this_thread_work().model_fits == before.model_fits);
  CHECK(this_thread_work().acquisition_searches == before.acquisition_searches);
  REQUIRE(amended.size() == 3);
  for (std::size_t j = 0; j < 3; ++j) {
    CHECK(max_abs(amended[j] - ahead->points[1]) > 1e-6);
    for (std::size_t k = 0; k < j; ++k) CHECK(max_abs(amended[j] - amended[k]) > 1e-6);
  }
}

TEST_CASE("a model-free strategy chooses again in the turn: the Sobol sequence continues after the trials added",
          "[turn]") {
  const SuggestRequest r = branin_request(1);
  const auto strategy = make_strategy("sobol");
  const auto ahead = strategy->choose_ahead(r, nullptr);
  const SuggestRequest grown = grown_by(r, ahead->points[0]);
  const std::vector<Eigen::VectorXd> amended = strategy->amend(grown, nullptr, *ahead);
  const std::vector<Eigen::VectorXd> expected = sobol_design(branin().space, r.study_seed, 13, 1);
  REQUIRE(amended.size() == 1);
  CHECK(amended[0] == expected[0]);
  CHECK(max_abs(amended[0] - ahead->points[0]) > 1e-6);
}

TEST_CASE("threads asking one SQLite study at once correct their choices in the turn without fitting or searching "
          "there, and lose and duplicate nothing",
          "[turn][concurrency]") {
  SqliteFile backend;
  Study::Options o;
  o.strategy = "gp-logei";
  o.n_init = 4;
  {
    Study study = Study::open(backend.url(), "turns", branin().space, o);
    const Eigen::MatrixXd X = sobol_points(6, 2, 3);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      const Params p = branin().space.decode(X.row(i).transpose());
      study.add_measured(p, branin().evaluate(p).value);
    }
  }
  constexpr int kThreads = 4, kRounds = 6;
  // The threads start each round's ask together, so most read the same snapshot and all but the
  // first to reach the turn find trials added meanwhile.
  std::mutex mutex;
  std::condition_variable cv;
  int arrived = 0, round_open = 0;
  std::string errors;  // a failing thread releases the others, which then stop
  const auto start_round = [&](int round) {
    std::unique_lock<std::mutex> lock(mutex);
    if (++arrived == kThreads * (round + 1)) {
      round_open = round + 1;
      cv.notify_all();
    }
    cv.wait(lock, [&] { return round_open > round || !errors.empty(); });
    return errors.empty();
  };
  std::vector<Study::TurnReport> reports[kThreads];
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w)
    threads.emplace_back([&, w] {
      try {
        Study study = Study::load(backend.url(), "turns");  // its own connection
        for (int round = 0; round < kRounds && start_round(round); ++round) {
          const Trial t = study.ask();
          reports[w].push_back(study.last_turn());
          study.tell(t.id, branin().evaluate(t.params).value);
        }
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mutex);
        errors += std::string(e.what()) + "\n";
        cv.notify_all();
      }
    });
  for (auto& t : threads) t.join();
  INFO(errors);
  REQUIRE(errors.empty());
  int amended = 0;
  for (const auto& per_thread : reports)
    for (const Study::TurnReport& r : per_thread) {
      amended += r.added_meanwhile > 0;
      CHECK(r.model_fits == 0);
      CHECK(r.acquisition_searches == 0);
    }
  CHECK(amended > 0);  // the turns did have something to correct
  const std::vector<Trial> trials = Study::load(backend.url(), "turns").trials();
  REQUIRE(trials.size() == 6 + kThreads * kRounds);
  std::set<std::vector<double>> points;
  for (const Trial& t : trials) {
    CHECK(t.state == TrialState::kComplete);  // every trial asked was told
    const Eigen::VectorXd x = branin().space.encode(t.params);
    CHECK(points.insert(std::vector<double>(x.data(), x.data() + x.size())).second);  // no point twice
    CHECK(t.number == static_cast<std::int64_t>(&t - trials.data()));                // numbers 0..n-1
  }
}
