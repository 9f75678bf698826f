// A worker process for the storage conformance tests, on the Storage interface alone (no
// strategy, so writers collide as often as the backend lets them):
//   add:   COUNT times, add one running trial with the optimistic rule (read the count, add only
//          if it is unchanged, else read again), heartbeat it, tell it;
//   claim: claim waiting trials until none is left, telling each;
//   turns: COUNT times, add one trial in the study's turn (add_trials_in_turn), printing "chose"
//          for every call of its choice and "added <number> <since> <seen>" (the count it read
//          before, the trials its choice saw), then tell it;
//   hold:  take the study's turn, print "holding" and wait there until killed.
// Prints "told <id> <value>" after every finish_trial has returned.
//
//   storage_worker URL STUDY add|claim|turns|hold COUNT SEED
#include <unistd.h>

#include <Eigen/Dense>
#include <cstdio>
#include <string>

#include "core/errors.h"
#include "core/rng.h"
#include "storage/storage.h"

namespace {

boex::TrialResult completed(double value) {
  boex::TrialResult r;
  r.value = value;
  return r;
}

void told(const boex::Trial& t, double value) {
  std::printf("told %lld %.17g\n", static_cast<long long>(t.id), value);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) return std::fprintf(stderr, "usage: storage_worker URL STUDY add|claim|turns|hold COUNT SEED\n"), 2;
  const std::string mode = argv[3];
  const int count = std::stoi(argv[4]);
  boex::Rng rng(std::stoull(argv[5]));
  try {
    auto storage = boex::open_storage(argv[1]);
    const auto study = storage->find_study(argv[2]);
    if (!study) throw boex::NotFound(std::string("no study ") + argv[2]);
    if (mode == "claim") {
      while (auto t = storage->claim_waiting(study->id)) {
        const double value = rng.uniform();
        storage->finish_trial(study->id, t->id, completed(value));
        told(*t, value);
      }
      return 0;
    }
    if (mode == "hold") {
      storage->add_trials_in_turn(study->id, storage->count_trials(study->id), [](const std::vector<boex::Trial>&) {
        std::printf("holding\n");
        std::fflush(stdout);
        for (;;) pause();
        return std::vector<boex::Trial>();
      });
      return 0;
    }
    for (int i = 0; i < count; ++i) {
      boex::Trial fresh;
      Eigen::VectorXd x(study->space.dimension());
      for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = rng.uniform();
      fresh.params = study->space.decode(x);
      std::optional<std::vector<boex::Trial>> added;
      if (mode == "turns") {
        const std::int64_t since = storage->count_trials(study->id);
        std::size_t seen_count = 0;
        added = storage->add_trials_in_turn(study->id, since, [&](const std::vector<boex::Trial>& seen) {
          std::printf("chose\n");
          seen_count = seen.size();
          return std::vector<boex::Trial>{fresh};
        });
        std::printf("added %lld %lld %zu\n", static_cast<long long>(added->front().number), static_cast<long long>(since),
                    seen_count);
      }
      while (!added) added = storage->add_trials(study->id, {fresh}, storage->count_trials(study->id));
      const boex::Trial& t = added->front();
      storage->heartbeat(study->id, t.id);
      const double value = rng.uniform();
      storage->finish_trial(study->id, t.id, completed(value));
      told(t, value);
    }
  } catch (const boex::Error& e) {
    std::fprintf(stderr, "%s: %s\n", e.kind(), e.what());
    return 1;
  }
  return 0;
}
