// What AutoLRS and the schedule benchmark drive: a training run that takes one optimiser step at a
// learning rate it is given, evaluates itself and saves/restores its whole state. A user implements
// it around their model (examples/autolrs_digits.cpp: a libtorch MLP).
#pragma once

#include <string>

namespace boex {

class Trainer {
 public:
  virtual ~Trainer() = default;
  // One optimiser step on the next batch at learning rate `lr` (> 0); returns that batch's training
  // loss, NaN or infinite when training diverged (AutoLRS then treats the learning rate as failed).
  virtual double step(double lr) = 0;
  // The loss on held-out data of the current parameters.
  virtual double evaluate() = 0;
  // Everything needed to continue exactly from here (parameters, optimiser state, the position in
  // the data order, random state) as bytes, and back: restore_state(save_state()) must leave the
  // run as it was, so a candidate learning rate can be tried from a checkpoint and undone.
  virtual std::string save_state() = 0;
  virtual void restore_state(const std::string& state) = 0;
};

}  // namespace boex
