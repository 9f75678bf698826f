// boex-lr-bench: learning-rate schedules on a real workload (an MLP on scikit-learn's digits,
// torch/digits_trainer.h) at a fixed step budget. Per seed: constant, cosine, linear and REX each
// at every point of a 7-point log grid of peak rates (7 full runs each); AutoLRS once, with its
// exploration counted in its steps; and the schedule refined from the gradient norms of the
// seed's best linear run. One JSON line per training run; a summary table at the end.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "benchmarks/parallel_runs.h"
#include "core/errors.h"
#include "core/progress_line.h"
#include "engine/autolrs.h"
#include "engine/lr_schedule.h"
#include "torch/digits_trainer.h"

namespace {

using nlohmann::json;

struct Run {
  std::string schedule;
  int seed = 0;
  double peak_lr = 0.0;
  double val_loss = NAN, val_accuracy = NAN;
  std::int64_t steps = 0;
  double seconds = 0.0;
  std::vector<double> grad_norms;  // linear runs: the log a refined schedule is made from
  std::string rendering;           // autolrs: its schedule, stage by stage
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Run run_schedule(const boex::DigitsData& data, const std::string& name, const boex::LrScheduleOptions& o, int seed) {
  const auto start = std::chrono::steady_clock::now();
  boex::DigitsTrainerOptions to;
  to.seed = static_cast<std::uint64_t>(seed);
  boex::DigitsTrainer trainer(data, to);
  const auto schedule = boex::make_lr_schedule(name, o);
  Run r;
  r.schedule = name;
  r.seed = seed;
  r.peak_lr = o.peak_lr;
  for (std::int64_t t = 0; t < o.total_steps; ++t) {
    const double loss = trainer.step(schedule->lr(t));
    ++r.steps;
    if (!std::isfinite(loss)) break;  // diverged: judged by the (infinite) loss below
    r.grad_norms.push_back(trainer.last_grad_norm());
  }
  r.val_loss = r.steps == o.total_steps ? trainer.evaluate() : INFINITY;
  r.val_accuracy = r.steps == o.total_steps ? trainer.accuracy() : 0.0;
  if (!std::isfinite(r.val_loss)) r.val_loss = INFINITY;
  r.steps = o.total_steps;  // a diverged run is charged its whole budget, as a person would have run it
  r.seconds = seconds_since(start);
  return r;
}

Run run_autolrs(const boex::DigitsData& data, boex::AutoLrsOptions o, int seed, const std::string& storage_dir) {
  const auto start = std::chrono::steady_clock::now();
  boex::DigitsTrainerOptions to;
  to.seed = static_cast<std::uint64_t>(seed);
  boex::DigitsTrainer trainer(data, to);
  const std::string file = storage_dir + "/autolrs-seed" + std::to_string(seed) + ".db";
  for (const char* side : {"", "-wal", "-shm"}) std::filesystem::remove(file + side);
  o.storage_url = "sqlite:///" + std::filesystem::absolute(file).string();
  o.seed = static_cast<std::uint64_t>(seed);
  o.name = "autolrs-seed" + std::to_string(seed);
  const boex::AutoLrsResult result = boex::run_autolrs(trainer, o);
  Run r;
  r.schedule = "autolrs";
  r.seed = seed;
  for (double lr : result.schedule()) r.peak_lr = std::max(r.peak_lr, lr);
  r.val_loss = result.final_val_loss;
  r.val_accuracy = trainer.accuracy();
  r.steps = result.steps_total;
  r.seconds = seconds_since(start);
  r.rendering = boex::render_autolrs_schedule(result, o.min_lr, o.max_lr);
  return r;
}

json row(const Run& r) {
  json out = {{"schedule", r.schedule},
              {"seed", r.seed},
              {"peak_lr", r.peak_lr},
              {"final_val_loss", std::isfinite(r.val_loss) ? json(r.val_loss) : json(nullptr)},
              {"final_val_accuracy", r.val_accuracy},
              {"steps_total", r.steps},
              {"seconds", r.seconds}};
  return out;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? NAN : s / static_cast<double>(v.size());
}

double sample_sd(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return v.size() > 1 ? std::sqrt(s / static_cast<double>(v.size() - 1)) : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex-lr-bench: LR schedules (grid-tuned), AutoLRS and refined schedules on the digits MLP"};
  int seeds = 5, jobs = 1;
  std::int64_t steps = 1500;
  std::string output, data_path = std::string(BOEX_REPO_DIR) + "/data/digits/digits.csv";
  std::string storage_dir = std::filesystem::temp_directory_path().string();
  double grid_min = 1e-3, grid_max = 1.0;
  boex::AutoLrsOptions autolrs;
  autolrs.min_lr = grid_min;
  autolrs.max_lr = grid_max;
  autolrs.tau_prime = 15;
  autolrs.tau = 150;
  autolrs.tau_max = 1200;
  double autolrs_runs = 2.0;
  std::vector<std::string> chosen = {"constant", "cosine", "linear", "rex", "autolrs", "refined"};
  app.add_option("--seeds", seeds, "seeds 0 .. S-1 (default 5)");
  app.add_option("--steps", steps, "optimiser steps of one full run (default 1500: 33 epochs of batch 32)");
  app.add_option("--output", output, "write one JSON line per training run to this file")->required();
  app.add_option("--data", data_path, "the digits CSV (default: data/digits/digits.csv, shipped with boex)");
  app.add_option("--grid-min", grid_min, "smallest peak LR of the 7-point log grid (default 1e-3)");
  app.add_option("--grid-max", grid_max, "largest peak LR of the grid (default 1)");
  app.add_option("--autolrs-runs", autolrs_runs, "AutoLRS's budget in full runs, exploration included (default 2)");
  app.add_option("--tau-prime", autolrs.tau_prime, "AutoLRS's initial tau' (default 15)");
  app.add_option("--tau", autolrs.tau, "AutoLRS's initial tau (default 150)");
  app.add_option("--tau-max", autolrs.tau_max, "AutoLRS's tau cap (default 1200)");
  app.add_option("--candidates", autolrs.candidates, "AutoLRS's k (default 10)");
  app.add_option("--storage-dir", storage_dir, "where AutoLRS's stage studies are written (a SQLite file per seed)");
  app.add_option("--jobs", jobs, "runs in parallel (default 1)");
  app.add_option("--schedules", chosen, "which to run (default all: constant cosine linear rex autolrs refined; refined needs linear)")
      ->delimiter(',')
      ->check(CLI::IsMember({"constant", "cosine", "linear", "rex", "autolrs", "refined"}));
  CLI11_PARSE(app, argc, argv);
  try {
    if (seeds < 1 || steps < 10) throw boex::InvalidArgument("--seeds must be >= 1 and --steps >= 10");
    if (!(grid_min > 0 && grid_min < grid_max)) throw boex::InvalidArgument("--grid-min must be > 0 and < --grid-max");
    autolrs.min_lr = grid_min;
    autolrs.max_lr = grid_max;
    autolrs.total_steps = static_cast<std::int64_t>(std::llround(autolrs_runs * static_cast<double>(steps)));
    const boex::DigitsData data = boex::load_digits(data_path);
    std::vector<double> grid;
    for (int i = 0; i < 7; ++i) grid.push_back(grid_min * std::pow(grid_max / grid_min, i / 6.0));
    const auto wanted = [&](const std::string& s) { return std::find(chosen.begin(), chosen.end(), s) != chosen.end(); };
    if (wanted("refined") && !wanted("linear")) throw boex::InvalidArgument("--schedules: refined needs linear (it refines its runs)");
    std::vector<std::string> tuned;
    for (const char* s : {"constant", "cosine", "linear", "rex"})
      if (wanted(s)) tuned.push_back(s);

    std::ofstream out(output);
    if (!out) throw boex::InvalidArgument("cannot write '" + output + "'");
    std::mutex lock;
    std::vector<Run> runs;
    const auto record = [&](const Run& r) {
      std::lock_guard<std::mutex> guard(lock);
      out << row(r).dump() << '\n' << std::flush;
      runs.push_back(r);
    };
    const auto wall = std::chrono::steady_clock::now();
    const int per_seed = static_cast<int>(tuned.size() * grid.size()) + wanted("autolrs") + wanted("refined");
    boex::ProgressLine progress("runs", seeds * per_seed, "last val loss");
    int done = 0;
    const auto tick = [&](const Run& r) {
      std::lock_guard<std::mutex> guard(lock);
      progress.update(++done, r.val_loss);
    };
    // Phase 1: the grids and AutoLRS, independent runs.
    struct Job {
      std::string schedule;
      int seed;
      double lr;
    };
    std::vector<Job> jobs_list;
    for (int seed = 0; seed < seeds; ++seed) {
      for (const std::string& s : tuned)
        for (double lr : grid) jobs_list.push_back({s, seed, lr});
      if (wanted("autolrs")) jobs_list.push_back({"autolrs", seed, 0.0});
    }
    boex::bench::run_in_parallel(jobs_list.size(), jobs, [&](std::size_t i) {
      const Job& j = jobs_list[i];
      Run r;
      if (j.schedule == "autolrs") {
        r = run_autolrs(data, autolrs, j.seed, storage_dir);
      } else {
        boex::LrScheduleOptions o;
        o.peak_lr = j.lr;
        o.total_steps = steps;
        r = run_schedule(data, j.schedule, o, j.seed);
      }
      record(r);
      tick(r);
    });
    // Phase 2: per seed, refine the best linear run's gradient-norm log (a fresh run at its peak).
    std::vector<const Run*> best_linear(static_cast<std::size_t>(seeds), nullptr);
    for (const Run& r : runs)
      if (r.schedule == "linear" && (!best_linear[static_cast<std::size_t>(r.seed)] || r.val_loss < best_linear[static_cast<std::size_t>(r.seed)]->val_loss))
        best_linear[static_cast<std::size_t>(r.seed)] = &r;
    std::vector<Run> sources;
    for (const Run* r : best_linear)
      if (r && wanted("refined")) sources.push_back(*r);
    boex::bench::run_in_parallel(sources.size(), jobs, [&](std::size_t i) {
      boex::LrScheduleOptions o;
      o.peak_lr = sources[i].peak_lr;
      o.total_steps = steps;
      o.grad_norms = sources[i].grad_norms;
      const Run r = run_schedule(data, "refined", o, sources[i].seed);
      record(r);
      tick(r);
    });
    progress.finish();
    const double wall_seconds = seconds_since(wall);

    // Summary: each grid-tuned schedule at the peak LR with the best mean final validation loss.
    std::printf("boex-lr-bench: digits MLP (64-64-10, SGD momentum 0.9, batch 32), %lld steps per run, %d seeds\n",
                static_cast<long long>(steps), seeds);
    std::printf("%-9s %-10s %-22s %-16s %s\n", "schedule", "peak lr", "val loss (mean, sd)", "val accuracy", "steps per seed (tuning included)");
    std::map<std::string, double> best_loss;
    for (const std::string& s : tuned) {
      double chosen = NAN, chosen_loss = INFINITY;
      std::vector<double> losses, accs;
      for (double lr : grid) {
        std::vector<double> l, a;
        for (const Run& r : runs)
          if (r.schedule == s && r.peak_lr == lr) {
            l.push_back(r.val_loss);
            a.push_back(r.val_accuracy);
          }
        if (mean(l) < chosen_loss) {
          chosen_loss = mean(l);
          chosen = lr;
          losses = l;
          accs = a;
        }
      }
      best_loss[s] = chosen_loss;
      std::printf("%-9s %-10.4g %-9.4f %-12.4f %-16.4f %lld\n", s.c_str(), chosen, chosen_loss, sample_sd(losses), mean(accs),
                  static_cast<long long>(7 * steps));
    }
    for (const std::string& s : {std::string("autolrs"), std::string("refined")}) {
      if (!wanted(s)) continue;
      std::vector<double> l, a, st, peaks;
      for (const Run& r : runs)
        if (r.schedule == s) {
          l.push_back(r.val_loss);
          a.push_back(r.val_accuracy);
          st.push_back(static_cast<double>(r.steps));
          peaks.push_back(r.peak_lr);
        }
      best_loss[s] = mean(l);
      std::printf("%-9s %-10.4g %-9.4f %-12.4f %-16.4f %.0f%s\n", s.c_str(), mean(peaks), mean(l), sample_sd(l), mean(a),
                  s == "refined" ? mean(st) + 7.0 * static_cast<double>(steps) : mean(st),
                  s == "refined" ? " (its run + the linear grid it refines)" : " (exploration included)");
    }
    double best_grid = INFINITY;
    for (const std::string& s : tuned) best_grid = std::min(best_grid, best_loss[s]);
    if (!tuned.empty() && wanted("autolrs"))
      std::printf("autolrs / best grid-tuned val loss: %.4f (target <= 1.02)\n", best_loss["autolrs"] / best_grid);
    if (wanted("refined")) std::printf("refined / linear val loss: %.4f (target <= 1)\n", best_loss["refined"] / best_loss["linear"]);
    for (const Run& r : runs)
      if (r.schedule == "autolrs" && r.seed == 0) std::printf("AutoLRS's schedule, seed 0:\n%s", r.rendering.c_str());
    std::printf("wall time %.1f s for %zu runs\n", wall_seconds, runs.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "boex-lr-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
