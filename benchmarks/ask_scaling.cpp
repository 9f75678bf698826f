// boex-ask-scaling: wall time of one gp-logei suggestion (GP fit + acquisition optimisation) as the
// number of observations grows, for d = 6 (Hartmann6) and d = 20 (Hartmann6 in the first six of
// twenty dimensions). One thread. 'fit' times a GP fit alone; 'ask' the whole suggestion (its own
// fit included). Usage: boex-ask-scaling [sizes...]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/sobol.h"
#include "engine/gp_strategy.h"
#include "engine/problems.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes = {50, 100, 200, 500, 1000};
  if (argc > 1) {
    sizes.clear();
    for (int i = 1; i < argc; ++i) sizes.push_back(std::stoi(argv[i]));
  }
  const boex::Problem h6 = boex::make_problem("Hartmann6");
  const auto strategy = boex::make_strategy("gp-logei");
  std::printf("%4s %6s %10s %10s\n", "d", "n", "fit s", "ask s");
  for (int d : {6, 20}) {
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
      boex::ExactGP gp;
      gp.fit(request.history.X, request.history.y);
      const double fit = seconds_since(start);
      start = Clock::now();
      strategy->suggest(request);
      const double ask = seconds_since(start);
      std::printf("%4d %6d %10.3f %10.3f\n", d, n, fit, ask);
      std::fflush(stdout);
    }
  }
  return 0;
}
