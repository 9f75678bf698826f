#include "acquisitions/game_optimizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "core/errors.h"
#include "core/heap.h"
#include "core/rng.h"

namespace boex {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
// Spaces of at most this many points are enumerated when the games leave a batch short.
constexpr double kMaxEnumerated = 65536;
// Random profiles tried per missing point of a batch in larger spaces.
constexpr int kRandomTriesPerPoint = 50;

void require(bool ok, const std::string& field, const std::string& rule, double value) {
  if (ok) return;
  std::ostringstream os;
  os << "GameOptimizer::Options::" << field << " = " << value << "; must be " << rule;
  throw InvalidArgument(os.str());
}

double sanitized(double v) { return std::isnan(v) ? kNegInf : v; }

// Best first; among equal values the earlier found (games in order, rounds in order).
void sort_best_first(std::vector<GameOptimizer::Profile>& profiles) {
  std::stable_sort(profiles.begin(), profiles.end(),
                   [](const GameOptimizer::Profile& a, const GameOptimizer::Profile& b) { return a.value > b.value; });
}

}  // namespace

void GameOptimizer::Options::validate() const {
  if (solver != "hedge" && solver != "ibr")
    throw InvalidArgument("GameOptimizer::Options::solver = \"" + solver + "\"; must be \"hedge\" or \"ibr\"");
  require(num_games >= 1, "num_games", ">= 1", num_games);
  require(rounds >= 1, "rounds", ">= 1", rounds);
  require(std::isfinite(learning_rate) && learning_rate > 0, "learning_rate", "a finite number > 0", learning_rate);
  require(last_rounds >= 1 && last_rounds <= rounds, "last_rounds", "in 1..rounds", last_rounds);
  require(std::isfinite(exploration_floor) && exploration_floor >= 0 && exploration_floor < 1, "exploration_floor",
          "in [0, 1)", exploration_floor);
}

GameOptimizer::GameOptimizer(const SearchSpace& space, Options options) : sites_(space), options_(std::move(options)) {
  options_.validate();
  for (int i = 0; i < sites_.size(); ++i)
    for (int a = 0; a < sites_[i].num_choices(); ++a) rows_.push_back({i, a});
}

void GameOptimizer::deviations(const Acquisition& acq, const std::vector<int>& profile, Eigen::VectorXd* values) const {
  const Eigen::VectorXd x = sites_.point(profile);
  // Row 0 is the profile; then one row per (site, other choice), in site then choice order.
  Eigen::MatrixXd X(static_cast<Eigen::Index>(rows_.size()) - sites_.size() + 1, x.size());
  X.row(0) = x.transpose();
  Eigen::Index r = 1;
  for (const auto& [site, choice] : rows_) {
    if (choice == profile[static_cast<std::size_t>(site)]) continue;
    X.row(r) = x.transpose();
    sites_.assign(X, r, site, choice);
    ++r;
  }
  *values = acq.values(X).unaryExpr(&sanitized);
}

