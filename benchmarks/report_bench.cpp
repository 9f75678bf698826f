// boex-report-bench: how long `boex report` takes to build a study's page, and how large the page
// is, for studies of growing size (10,000 trials is the mark). Each study is written to
// an SQLite file once (4 parameters, one categorical, one constraint, 1 in 10 trials with a
// learning curve), then the report is built from storage as the CLI does: load, model, page,
// atomic write. With --browser, each report is then opened in Debian's headless chromium and the
// time until it "opens" is printed: from launching the browser until the page's first screen
// (a 1280x800 window) has its plots drawn and painted and its script has returned, as the page
// marks it itself (page_open.h); also the time until every plot and the whole table are drawn.
// --open times pages that already exist (e.g. reports written by an older boex), nothing else.
//
//   boex-report-bench [--trials 100,1000,10000] [--output-dir /tmp] [--browser] [--runs 3]
//   boex-report-bench --open a.html,b.html [--runs 3]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "apps/report/report_html.h"
#include "apps/report/report_model.h"
#include "benchmarks/bench_stats.h"
#include "benchmarks/page_open.h"
#include "engine/study.h"
#include "support/chromium.h"
#include "support/report_study.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Opens each page `runs` times in chromium and prints the median times (seconds from launch).
void time_opening(const std::vector<std::string>& pages, int runs) {
  const std::string chromium = boex::testing::chromium();
  if (chromium.empty()) {
    std::printf("chromium is not installed (apt-get install chromium): the reports' open times were not measured\n");
    return;
  }
  std::printf("\nopening in %s, window 1280x800, median of %d runs (s from launching the browser):\n", chromium.c_str(), runs);
  std::printf("%10s %10s %10s %10s %7s  %s\n", "page MB", "navigated", "opened", "all drawn", "errors", "page");
  for (const std::string& page : pages) {
    std::vector<double> navigation, opened, all;
    int errors = 0;
    for (int r = 0; r < runs; ++r) {
      const boex::bench::PageOpen t = boex::bench::open_page(chromium, page);
      navigation.push_back(t.navigation_s);
      opened.push_back(t.opened_s);
      all.push_back(t.all_drawn_s);
      errors = std::max(errors, t.errors);
    }
    std::printf("%10.2f %10.2f %10.2f %10.2f %7d  %s\n", static_cast<double>(std::filesystem::file_size(page)) / 1e6,
                boex::bench::median(navigation), boex::bench::median(opened), boex::bench::median(all), errors, page.c_str());
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex-report-bench: time to build a study's HTML report, and its size"};
  std::vector<int> sizes = {100, 1000, 10000};
  std::string directory = std::filesystem::temp_directory_path().string();
  app.add_option("--trials", sizes, "study sizes")->delimiter(',');
  app.add_option("--output-dir", directory, "where the studies and reports are written");
  bool browser = false;
  int runs = 3;
  std::vector<std::string> existing;
  app.add_flag("--browser", browser, "also time opening each report in headless chromium");
  app.add_option("--runs", runs, "openings per page; the median is printed")->check(CLI::PositiveNumber);
  app.add_option("--open", existing, "only time opening these existing pages")->delimiter(',')->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  if (!existing.empty()) {
    time_opening(existing, runs);
    return 0;
  }
  std::vector<std::string> pages;
  std::printf("%8s %10s %10s %10s %10s %12s\n", "trials", "load s", "model s", "page s", "total s", "report bytes");
  for (int n : sizes) {
    const std::string db = directory + "/boex-report-bench-" + std::to_string(n) + ".db";
    const std::string html = directory + "/boex-report-bench-" + std::to_string(n) + ".html";
    for (const char* side : {"", "-wal", "-shm"}) std::filesystem::remove(db + side);
    boex::testing::fill_report_study("sqlite:///" + db, "bench", n, 10);
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
    pages.push_back(html);
  }
  std::printf("reports written to %s/boex-report-bench-*.html\n", directory.c_str());
  if (browser) time_opening(pages, runs);
  return 0;
}
