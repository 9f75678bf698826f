// The libtorch digits workload behind AutoLRS and boex-lr-bench: its saved state is the whole run,
// so a checkpoint restored continues exactly as the uninterrupted run would, and undoes a diverged
// candidate learning rate (what AutoLRS does between candidates).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/errors.h"
#include "torch/digits_trainer.h"

using namespace boex;

namespace {

const DigitsData& digits() {
  static const DigitsData data = load_digits(std::string(BOEX_DATA_DIR) + "/digits/digits.csv");
  return data;
}

std::vector<double> losses(DigitsTrainer& trainer, int steps, double lr) {
  std::vector<double> out;
  for (int i = 0; i < steps; ++i) out.push_back(trainer.step(lr));
  return out;
}

}  // namespace

TEST_CASE("a restored digits trainer continues bit for bit as the uninterrupted run", "[torch][trainer]") {
  DigitsTrainerOptions options;
  options.seed = 5;
  DigitsTrainer trainer(digits(), options);
  losses(trainer, 20, 0.1);
  const std::string checkpoint = trainer.save_state();
  const std::vector<double> first = losses(trainer, 30, 0.05);
  const double first_eval = trainer.evaluate();
  REQUIRE(trainer.steps_taken() == 50);

  trainer.restore_state(checkpoint);
  CHECK(trainer.steps_taken() == 20);
  CHECK(losses(trainer, 30, 0.05) == first);  // the same batches, weights and momentum: equal bits
  CHECK(trainer.evaluate() == first_eval);

  // A fresh trainer given the state continues the same way too (a resumed process).
  DigitsTrainer other(digits(), options);
  other.restore_state(checkpoint);
  CHECK(losses(other, 30, 0.05) == first);
}

TEST_CASE("restoring a checkpoint undoes a diverged learning rate", "[torch][trainer]") {
  DigitsTrainer trainer(digits());
  losses(trainer, 30, 0.1);
  const double before = trainer.evaluate();
  const std::string checkpoint = trainer.save_state();
  const std::vector<double> blown = losses(trainer, 10, 1e4);
  const bool diverged = !std::isfinite(blown.back()) || blown.back() > 10 * blown.front();
  CHECK(diverged);
  trainer.restore_state(checkpoint);
  CHECK(trainer.evaluate() == before);
  CHECK(std::isfinite(trainer.step(0.1)));
}

TEST_CASE("a state of another size is refused, the run untouched", "[torch][trainer]") {
  DigitsTrainer trainer(digits());
  losses(trainer, 5, 0.1);
  const double before = trainer.evaluate();
  CHECK_THROWS_AS(trainer.restore_state("not a state"), InvalidArgument);
  DigitsTrainerOptions wider;
  wider.hidden = 65;
  DigitsTrainer other(digits(), wider);
  CHECK_THROWS_WITH(trainer.restore_state(other.save_state()), Catch::Matchers::Contains("another architecture"));
  CHECK(trainer.evaluate() == before);
}
