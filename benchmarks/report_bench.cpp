// boex-report-bench: how long `boex report` takes to build a study's page, and how large the page
// is, for studies of growing size (10,000 trials is the mark). Each study is written to
// an SQLite file once (4 parameters, one categorical, one constraint, 1 in 10 trials with a
// learning curve), then the report is built from storage as the CLI does: load, model, page,
// atomic write.
//
//   boex-report-bench [--trials 100,1000,10000] [--output-dir /tmp]
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "apps/report/report_html.h"
#include "apps/report/report_model.h"
#include "core/rng.h"
#include "engine/study.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void fill_study(const std::string& url, int n) {
  const boex::SearchSpace space({boex::Parameter::Float("x", 0.0, 1.0), boex::Parameter::Float("lr", 1e-4, 1e-1, true),
                                 boex::Parameter::Int("layers", 1, 6),
                                 boex::Parameter::Categorical("solvent", {"water", "ethanol", "dmso"})});
  boex::Study::Options options;
  options.n_constraints = 1;
  boex::Study::create(url, "bench", space, options);
  const auto storage = boex::open_storage(url);
  const std::int64_t id = storage->find_study("bench")->id;
  boex::Rng rng(3);
  const char* solvents[] = {"water", "ethanol", "dmso"};
  std::vector<boex::Trial> trials;
  for (int i = 0; i < n; ++i) {
    boex::Trial t;
    t.state = boex::TrialState::kComplete;
    const double x = rng.uniform(), lr = std::exp(rng.uniform(std::log(1e-4), std::log(1e-1)));
    const auto layers = static_cast<std::int64_t>(1 + std::floor(6 * rng.uniform()));
    const int solvent = static_cast<int>(std::floor(3 * rng.uniform()));
    t.params = {{"x", x}, {"lr", lr}, {"layers", layers}, {"solvent", std::string(solvents[solvent])}};
    t.value = (x - 0.3) * (x - 0.3) + std::pow(std::log10(lr) + 2.5, 2) / 4 + 0.05 * layers + 0.3 * solvent;
    t.constraints = {x + layers / 10.0 - 0.9};
    if (i % 10 == 0)
      for (int step = 1; step <= 10; ++step) t.reports[step] = *t.value + 1.0 / step;
    trials.push_back(t);
  }
  storage->append_trials(id, trials);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex-report-bench: time to build a study's HTML report, and its size"};
  std::vector<int> sizes = {100, 1000, 10000};
  std::string directory = std::filesystem::temp_directory_path().string();
  app.add_option("--trials", sizes, "study sizes")->delimiter(',');
  app.add_option("--output-dir", directory, "where the studies and reports are written");
  CLI11_PARSE(app, argc, argv);
  std::printf("%8s %10s %10s %10s %10s %12s\n", "trials", "load s", "model s", "page s", "total s", "report bytes");
  for (int n : sizes) {
    const std::string db = directory + "/boex-report-bench-" + std::to_string(n) + ".db";
    const std::string html = directory + "/boex-report-bench-" + std::to_string(n) + ".html";
    for (const char* side : {"", "-wal", "-shm"}) std::filesystem::remove(db + side);
    fill_study("sqlite:///" + db, n);
    const auto start = std::chrono::steady_clock::now();
    const boex::Study study = boex::Study::load("sqlite:///" + db, "bench");
    const std::vector<boex::Trial> trials = study.trials();
    const double load = seconds_since(start);
    const auto model_start = std::chrono::steady_clock::now();
    const nlohmann::json model = boex::report::report_model(study.record(), trials);
    const double model_seconds = seconds_since(model_start);
    const auto page_start = std::chrono::steady_clock::now();
    const std::string page = boex::report::report_html(model);
    boex::report::write_file_atomically(html, page);
    const double page_seconds = seconds_since(page_start);
    std::printf("%8d %10.3f %10.3f %10.3f %10.3f %12zu\n", n, load, model_seconds, page_seconds, seconds_since(start),
                page.size());
    std::fflush(stdout);
  }
  std::printf("reports written to %s/boex-report-bench-*.html\n", directory.c_str());
  return 0;
}
