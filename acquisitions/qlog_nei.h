// Monte-Carlo log noisy expected improvement (qLogNEI, Ament et al. 2023): with joint posterior
// samples (joint_sampler.h) of the objective at the baseline (evaluated and pending points) and at x,
// ln mean_s fatplus(f_s(x) - max_b f_s(b)), plus ln fatmoid(-c_k) per sampled constraint value.
// Fixed Sobol base samples make it deterministic and smooth (SAA); the baseline is pruned to points
// that are the best in some sample. With pending points in the baseline, maximising it point by
// point maximises the batch's joint qNEI greedily (the sum telescopes).
#pragma once

#include <memory>
#include <vector>

#include "acquisitions/acquisition.h"
#include "acquisitions/joint_sampler.h"

namespace boex {

struct QLogNeiOptions {
  int num_samples = 256;       // base samples: scrambled-Sobol QMC; BoTorch uses 512, half the cost
                               // matters more here than the QMC error, which is small at 256.
                               // Models that draw functions use their own draws instead.
  int prune_samples = 1024;    // samples used to prune the baseline
  double tau_relu = 1e-6;      // fatplus temperature, relative to the objective's scale
  double eta = 1e-3;           // fatmoid temperature on constraints, relative to their scale
  bool prune_baseline = true;  // drop baseline points that are never the best (no constraints only)
  std::uint64_t seed = 0;      // of the base samples
};

class QLogNoisyExpectedImprovement final : public Acquisition {
 public:
  // X_baseline: evaluated and pending points (m x d, m >= 1). Models outlive the acquisition.
  QLogNoisyExpectedImprovement(const Surrogate& objective, std::vector<const Surrogate*> constraints,
                               const Eigen::MatrixXd& X_baseline, const QLogNeiOptions& options = QLogNeiOptions());
  std::string name() const override { return "qlognei"; }
  double value(const Eigen::VectorXd& x, Eigen::VectorXd* gradient) const override;
  int baseline_size() const { return static_cast<int>(baseline_.rows()); }

 private:
  QLogNeiOptions options_;
  Eigen::MatrixXd baseline_;
  std::unique_ptr<SampleSource> objective_;
  std::vector<std::unique_ptr<SampleSource>> constraints_;
  Eigen::VectorXd best_;  // per sample: best feasible baseline value
  double tau_ = 1e-6;
  std::vector<double> eta_;
};

}  // namespace boex
