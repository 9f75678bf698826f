// AutoLRS on a real training run: an MLP on scikit-learn's handwritten digits (data/digits),
// its learning rate tuned stage by stage by boex studies. Prints a progress line (loss, LR, ETA)
// while it trains, then the schedule found and the final validation loss and accuracy.
//
//   build/examples/autolrs_digits [steps=3000] [seed=0] [storage=autolrs_digits.db]
//
// The stage studies and a checkpoint live beside the storage file: run it again after an
// interruption and it resumes at the stage it was in (remove both files for a fresh run).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/progress_line.h"
#include "engine/autolrs.h"
#include "torch/digits_trainer.h"

int main(int argc, char** argv) {
  try {
    const long long steps = argc > 1 ? std::stoll(argv[1]) : 3000;
    const int seed = argc > 2 ? std::stoi(argv[2]) : 0;
    const std::string storage = argc > 3 ? argv[3] : "autolrs_digits.db";
    const boex::DigitsData data = boex::load_digits(std::string(BOEX_REPO_DIR) + "/data/digits/digits.csv");
    boex::DigitsTrainerOptions to;
    to.seed = static_cast<std::uint64_t>(seed);
    boex::DigitsTrainer trainer(data, to);
    std::printf("digits: %d training and %d validation images, MLP 64-%d-10, SGD momentum %.1f, batch %d\n",
                trainer.train_rows(), data.rows() - trainer.train_rows(), to.hidden, to.momentum, to.batch_size);

    boex::AutoLrsOptions o;
    o.min_lr = 1e-3;
    o.max_lr = 1.0;
    o.tau_prime = 15;  // the reference's 100 / 1000 / 8000, scaled to a run of a few thousand steps
    o.tau = 150;
    o.tau_max = 1200;
    o.total_steps = steps;
    o.seed = static_cast<std::uint64_t>(seed);
    o.storage_url = "sqlite:///" + std::filesystem::absolute(storage).string();
    o.checkpoint_path = storage + ".checkpoint";
    const bool terminal = ::isatty(::fileno(stderr));
    const auto start = std::chrono::steady_clock::now();
    std::int64_t first_step = -1;
    o.on_progress = [&](const boex::AutoLrsProgress& p) {
      if (first_step < 0) first_step = p.steps_done - 1;
      if (!terminal || (p.steps_done % 10 != 0 && p.steps_done != p.steps_budget)) return;
      char label[96];
      std::snprintf(label, sizeof(label), "steps  stage %d %-7s lr %.4g", p.stage, p.phase.c_str(), p.lr);
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      // ETA from this process's pace (a resumed run starts part-way).
      const int done = static_cast<int>(p.steps_done - first_step), total = static_cast<int>(p.steps_budget - first_step);
      std::fprintf(stderr, "\r%s   ", boex::ProgressLine::format(label, done, total, "loss", p.loss, elapsed).c_str());
    };
    const boex::AutoLrsResult r = boex::run_autolrs(trainer, o);
    if (terminal) std::fprintf(stderr, "\n");
    if (r.resumed_at) std::printf("resumed at stage %d\n", *r.resumed_at);
    std::printf("%s", boex::render_autolrs_schedule(r, o.min_lr, o.max_lr).c_str());
    std::printf("steps spent %lld (exploration included); final validation loss %.4f, accuracy %.4f\n",
                static_cast<long long>(r.steps_total), r.final_val_loss, trainer.accuracy());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "autolrs_digits: %s\n", e.what());
    return 1;
  }
  return 0;
}
