// A real training workload for AutoLRS and the schedule benchmark: a one-hidden-layer MLP on
// scikit-learn's handwritten digits (data/digits), SGD with momentum on libtorch, one thread,
// deterministic given its seed. libtorch stays inside digits_trainer.cpp (pImpl).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/trainer.h"

namespace boex {

// The 1,797 images: 64 pixel counts in 0..16 per row and the digit.
struct DigitsData {
  std::vector<float> pixels;  // rows x 64
  std::vector<int> labels;    // 0..9
  int rows() const { return static_cast<int>(labels.size()); }
};

// Reads data/digits/digits.csv (64 integers then the label per line); InvalidArgument naming the
// line of a malformed row, NotFound for a missing file.
DigitsData load_digits(const std::string& csv_path);

struct DigitsTrainerOptions {
  std::uint64_t seed = 0;       // initial weights and the order of the batches
  int hidden = 64;              // hidden ReLU units (>= 1)
  int batch_size = 32;          // (>= 1)
  double momentum = 0.9;        // heavy-ball momentum in [0, 1) (the AutoLRS paper's SGD setting)
  double weight_decay = 5e-4;   // L2 coefficient added to the gradient (>= 0)
  int validation_rows = 360;    // held out by a fixed permutation, the same for every seed

  void validate() const;  // throws InvalidArgument naming the field
};

class DigitsTrainer final : public Trainer {
 public:
  DigitsTrainer(const DigitsData& data, const DigitsTrainerOptions& options = DigitsTrainerOptions());
  ~DigitsTrainer() override;
  DigitsTrainer(const DigitsTrainer&) = delete;
  DigitsTrainer& operator=(const DigitsTrainer&) = delete;

  double step(double lr) override;  // mean cross-entropy of the batch, NaN once diverged
  double evaluate() override;       // mean cross-entropy on the validation rows
  std::string save_state() override;
  void restore_state(const std::string& state) override;

  double accuracy();                  // fraction of validation rows classified right
  double last_grad_norm() const;      // l2 norm of the last step's loss gradient (for refinement)
  std::int64_t steps_taken() const;   // steps since construction (restored with the state)
  int train_rows() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace boex
