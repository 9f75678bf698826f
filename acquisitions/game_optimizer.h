// GameOpt (Bal, Sessa, Mutny and Krause, "Optimistic Games for Combinatorial Bayesian
// Optimization", ICLR 2025): the acquisition optimiser of combinatorial spaces (sequences, products
// of categorical choices), where 20^N points cannot be enumerated and one-hot relaxations optimise
// poorly. Every site is a player choosing its value and every player receives the acquisition of
// the joint choice (UCB in GameOpt): an identical-interest game whose pure equilibria are the
// coordinate-wise local maxima of the acquisition, the global maximum among them. A round scores
// every unilateral deviation at once, sum_i |A_i| points instead of prod_i |A_i|. Several games from
// different starts are played; the profiles they end on form the pool, and its best `count` not yet
// measured or pending are the batch (the authors' code forgets to leave those out).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "acquisitions/acquisition_optimizer.h"
#include "core/sites.h"

namespace boex {

class GameOptimizer final : public AcquisitionOptimizer {
 public:
  // Defaults are those of the authors' code (melisilaydabal/gameopt): 3 games of 400 rounds,
  // eta = 0.5, the last 10 rounds' profiles pooled.
  struct Options {
    // "hedge": no-regret dynamics, the authors' default: every round each player draws its choice
    // from softmax(eta x cumulative reward), and every choice of every player is rewarded with the
    // acquisition of its unilateral deviation (full information). "ibr": iterated best response,
    // steepest single-site ascent to a pure equilibrium.
    std::string solver = "hedge";
    // Games per batch: the first from the best start given (the incumbent), the others from
    // uniformly random profiles.
    int num_games = 3;
    // Rounds of each game (IBR stops earlier, at an equilibrium).
    int rounds = 400;
    // Hedge's eta; rewards are the acquisition in units of its spread over the first round's
    // deviations, so eta means the same whatever the objective's units.
    double learning_rate = 0.5;
    // Hedge: the profiles played in each game's last rounds are its candidates.
    int last_rounds = 10;
    // Hedge: added to every choice's probability before normalising (the authors' smoothing).
    double exploration_floor = 1e-5;

    void validate() const;  // InvalidArgument naming the field
    template <class Visitor>
    void visit(Visitor& v) {
      v("solver", solver);
      v("num_games", num_games);
      v("rounds", rounds);
      v("learning_rate", learning_rate);
      v("last_rounds", last_rounds);
      v("exploration_floor", exploration_floor);
    }
  };

  // A profile (one choice index per site) and its acquisition value.
  struct Profile {
    std::vector<int> choices;
    double value = 0.0;
  };

  // One game: the candidates it yields, the players' final mixed strategies (Hedge) and the cost.
  struct Play {
    std::vector<int> last;                       // the profile of the last round (IBR: its end point)
    std::vector<Profile> played;                 // Hedge: the last rounds' profiles; IBR: the end point
    std::vector<Profile> neighbours;             // their unilateral deviations (a reserve for the batch)
    std::vector<Eigen::VectorXd> probabilities;  // Hedge: per site, the final distribution of choices
    int evaluations = 0;
  };

  // InvalidArgument when a parameter of `space` is not a finite choice (a float, a huge int).
  GameOptimizer(const SearchSpace& space, Options options);

  // request.count distinct points, none in request.avoid while anything else is left: the games'
  // played profiles best first, then their deviations, then (rarely: tiny or used-up spaces) the
  // best of every remaining point (small spaces) or of random ones.
  Result maximize(const Acquisition& acq, const Request& request) const override;
  bool batch() const override { return true; }

  // One game from `start` (round 0's profile), its random draws from `seed`.
  Play play(const Acquisition& acq, const std::vector<int>& start, std::uint64_t seed) const;
  const Sites& sites() const { return sites_; }

 private:
  // Every unilateral deviation of `profile`: row 0 is the profile itself, then for each site i and
  // each choice a != profile[i] one row. `values` gets the acquisition of each row.
  void deviations(const Acquisition& acq, const std::vector<int>& profile, Eigen::VectorXd* values) const;
  Play hedge(const Acquisition& acq, const std::vector<int>& start, std::uint64_t seed) const;
  Play best_response(const Acquisition& acq, std::vector<int> start) const;

  Sites sites_;
  Options options_;
  std::vector<std::pair<int, int>> rows_;  // (site, choice) of deviation rows 1..m-1
};

}  // namespace boex
