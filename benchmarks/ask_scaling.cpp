// boex-ask-scaling: wall time of one suggestion (model fit + acquisition optimisation) as the
// number of observations grows, for d = 6 (Hartmann6) and d = 20 (Hartmann6 in the first six of
// twenty dimensions), on one thread. 'fit' times a plain GP fit alone, 'ask' the whole suggestion
// of the chosen strategy (its own fits included); the cpu columns are the process's CPU seconds,
// the figure to trust on a machine shared with other work (wall time then includes waiting).
#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/sobol.h"
#include "engine/problems.h"
#include "engine/strategy.h"
#include "surrogates/exact_gp.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }
double cpu_seconds_since(std::clock_t start) { return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex-ask-scaling: seconds per suggestion as observations grow (one thread)"};
  std::vector<int> sizes = {50, 100, 200, 500, 1000};
  std::vector<int> dims = {6, 20};
  std::string strategy_name = "gp-logei", strategy_options;
  app.add_option("sizes", sizes, "numbers of observations (default 50 100 200 500 1000)")->check(CLI::Range(2, 100000));
  app.add_option("--dims", dims, "input dimensions, >= 6 (default 6,20)")->delimiter(',')->check(CLI::Range(6, 1000));
  app.add_option("--strategy", strategy_name, "strategy to time (default gp-logei)");
  app.add_option("--strategy-options", strategy_options, "JSON overrides of its settings, as boex create takes them");
  CLI11_PARSE(app, argc, argv);
  try {
    const boex::Problem h6 = boex::make_problem("Hartmann6");
    const auto strategy = boex::make_strategy(strategy_name, boex::resolve_strategy_options(strategy_name, strategy_options));
    std::printf("%-22s %4s %6s %10s %10s %10s %10s\n", "strategy", "d", "n", "fit s", "ask s", "fit cpu s", "ask cpu s");
    for (int d : dims) {
      std::vector<boex::Parameter> params;
      for (int j = 0; j < d; ++j) params.push_back(boex::Parameter::Float("x" + std::to_string(j + 1), 0, 1));
      const boex::SearchSpace space(params);
      for (int n : sizes) {
        boex::SuggestRequest request;
        request.space = &space;
        request.history.X = boex::sobol_points(n, d, 42);
        request.history.y.resize(n);
        for (int i = 0; i < n; ++i) {
          const auto row = request.history.X.row(i);
          request.history.y(i) = -h6.evaluate(std::vector<double>(row.data(), row.data() + 6)).value;
        }
        request.history.X_pending.resize(0, d);
        request.history.num_trials = n;
        request.n_init = 5;
        auto start = Clock::now();
        std::clock_t cpu_start = std::clock();
        boex::ExactGP gp;
        gp.fit(request.history.X, request.history.y);
        const double fit = seconds_since(start), fit_cpu = cpu_seconds_since(cpu_start);
        start = Clock::now();
        cpu_start = std::clock();
        strategy->suggest(request);
        const double ask = seconds_since(start), ask_cpu = cpu_seconds_since(cpu_start);
        std::printf("%-22s %4d %6d %10.3f %10.3f %10.3f %10.3f\n", strategy_name.c_str(), d, n, fit, ask, fit_cpu, ask_cpu);
        std::fflush(stdout);
      }
    }
  } catch (const boex::Error& e) {
    std::fprintf(stderr, "boex-ask-scaling: %s\n", e.what());
    return 2;
  }
  return 0;
}
