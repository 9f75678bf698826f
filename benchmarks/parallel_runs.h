// The benchmarks' runs are independent: this hands indices [0, count) to `jobs` threads, each
// index to exactly one call of `run`, so a tool states only what one run does.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace boex::bench {

inline void run_in_parallel(std::size_t count, int jobs, const std::function<void(std::size_t)>& run) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < count;) run(i);
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < std::max(1, jobs); ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
}

}  // namespace boex::bench
