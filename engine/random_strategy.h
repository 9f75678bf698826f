// Baselines that ignore the results: uniform random points, and the scrambled-Sobol sequence
// continued forever. Cheap enough to measure storage throughput with.
#pragma once

#include "engine/strategy.h"

namespace boex {

class RandomStrategy final : public Strategy {
 public:
  std::string name() const override { return "random"; }
  std::vector<Eigen::VectorXd> suggest(const SuggestRequest& request) const override;
  bool uses_history() const override { return false; }
};

class SobolStrategy final : public Strategy {
 public:
  std::string name() const override { return "sobol"; }
  std::vector<Eigen::VectorXd> suggest(const SuggestRequest& request) const override;
  bool uses_history() const override { return false; }
};

}  // namespace boex
