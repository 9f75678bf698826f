// boex-scaling-bench: a scaling study replayed on Step Law's measured runs. Per seed, boex chooses
// which (N, D) scale to train at next and which hyperparameters (a GP per scale), fits the Step Law
// to the runs it chose, and stops once the law's optimum at the held-out largest scale is known to
// the requested precision (or the compute budget is spent). Reported against the full grid of runs:
// runs, compute (sum of 6 N D) and the error of the predicted eta* and B* at the held-out scale,
// whose measured optimum (centre of its near-optimal runs) is the truth.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "benchmarks/bench_stats.h"
#include "core/errors.h"
#include "engine/scaling_replay.h"
#include "engine/scaling_study.h"
#include "fits/scaling_csv.h"
#include "storage/storage.h"

namespace {

using nlohmann::json;

// |ln(predicted / measured)|: the relative error, the same for over- and under-prediction.
double log_error(double predicted, double truth) { return std::abs(std::log(predicted / truth)); }

struct GridFit {
  double err_lr = 0.0, err_bs = 0.0;
};

GridFit grid_fit(const boex::fits::StepLawData& runs, boex::fits::StepLawOptions law, boex::fits::StepLawRows rows,
                 const boex::ScalingScale& target, const boex::fits::ScaleOptimum& truth) {
  law.rows = rows;
  const auto p = boex::fits::fit_step_law(runs, law).params;
  return {log_error(p.learning_rate(target.N, target.D), truth.lr), log_error(p.batch_tokens(target.D), truth.batch_tokens)};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex-scaling-bench: boex chooses the training runs of a Step Law fit, replayed on Step Law's measured "
               "runs, and is compared with the full grid of runs. One JSON line per seed, then a summary."};
  const boex::ScalingStudyOptions defaults;
  std::string data = std::string(BOEX_DATA_DIR) + "/scaling/steplaw_dense_lr_bs_loss.csv", rule = "variance",
              strategy = defaults.strategy;
  int seeds = 10, n_init = defaults.n_init, settle_after = defaults.settle_after, resamples = defaults.bootstrap.resamples;
  double precision = 0.45, budget_fraction = 0.2;
  app.add_option("--seeds", seeds, "seeds 0 .. N-1");
  app.add_option("--data", data, "Step Law's dense_lr_bs_loss.csv (columns N, D, lr, bs, smooth loss)");
  app.add_option("--precision", precision,
                 "stop when the 95% intervals of ln eta* and ln B* at the held-out scale are narrower than this");
  app.add_option("--budget-fraction", budget_fraction, "and stop before the compute spent exceeds this fraction of the grid's");
  app.add_option("--rule", rule, "how the next scale is chosen: variance (expected variance drop per FLOP) or round-robin")
      ->check(CLI::IsMember({"variance", "round-robin"}));
  app.add_option("--n-init", n_init, "initial-design runs per scale");
  app.add_option("--settle-after", settle_after, "a scale is located after this many runs in a row without a lower loss");
  app.add_option("--strategy", strategy, "strategy of every scale's study");
  app.add_option("--resamples", resamples, "bootstrap resamples of each refit");
  CLI11_PARSE(app, argc, argv);

