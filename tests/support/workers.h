// The worker processes of the multi-process tests (study_worker, storage_worker) print
// "asked <id>" when a trial is handed to them and "told <id> <value>" once its tell has returned;
// this reads those lines back. "asked" lines carry the ask's latency in seconds as their value.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "engine/study.h"

namespace boex::testing {

// Trial id -> value of the lines starting with `word` (NaN for lines without a value).
inline std::map<std::int64_t, double> worker_lines(const std::string& text, const std::string& word) {
  std::map<std::int64_t, double> out;
  std::istringstream in(text);
  std::string first, line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    long long id;
    if (!(fields >> first >> id) || first != word) continue;
    double value = std::numeric_limits<double>::quiet_NaN();
    fields >> value;
    out[id] = value;
  }
  return out;
}

inline std::map<std::int64_t, double> told_lines(const std::string& text) { return worker_lines(text, "told"); }

// A worker's loop: `count` times ask, evaluate (taking eval_ms, with a heartbeat every 50 ms),
// tell, printing the lines above.
template <class Objective>
void work(Study& study, int count, int eval_ms, Objective objective) {
  for (int i = 0; i < count; ++i) {
    const auto asked_at = std::chrono::steady_clock::now();
    const Trial t = study.ask();
    const double latency = std::chrono::duration<double>(std::chrono::steady_clock::now() - asked_at).count();
    std::printf("asked %lld %.6f\n", static_cast<long long>(t.id), latency);
    std::fflush(stdout);
    for (int waited = 0; waited < eval_ms; waited += 50) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, eval_ms - waited)));
      study.heartbeat(t.id);
    }
    const double value = objective(t.params);
    study.tell(t.id, value);
    std::printf("told %lld %.17g\n", static_cast<long long>(t.id), value);
    std::fflush(stdout);
  }
}

}  // namespace boex::testing
