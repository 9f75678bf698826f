// A seeded random source with platform-independent draws, so that a study's suggestions depend only
// on its seed and history (std::normal_distribution differs between standard libraries).
#pragma once

#include <cstdint>
#include <random>

namespace boex {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next_u64() { return engine_(); }
  // Uniform in the open interval (0, 1).
  double uniform() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal by Box-Muller (both outputs not cached: simpler, and a draw stays a pure
  // function of the engine's position).
  double normal();
  // Uniform integer in [0, n).
  std::uint64_t index(std::uint64_t n) { return n == 0 ? 0 : engine_() % n; }

 private:
  std::mt19937_64 engine_;
};

// Mixes several integers into one well-spread 64-bit seed (splitmix64 steps); used to derive the
// seed of one ask from the study's seed and the number of trials so far.
std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b);

}  // namespace boex