GameOptimizer::Play GameOptimizer::hedge(const Acquisition& acq, const std::vector<int>& start, std::uint64_t seed) const {
  const int n = sites_.size();
  Rng rng(seed);
  // Cumulative scaled rewards per site and choice, shifted so each site's largest is 0: the
  // weights exp(eta S) of Hedge without overflow (the authors multiply raw weights until inf).
  std::vector<Eigen::VectorXd> S(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) S[i] = Eigen::VectorXd::Zero(sites_[i].num_choices());
  auto probabilities = [&](int i) {
    Eigen::VectorXd p = (S[i].array() - S[i].maxCoeff()).exp();
    p = p / p.sum();
    p.array() += options_.exploration_floor;
    return Eigen::VectorXd(p / p.sum());
  };
  Play play;
  std::vector<int> profile = start;
  Eigen::VectorXd values;
  double scale = 1.0;
  for (int t = 0; t < options_.rounds; ++t) {
    if (t > 0) {
      for (int i = 0; i < n; ++i) {
        const Eigen::VectorXd p = probabilities(i);
        double u = rng.uniform();
        int a = 0;
        for (; a + 1 < p.size() && u >= p(a); ++a) u -= p(a);
        profile[static_cast<std::size_t>(i)] = a;
      }
    }
    deviations(acq, profile, &values);
    play.evaluations += static_cast<int>(values.size());
    if (t == 0) {
      // The unit of reward: the spread of the acquisition over the first round's deviations.
      std::vector<double> finite;
      for (Eigen::Index r = 0; r < values.size(); ++r)
        if (std::isfinite(values(r))) finite.push_back(values(r));
      if (finite.size() > 1) {
        double mean = 0.0, sq = 0.0;
        for (double v : finite) mean += v;
        mean /= static_cast<double>(finite.size());
        for (double v : finite) sq += (v - mean) * (v - mean);
        const double sd = std::sqrt(sq / static_cast<double>(finite.size()));
        if (sd > 0 && std::isfinite(sd)) scale = sd;
      }
    }
    // A choice no point of which has a finite value gets the round's worst finite reward.
    const double floor_value = values.array().isFinite().any()
                                   ? values.unaryExpr([](double v) { return std::isfinite(v) ? v : INFINITY; }).minCoeff()
                                   : 0.0;
    const bool recording = t >= options_.rounds - options_.last_rounds;
    Eigen::Index r = 1;
    for (int i = 0; i < n; ++i) {
      for (int a = 0; a < sites_[i].num_choices(); ++a) {
        const double v = a == profile[static_cast<std::size_t>(i)] ? values(0) : values(r++);
        S[i](a) += options_.learning_rate * (std::isfinite(v) ? v : floor_value) / scale;
        if (recording && a != profile[static_cast<std::size_t>(i)]) {
          std::vector<int> deviation = profile;
          deviation[static_cast<std::size_t>(i)] = a;
          play.neighbours.push_back({std::move(deviation), v});
        }
      }
      S[i].array() -= S[i].maxCoeff();
    }
    if (recording) play.played.push_back({profile, values(0)});
  }
  play.last = profile;
  for (int i = 0; i < n; ++i) play.probabilities.push_back(probabilities(i));
  return play;
}

GameOptimizer::Play GameOptimizer::best_response(const Acquisition& acq, std::vector<int> profile) const {
  Play play;
  Eigen::VectorXd values;
  for (int moves = 0;; ++moves) {
    deviations(acq, profile, &values);
    play.evaluations += static_cast<int>(values.size());
    // The best deviation; ties go to the first in site, then choice order (a stable choice).
    Eigen::Index best = 0;
    for (Eigen::Index r = 1; r < values.size(); ++r)
      if (values(r) > values(best)) best = r;
    if (best == 0 || moves == options_.rounds) break;
    Eigen::Index r = 1;
    for (const auto& [site, choice] : rows_) {
      if (choice == profile[static_cast<std::size_t>(site)]) continue;
      if (r++ == best) {
        profile[static_cast<std::size_t>(site)] = choice;
        break;
      }
    }
  }
  play.last = profile;
  play.played.push_back({profile, values(0)});
  Eigen::Index r = 1;
  for (const auto& [site, choice] : rows_) {
    if (choice == profile[static_cast<std::size_t>(site)]) continue;
    std::vector<int> deviation = profile;
    deviation[static_cast<std::size_t>(site)] = choice;
    play.neighbours.push_back({std::move(deviation), values(r++)});
  }
  return play;
}

GameOptimizer::Play GameOptimizer::play(const Acquisition& acq, const std::vector<int>& start, std::uint64_t seed) const {
  if (static_cast<int>(start.size()) != sites_.size())
    throw InvalidArgument("GameOptimizer::play: the start needs one choice per site");
  for (int i = 0; i < sites_.size(); ++i)
    if (start[static_cast<std::size_t>(i)] < 0 || start[static_cast<std::size_t>(i)] >= sites_[i].num_choices())
      throw InvalidArgument("GameOptimizer::play: the start's choice at site " + std::to_string(i) + " is out of range");
  return options_.solver == "ibr" ? best_response(acq, start) : hedge(acq, start, seed);
}

