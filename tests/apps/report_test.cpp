// boex report: the page of a real study opened in headless Chromium (plots drawn, no JavaScript
// error, a screenshot that is not blank), the empty-study page, bad input, and the report's model
// against functions whose shape is known.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <tuple>

#include "apps/report/report_model.h"
#include "core/errors.h"
#include "core/rng.h"
#include "engine/study.h"
#include "storage/storage.h"
#include "support/chromium.h"
#include "support/process.h"
#include "support/report_study.h"
#include "support/storage_backends.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;
using nlohmann::json;

namespace {

std::vector<std::string> browser(const std::string& binary, std::vector<std::string> args, const std::string& page) {
  std::vector<std::string> argv = {binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                   "--disable-dev-shm-usage", "--hide-scrollbars", "--virtual-time-budget=30000"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("file://" + page);
  return argv;
}

// The DOM after the page's scripts ran (--dump-dom).
std::string rendered_dom(const std::string& binary, const std::string& page) {
  const ProcessResult r = run(browser(binary, {"--dump-dom"}, page));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

std::string attribute(const std::string& dom, const std::string& id, const std::string& name) {
  const std::regex pattern("id=\"" + id + "\"[^>]*" + name + "=\"([^\"]*)\"|" + name + "=\"([^\"]*)\"[^>]*id=\"" + id + "\"");
  std::smatch m;
  if (!std::regex_search(dom, m, pattern)) return "";
  return m[1].matched ? m[1].str() : m[2].str();
}

std::string write_report(const std::string& storage, const std::string& study, const std::string& output) {
  const ProcessResult r = run({BOEX_CLI, "report", "--storage", storage, "--study", study, "--output", output});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

const SearchSpace& kSpace = report_space();

// A finished GP study of that space with one constraint (x + layers / 10 <= 0.9) and learning
// curves: what a real lab study looks like.
void run_constrained_study(const std::string& url) {
  std::shared_ptr<Storage> storage(open_storage(url));
  Study::Options options;
  options.seed = 5;
  options.n_constraints = 1;
  options.n_init = 8;
  Study study = Study::open(storage, "lab", kSpace, options);
  for (int i = 0; i < 18; ++i) {
    const Trial t = study.ask();
    const double x = as_double(t.params.at("x")), lr = as_double(t.params.at("lr"));
    const double layers = as_double(t.params.at("layers"));
    const std::string solvent = std::get<std::string>(t.params.at("solvent"));
    const double value = (x - 0.3) * (x - 0.3) + std::pow(std::log10(lr) + 2.5, 2) / 4 + 0.05 * layers +
                         (solvent == "water" ? 0.0 : solvent == "ethanol" ? 0.3 : 0.6);
    for (int step = 1; step <= 4; ++step) storage->report(study.record().id, t.id, step, value + 1.0 / step);
    study.tell(t.id, value, {x + layers / 10.0 - 0.9});
  }
}


constexpr const char* kNoChromium = "chromium is not installed (apt-get install chromium): the page was not opened";

// The page as headless Chromium rendered it, checked to have finished without a JavaScript error.
std::string rendered_cleanly(const std::string& binary, const std::string& page) {
  const std::string dom = rendered_dom(binary, page);
  INFO(dom.substr(0, 2000));
  CHECK(attribute(dom, "boex-console", "data-errors") == "0");
  CHECK(attribute(dom, "boex-report", "data-rendered") == "true");
  return dom;
}
}  // namespace

TEST_CASE("report: a finished constrained study with a categorical parameter draws every plot in headless "
          "Chromium without a JavaScript error",
          "[report][browser]") {
  TempPath db, page(".html"), shot(".png"), blank_page(".html"), blank_shot(".png");
  run_constrained_study(db.url());
  const json out = json::parse(write_report(db.url(), "lab", page.path()));
  CHECK(out["trials"] == 18);
  REQUIRE(std::filesystem::file_size(page.path()) == out["bytes"].get<std::size_t>());
  const std::string html = slurp(page.path());
  // Nothing to fetch when opened: the page's only scripts are inline (console hook, Plotly, data,
  // renderer), and it links no style sheet.
  CHECK(count(html, "<script") == 4);
  CHECK(html.find("<script src") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);

  const std::string binary = chromium();
  if (binary.empty()) return skip_test(kNoChromium);
  REQUIRE(out["plots"] == true);  // CI builds with npm; a build without it has no plots to check
  const std::string dom = rendered_cleanly(binary, page.path());
  INFO(dom.substr(0, 2000));
  // history, parallel coordinates, importance, 4 slices, 2 contours, 2 feasibility, learning curves
  const int plots = std::stoi(attribute(dom, "boex-report", "data-plots"));
  CHECK(plots == 12);
  // The page drew its first screen, then the rest (lazily) before the browser's time ran out:
  // every plot was laid out by Plotly and holds drawn traces, and the parallel coordinates'
  // canvas holds a line per complete trial.
  CHECK(!attribute(dom, "boex-report", "data-open-ms").empty());
  CHECK(static_cast<int>(count(dom, "class=\"plot-container plotly\"")) == plots - 1);
  CHECK(attribute(dom, "boex-report", "data-plots") == std::to_string(plots));
  CHECK(count(dom, "class=\"pc-canvas\"") == 1);
  CHECK(std::regex_search(dom, std::regex("class=\"pc-canvas\" data-lines=\"18\"")));
  for (const char* axis : {"x", "lr", "layers", "solvent", "value"})
    CHECK(std::regex_search(dom, std::regex(std::string("class=\"pc-name\"[^>]*>") + axis + "</span>")));
  CHECK(count(dom, "class=\"js-line\"") >= 6);   // best so far, slice means, curves
  CHECK(count(dom, "class=\"point\"") >= 18);     // markers of the history and the bars
  CHECK(count(dom, "class=\"contourlevel\"") >= 2);
  const std::size_t table = dom.find("id=\"boex-trials\"");
  REQUIRE(table != std::string::npos);
  CHECK(count(dom.substr(table, dom.find("</table>", table) - table), "<tr class=") == 18);  // the trial table
  CHECK(dom.find("solvent") != std::string::npos);

  // A screenshot of the page against one of an empty page of the same size: the report's pixels
  // are far from blank (a white PNG compresses to almost nothing).
  std::FILE* f = std::fopen(blank_page.path().c_str(), "w");
  std::fputs("<!DOCTYPE html><html><body></body></html>", f);
  std::fclose(f);
  for (const auto& [source, target] : {std::pair{page.path(), shot.path()}, std::pair{blank_page.path(), blank_shot.path()}}) {
    const ProcessResult r = run(browser(binary, {"--window-size=1280,3000", "--screenshot=" + target}, source));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  const auto drawn = std::filesystem::file_size(shot.path()), blank = std::filesystem::file_size(blank_shot.path());
  INFO("screenshot " << drawn << " bytes, blank page " << blank << " bytes");
  CHECK(drawn > 20 * blank);
  if (const char* keep = std::getenv("BOEX_REPORT_SCREENSHOT")) std::filesystem::copy_file(
      shot.path(), keep, std::filesystem::copy_options::overwrite_existing);
}

TEST_CASE("report: a protein study draws a parallel-coordinates axis and a slice per site of its sequence", "[report][browser]") {
  TempPath db, page(".html");
  {
    Study::Options options;
    options.seed = 2;
    options.n_init = 10;
    options.direction = Direction::kMaximize;
    options.strategy = "random";
    Study study = Study::open(db.url(), "protein", SearchSpace({Parameter::Sequence("variant", 4, "ACDW")}), options);
    for (const Trial& t : study.ask(12)) {
      const std::string v = std::get<std::string>(t.params.at("variant"));
      study.tell(t.id, static_cast<double>(std::count(v.begin(), v.end(), 'W')));
    }
  }
  write_report(db.url(), "protein", page.path());
  const std::string binary = chromium();
  if (binary.empty()) return skip_test(kNoChromium);
  const std::string dom = rendered_cleanly(binary, page.path());
  INFO(dom.substr(0, 2000));
  for (const char* axis : {"variant[1]", "variant[2]", "variant[3]", "variant[4]"}) CHECK(dom.find(axis) != std::string::npos);
  // history, parallel coordinates, importance and a bar slice per site (no numeric pair: no contour)
  CHECK(std::stoi(attribute(dom, "boex-report", "data-plots")) == 7);
}

TEST_CASE("report: a study of thousands of trials draws its history and constraints as trials per cell, every plot, "
          "a line per trial and the whole table",
          "[report][browser]") {
  TempPath db, page(".html");
  const int n = 3000;  // past the 2500 complete trials from which the page draws densities
  fill_report_study(db.url(), "big", n, 0);
  write_report(db.url(), "big", page.path());

  const std::string binary = chromium();
  if (binary.empty()) return skip_test(kNoChromium);
  const std::string dom = rendered_cleanly(binary, page.path());
  INFO(dom.substr(0, 2000));
  // history, parallel coordinates, importance, 4 slices, 2 contours, 2 feasibility (no curves)
  CHECK(attribute(dom, "boex-report", "data-plots") == "11");
  CHECK(count(dom, "class=\"plot-container plotly\"") == 10);
  // Images of trials per cell: feasible and infeasible in the history, the constraint by trial,
  // and the two contours; the history's markers are only the trials that set a new best.
  CHECK(count(dom, "class=\"hm\"") == 5);
  CHECK(dom.find("data-unformatted=\"new best\"") != std::string::npos);
  CHECK(count(dom, "class=\"point\"") < 100);
  CHECK(std::regex_search(dom, std::regex("class=\"pc-canvas\" data-lines=\"3000\"")));
  const std::size_t table = dom.find("id=\"boex-trials\"");
  REQUIRE(table != std::string::npos);
  CHECK(count(dom.substr(table, dom.find("</table>", table) - table), "<tr class=") == static_cast<std::size_t>(n));
}

TEST_CASE("report: a study without trials gives a clear 'no trials yet' page, not a broken one", "[report][browser]") {
  TempPath db, page(".html");
  Study::create(db.url(), "fresh", kSpace);
  const json out = json::parse(write_report(db.url(), "fresh", page.path()));
  CHECK(out["trials"] == 0);
  const std::string html = slurp(page.path());
  REQUIRE(html.find("\"n_trials\":0") != std::string::npos);

  const std::string binary = chromium();
  if (binary.empty()) return skip_test(kNoChromium);
  const std::string dom = rendered_cleanly(binary, page.path());
  CHECK(dom.find("id=\"boex-empty\"") != std::string::npos);
  CHECK(dom.find("No trials yet") != std::string::npos);
  CHECK(attribute(dom, "boex-report", "data-plots") == "0");
}

TEST_CASE("report: an unknown study or an unwritable output is a clear error and leaves no file", "[report]") {
  TempPath db, page(".html"), not_a_directory(".txt");
  Study::create(db.url(), "fresh", kSpace);
  const ProcessResult unknown = run({BOEX_CLI, "report", "--storage", db.url(), "--study", "nope", "--output", page.path()});
  CHECK(unknown.exit_code == 3);
  CHECK(json::parse(unknown.err)["error"]["kind"] == "not_found");
  CHECK_FALSE(std::filesystem::exists(page.path()));

  // A path under a regular file cannot be created, even by root.
  std::FILE* f = std::fopen(not_a_directory.path().c_str(), "w");
  std::fclose(f);
  const std::string bad = not_a_directory.path() + "/report.html";
  const ProcessResult unwritable = run({BOEX_CLI, "report", "--storage", db.url(), "--study", "fresh", "--output", bad});
  CHECK(unwritable.exit_code == 2);
  const json error = json::parse(unwritable.err)["error"];
  CHECK(error["kind"] == "invalid_argument");
  CHECK(error["message"].get<std::string>().find(bad) != std::string::npos);
  CHECK(std::filesystem::is_regular_file(not_a_directory.path()));
  // Nothing beside it either: no temporary file left in the directory.
  const auto directory = std::filesystem::path(page.path()).parent_path();
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    CHECK(entry.path().filename().string().find(std::filesystem::path(bad).filename().string() + ".tmp") == std::string::npos);
}

namespace {

// A stored study of n complete trials of f(x, y) = sin(6 x) at random points: y does not matter.
std::pair<StudyRecord, std::vector<Trial>> sine_study(int n) {
  StudyRecord record;
  record.name = "sine";
  record.space = SearchSpace({Parameter::Float("x", 0.0, 1.0), Parameter::Float("y", 0.0, 1.0)});
  Rng rng(11);
  std::vector<Trial> trials;
  for (int i = 0; i < n; ++i) {
    Trial t;
    t.number = i;
    t.state = TrialState::kComplete;
    const double x = rng.uniform(), y = rng.uniform();
    t.params = {{"x", x}, {"y", y}};
    t.value = std::sin(6.0 * x);
    trials.push_back(t);
  }
  return {record, trials};
}

}  // namespace

TEST_CASE("report model: importance and slices follow the function the trials measured", "[report]") {
  const auto [record, trials] = sine_study(40);
  const json model = report::report_model(record, trials)["model"];
  REQUIRE(model["available"] == true);
  CHECK(model["fitted_on"] == 40);
  const json importance = model["importance"];
  REQUIRE(importance.size() == 2);
  CHECK(importance[0]["parameter"] == "x");
  CHECK(importance[0]["weight"].get<double>() > 0.8);  // y's lengthscale runs to its upper bound
  CHECK(importance[0]["weight"].get<double>() + importance[1]["weight"].get<double>() == Approx(1.0));
  // The recommended point is where the fitted mean is lowest: near sin's minimum at x = pi/4.
  CHECK(model["recommended"]["params"]["x"].get<double>() == Approx(M_PI / 4).margin(0.1));
  // The x slice reproduces sin(6 x) (40 noiseless points interpolate it); the y slice is flat.
  for (const json& slice : model["slices"]) {
    const auto x = slice["x"].get<std::vector<double>>();
    const auto mean = slice["mean"].get<std::vector<double>>();
    REQUIRE(x.size() == 60);
    double worst = 0.0, low = INFINITY, high = -INFINITY;
    for (std::size_t i = 0; i < x.size(); ++i) {
      worst = std::max(worst, std::abs(mean[i] - std::sin(6.0 * (slice["parameter"] == "x" ? x[i] : 0.0))));
      low = std::min(low, mean[i]);
      high = std::max(high, mean[i]);
    }
    if (slice["parameter"] == "x") CHECK(worst < 0.1);
    else CHECK(high - low < 0.1);
  }
  const json contour = model["contour"];
  CHECK(contour["x"].size() * contour["y"].size() == contour["mean"].size());
}

TEST_CASE("report model: a large study is modelled on a bounded subset holding its best trials", "[report]") {
  const auto [record, trials] = sine_study(1200);
  report::ReportOptions options;
  options.max_model_points = 200;
  const json model = report::report_model(record, trials, options);
  CHECK(model["model"]["fitted_on"] == 200);
  CHECK(model["model"]["complete"] == 1200);
  // The best observed trial is in the subset, so the recommended point is as good as the data.
  CHECK(model["model"]["recommended"]["value"].get<double>() < -0.99);
  CHECK(model["trials"]["number"].size() == 1200);
  CHECK(model["trials"]["best"].back().get<double>() < -0.999);
  options.max_model_points = 1;
  CHECK_THROWS_AS(report::report_model(record, trials, options), InvalidArgument);
}

TEST_CASE("report model: a multi-fidelity study's best so far counts only results at the target fidelity",
          "[report]") {
  StudyRecord record;
  record.name = "mf";
  record.space = SearchSpace({Parameter::Float("x", 0.0, 1.0), Parameter::Float("s", 0.0, 1.0).as_fidelity(1.0)});
  // Minimise; the cheap fidelity's values are far lower than any at the target.
  const std::vector<std::tuple<double, double, double>> rows = {
      {0.1, 1.0, 3.0}, {0.2, 0.0, -10.0}, {0.3, 1.0, 2.0}, {0.4, 0.5, -20.0}, {0.5, 1.0, 2.5}};
  std::vector<Trial> trials;
  for (const auto& [x, s, v] : rows) {
    Trial t;
    t.number = static_cast<std::int64_t>(trials.size());
    t.state = TrialState::kComplete;
    t.params = {{"x", x}, {"s", s}};
    t.value = v;
    trials.push_back(t);
  }
  const json report = report::report_model(record, trials);
  CHECK(report["study"]["fidelity"]["name"] == "s");
  CHECK(report["study"]["fidelity"]["target"].get<double>() == 1.0);
  const auto best = report["trials"]["best"].get<std::vector<double>>();
  CHECK(best == std::vector<double>{3.0, 3.0, 2.0, 2.0, 2.0});
  // A single-fidelity study has no fidelity and counts every result.
  CHECK(report::report_model(sine_study(3).first, sine_study(3).second)["study"]["fidelity"].is_null());
}
