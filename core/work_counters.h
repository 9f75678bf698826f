// How many costly steps (model fits, acquisition searches) the calling thread has run: cheap
// diagnostics that let tests and benchmarks check where work happens, e.g. that a study's turn,
// which every worker sharing the study waits for, does none of it.
#pragma once

#include <cstdint>

namespace boex {

struct WorkCounters {
  std::int64_t model_fits = 0;            // exact GPs and GP classifiers fitted (hyperparameters chosen)
  std::int64_t acquisition_searches = 0;  // global searches of an acquisition (raw samples + restarts)
};

// This thread's counters; callers take differences around the code they watch.
inline WorkCounters& this_thread_work() {
  thread_local WorkCounters counters;
  return counters;
}

}  // namespace boex