AcquisitionOptimizer::Result GameOptimizer::maximize(const Acquisition& acq, const Request& request) const {
  retain_freed_memory();
  const int d = sites_.dimension();
  for (const Eigen::MatrixXd* m : {&request.avoid, &request.starts})
    if (m->size() != 0 && m->cols() != d)
      throw InvalidArgument("GameOptimizer: points to avoid and starts must have the space's dimension");
  if (request.count < 1) throw InvalidArgument("GameOptimizer: count must be >= 1");

  std::set<std::vector<int>> avoided;
  for (Eigen::Index i = 0; i < request.avoid.rows(); ++i) avoided.insert(sites_.profile(request.avoid.row(i).transpose()));

  Rng rng(request.seed);
  std::vector<Profile> played, neighbours;
  Result result;
  for (int g = 0; g < options_.num_games; ++g) {
    std::vector<int> start(static_cast<std::size_t>(sites_.size()));
    if (g < request.starts.rows()) {
      start = sites_.profile(request.starts.row(g).transpose());
    } else {
      for (int i = 0; i < sites_.size(); ++i)
        start[static_cast<std::size_t>(i)] = static_cast<int>(rng.index(static_cast<std::uint64_t>(sites_[i].num_choices())));
    }
    Play game = play(acq, start, mix_seed(request.seed, static_cast<std::uint64_t>(g) + 1));
    result.evaluations += game.evaluations;
    played.insert(played.end(), game.played.begin(), game.played.end());
    neighbours.insert(neighbours.end(), game.neighbours.begin(), game.neighbours.end());
  }

  std::set<std::vector<int>> taken;
  std::vector<Profile> leftovers;  // avoided candidates, in case the batch cannot be filled otherwise
  auto take_from = [&](std::vector<Profile>& tier) {
    sort_best_first(tier);
    for (Profile& p : tier) {
      if (static_cast<int>(result.points.size()) >= request.count) return;
      if (taken.count(p.choices)) continue;
      taken.insert(p.choices);
      if (avoided.count(p.choices)) {
        leftovers.push_back(p);
        continue;
      }
      result.points.push_back({sites_.point(p.choices), p.value});
    }
  };
  take_from(played);
  take_from(neighbours);

  if (static_cast<int>(result.points.size()) < request.count) {
    // The games' neighbourhoods are used up (a small space, or most of it measured): score what is
    // left, every point of a small space or random ones of a large one.
    std::vector<std::vector<int>> extra;
    if (sites_.log_size() <= std::log(kMaxEnumerated)) {
      std::vector<int> profile(static_cast<std::size_t>(sites_.size()), 0);
      for (bool more = true; more;) {
        if (!taken.count(profile) && !avoided.count(profile)) extra.push_back(profile);
        more = false;
        for (int i = 0; i < sites_.size() && !more; ++i) {
          if (++profile[static_cast<std::size_t>(i)] < sites_[i].num_choices()) {
            more = true;
          } else {
            profile[static_cast<std::size_t>(i)] = 0;
          }
        }
      }
    } else {
      const int tries = kRandomTriesPerPoint * (request.count - static_cast<int>(result.points.size()));
      std::set<std::vector<int>> drawn;
      for (int k = 0; k < tries; ++k) {
        std::vector<int> profile(static_cast<std::size_t>(sites_.size()));
        for (int i = 0; i < sites_.size(); ++i)
          profile[static_cast<std::size_t>(i)] = static_cast<int>(rng.index(static_cast<std::uint64_t>(sites_[i].num_choices())));
        if (!taken.count(profile) && !avoided.count(profile) && drawn.insert(profile).second) extra.push_back(profile);
      }
    }
    if (!extra.empty()) {
      Eigen::MatrixXd X(static_cast<Eigen::Index>(extra.size()), d);
      for (std::size_t k = 0; k < extra.size(); ++k) X.row(static_cast<Eigen::Index>(k)) = sites_.point(extra[k]).transpose();
      const Eigen::VectorXd values = acq.values(X).unaryExpr(&sanitized);
      result.evaluations += static_cast<int>(values.size());
      std::vector<Profile> scored;
      for (std::size_t k = 0; k < extra.size(); ++k) scored.push_back({extra[k], values(static_cast<Eigen::Index>(k))});
      take_from(scored);
    }
  }
  if (static_cast<int>(result.points.size()) < request.count) {
    result.exhausted = true;
    sort_best_first(leftovers);
    for (const Profile& p : leftovers) {
      if (static_cast<int>(result.points.size()) >= request.count) break;
      result.points.push_back({sites_.point(p.choices), p.value});
    }
  }
  return result;
}

}  // namespace boex