  try {
    const auto all = boex::fits::step_law_data_from_csv(data, {"N", "D", "lr", "bs", "smooth loss"});
    boex::fits::StepLawOptions law = defaults.law;
    law.tokens_per_batch_unit = 2048.0;  // the CSV's bs counts sequences of 2048 tokens

    // Hold out the largest scale (by N D): its measured optimum is the truth the law must predict.
    auto scales = boex::ReplayRuns::scales_of(all);
    const auto held = std::max_element(scales.begin(), scales.end(), [](const auto& a, const auto& b) { return a.N * a.D < b.N * b.D; });
    const boex::ScalingScale target = *held;
    scales.erase(held);
    std::vector<int> train_rows, target_rows;
    for (int i = 0; i < all.size(); ++i) (all.N[i] == target.N && all.D[i] == target.D ? target_rows : train_rows).push_back(i);
    const auto train = all.subset(train_rows);
    const auto truth = boex::fits::measured_optimum(all.subset(target_rows), law);
    double grid_compute = 0.0;
    for (int i = 0; i < train.size(); ++i) grid_compute += 6.0 * train.N[i] * train.D[i];
    // The grid under the loop's fit (one centre per scale) and under Step Law's own (every run).
    const GridFit grid = grid_fit(train, law, law.rows, target, truth);
    const GridFit published = grid_fit(train, law, boex::fits::StepLawRows::kNearOptimalRuns, target, truth);
    std::cout << json{{"grid", true}, {"held_out", {{"N", target.N}, {"D", target.D}}}, {"truth_lr", truth.lr},
                      {"truth_batch_tokens", truth.batch_tokens}, {"runs", train.size()}, {"scales", scales.size()},
                      {"compute", grid_compute}, {"err_lr", grid.err_lr}, {"err_bs", grid.err_bs},
                      {"published_fit_err_lr", published.err_lr}, {"published_fit_err_bs", published.err_bs}}
                         .dump()
              << std::endl;

    struct Row {
      int seed, runs;
      double fraction, err_lr, err_bs;
      std::string stopped;
    };
    std::vector<Row> rows;
    for (int seed = 0; seed < seeds; ++seed) {
      const auto t0 = std::chrono::steady_clock::now();
      boex::ScalingStudyOptions o;
      o.scales = scales;
      o.target_N = target.N;
      o.target_D = target.D;
      o.precision = precision;
      o.max_compute = budget_fraction * grid_compute;
      o.n_init = n_init;
      o.settle_after = settle_after;
      o.strategy = strategy;
      o.rule = rule == "variance" ? boex::ScaleRule::kVariancePerFlop : boex::ScaleRule::kRoundRobin;
      o.seed = static_cast<std::uint64_t>(seed);
      o.law = law;
      o.bootstrap.resamples = resamples;
      o.bootstrap.seed = static_cast<std::uint64_t>(seed);
      auto study = boex::ScalingStudy::open(std::shared_ptr<boex::Storage>(boex::open_storage("sqlite::memory:")), "replay", o);
      boex::ReplayRuns replay(train, scales);
      const boex::ScalingStatus& s = study.run(replay);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      json row = {{"seed", seed}, {"rule", rule}, {"stopped", s.stopped}, {"runs", s.runs}, {"diverged", s.diverged},
                  {"grid_runs", train.size()}, {"compute", s.compute}, {"grid_compute", grid_compute},
                  {"compute_fraction", s.compute / grid_compute}, {"runs_per_scale", s.runs_per_scale}, {"seconds", seconds}};
      if (!s.law) {
        std::cout << row.dump() << std::endl;
        continue;
      }
      const auto& p = s.law->fit.params;
      const double e_lr = log_error(s.target_optimum.lr, truth.lr), e_bs = log_error(s.target_optimum.batch, truth.batch_tokens);
      row.update({{"pred_lr", s.target_optimum.lr}, {"pred_batch_tokens", s.target_optimum.batch},
                  {"lr_interval", {s.lr_interval.low, s.lr_interval.high}},
                  {"batch_interval", {s.batch_interval.low, s.batch_interval.high}}, {"err_lr", e_lr}, {"err_bs", e_bs},
                  {"grid_err_lr", grid.err_lr}, {"grid_err_bs", grid.err_bs},
                  {"parameters", {{"lr_coef", p.lr_coef}, {"lr_exp_N", p.lr_exp_N}, {"lr_exp_D", p.lr_exp_D},
                                  {"bs_coef", p.bs_coef}, {"bs_exp_D", p.bs_exp_D}}}});
      std::cout << row.dump() << std::endl;
      rows.push_back({seed, s.runs, s.compute / grid_compute, e_lr, e_bs, s.stopped});
    }

    // Readable summary. "Within 10%" is read two ways, both reported: the loop's error at most
    // 1.1 x the grid's (strict; the grid's eta* error is tiny here), or at most the grid's plus
    // ln 1.1 (the loop's prediction no more than 10% further off than the grid's).
    std::printf("\nheld-out scale N = %.4g, D = %.4g: measured optimum eta* = %.4g, B* = %.4g tokens\n", target.N, target.D,
                truth.lr, truth.batch_tokens);
    std::printf("errors are |ln(predicted / measured)|\n\n");
    std::printf("%-34s %6s %9s %9s %9s  %s\n", "", "runs", "compute", "err eta*", "err B*", "stopped");
    std::printf("%-34s %6d %9.3f %9.4f %9.4f\n", "full grid, per-scale centres", train.size(), 1.0, grid.err_lr, grid.err_bs);
    std::printf("%-34s %6d %9.3f %9.4f %9.4f\n", "full grid, every near-opt run", train.size(), 1.0, published.err_lr,
                published.err_bs);
    std::vector<double> runs, fractions, err_lr, err_bs;
    int cheap = 0, strict = 0, additive = 0;
    const double slack = std::log(1.1);
    for (const Row& r : rows) {
      std::printf("%-34s %6d %9.3f %9.4f %9.4f  %s\n", ("boex loop, seed " + std::to_string(r.seed)).c_str(), r.runs,
                  r.fraction, r.err_lr, r.err_bs, r.stopped.c_str());
      runs.push_back(r.runs);
      fractions.push_back(r.fraction);
      err_lr.push_back(r.err_lr);
      err_bs.push_back(r.err_bs);
      cheap += r.fraction <= 0.2;
      strict += r.fraction <= 0.2 && r.err_lr <= 1.1 * grid.err_lr && r.err_bs <= 1.1 * grid.err_bs;
      additive += r.fraction <= 0.2 && r.err_lr <= grid.err_lr + slack && r.err_bs <= grid.err_bs + slack;
    }
    std::printf("%-34s %6.0f %9.3f %9.4f %9.4f\n", ("boex loop, median of " + std::to_string(rows.size())).c_str(),
                boex::bench::median(runs), boex::bench::median(fractions), boex::bench::median(err_lr), boex::bench::median(err_bs));
    std::printf("\ntarget (compute <= 0.2 of the grid's, errors within 10%% of the grid's, per-scale-centre fit):\n");
    std::printf("  compute <= 0.2: %d of %zu seeds\n", cheap, rows.size());
    std::printf("  and both errors <= 1.1 x the grid's: %d of %zu\n", strict, rows.size());
    std::printf("  and both errors <= the grid's + ln 1.1: %d of %zu\n", additive, rows.size());
    return 0;
  } catch (const boex::Error& e) {
    std::cerr << json{{"error", {{"kind", e.kind()}, {"message", e.what()}}}}.dump() << std::endl;
    return 2;
  }
}
