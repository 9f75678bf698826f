// `boex fit` end to end: real processes on the shipped CSVs and on studies in an SQLite file.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "engine/study.h"
#include "storage/storage.h"
#include "support/process.h"
#include "support/scaling_datasets.h"
#include "support/temp_path.h"

using namespace boex::testing;
using nlohmann::json;
using Catch::Matchers::WithinRel;

namespace {

ProcessResult boex_fit(std::vector<std::string> args) {
  args.insert(args.begin(), {BOEX_CLI, "fit"});
  return run(args);
}

// The same keys in "parameters" and "intervals", each interval [low, high] around its estimate.
void check_intervals(const json& report, const std::vector<std::string>& keys) {
  REQUIRE(report["parameters"].size() == keys.size());
  for (const auto& k : keys) {
    INFO(k);
    const double v = report["parameters"][k], lo = report["intervals"][k][0], hi = report["intervals"][k][1];
    CHECK(lo <= v);
    CHECK(v <= hi);
    CHECK(lo < hi);
  }
}

}  // namespace

TEST_CASE("boex fit --csv reproduces Epoch's Chinchilla estimate with intervals and compute-optimal sizes", "[cli]") {
  const auto r = boex_fit({"--csv", scaling_data_path("chinchilla_svg_extracted_data.csv"), "--law", "chinchilla", "--columns",
                           "Model Size,Training FLOP,loss", "--d-is-flops", "--drop-highest", "5", "--resamples", "100",
                           "--budget", "5.76e23", "--predict", "7e10,1.4e12"});
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out);
  CHECK(out["law"] == "chinchilla");
  CHECK(out["n_points"] == 240);
  CHECK_THAT(out["parameters"]["A"].get<double>(), WithinRel(482.01, 0.01));
  CHECK_THAT(out["parameters"]["B"].get<double>(), WithinRel(2085.43, 0.01));
  CHECK_THAT(out["parameters"]["E"].get<double>(), WithinRel(1.8169, 0.01));
  CHECK_THAT(out["parameters"]["alpha"].get<double>(), WithinRel(0.3478, 0.01));
  CHECK_THAT(out["parameters"]["beta"].get<double>(), WithinRel(0.3658, 0.01));
  check_intervals(out, {"A", "B", "E", "alpha", "beta"});
  REQUIRE(out["compute_optimal"].size() == 1);
  const json& opt = out["compute_optimal"][0];
  CHECK_THAT(6.0 * opt["N"].get<double>() * opt["D"].get<double>(), WithinRel(5.76e23, 1e-9));
  REQUIRE(out["predictions"].size() == 1);
  CHECK(out["predictions"][0]["loss_interval"][0].get<double>() < out["predictions"][0]["loss"].get<double>());
}

TEST_CASE("boex fit --csv --law steplaw gives the Step Law OLS on the shipped runs", "[cli]") {
  const auto r = boex_fit({"--csv", scaling_data_path("steplaw_dense_lr_bs_loss.csv"), "--law", "steplaw", "--columns",
                           "N,D,lr,bs,smooth loss", "--tokens-per-batch-unit", "2048", "--resamples", "200"});
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out);
  CHECK(out["n_near_optimal"] == 129);
  CHECK_THAT(out["parameters"]["lr_coef"].get<double>(), WithinRel(77.7, 0.001));
  CHECK_THAT(out["parameters"]["lr_exp_N"].get<double>(), WithinRel(-0.766, 0.001));
  check_intervals(out, {"lr_coef", "lr_exp_N", "lr_exp_D", "bs_coef", "bs_exp_D"});
  // Without --predict, the prediction is at the largest scale of the data.
  CHECK(out["predictions"][0]["N"] == 1073741824.0);
  CHECK(out["predictions"][0]["D"] == 56900000000.0);
}

TEST_CASE("boex fit --storage pools per-scale studies, and --save stores the report in each", "[cli]") {
  TempPath file;
  std::shared_ptr<boex::Storage> storage = boex::open_storage(file.url());
  std::vector<std::string> names = store_runs_by_scale(storage, "s/", step_law_runs());
  storage.reset();
  std::string joined;
  for (const auto& n : names) joined += (joined.empty() ? "" : ",") + n;
  const auto r = boex_fit({"--storage", file.url(), "--study", joined, "--law", "steplaw", "--tokens-per-batch-unit", "2048",
                           "--resamples", "100", "--save"});
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out);
  CHECK(out["n_runs"] == 1911);
  CHECK_THAT(out["parameters"]["bs_exp_D"].get<double>(), WithinRel(0.613, 0.001));
  REQUIRE(out["saved"].size() == 17);
  const json saved = json::parse(boex::Study::load(file.url(), names[3]).record().attributes.at("scaling_law.steplaw"));
  CHECK(saved["parameters"] == out["parameters"]);
  CHECK(saved["intervals"] == out["intervals"]);
}

TEST_CASE("boex fit refuses bad input with a JSON error and the input exit code", "[cli]") {
  TempPath csv(".csv");
  {
    std::ofstream f(csv.path());
    f << "N,D,loss\n1e8,1e9,3.1\n2e8,1e9,nan\n";
  }
  const auto check_refused = [](const ProcessResult& r, int code, const std::string& words) {
    CHECK(r.exit_code == code);
    INFO(r.err);
    CHECK(r.err.find(words) != std::string::npos);
  };
  check_refused(boex_fit({"--csv", csv.path(), "--law", "chinchilla"}), 2, "'nan' is not a finite number");
  check_refused(boex_fit({"--csv", csv.path(), "--law", "steplaw"}), 2, "no column 'lr'");
  check_refused(boex_fit({"--csv", csv.path(), "--law", "chinchilla", "--columns", "N,D"}), 2, "--columns wants 3 names");
  check_refused(boex_fit({"--csv", csv.path(), "--law", "chinchilla", "--save"}), 2, "--save writes to studies");
  check_refused(boex_fit({"--csv", csv.path(), "--law", "chinchilla", "--predict", "1e9"}), 2, "--predict wants N,D");
  check_refused(boex_fit({"--law", "chinchilla"}), 2, "either --csv");
  TempPath db;
  // A study file that does not exist is reported, not created.
  check_refused(boex_fit({"--storage", db.url(), "--study", "nope", "--law", "steplaw"}), 3, "no database file");
  CHECK_FALSE(std::filesystem::exists(db.path()));
}
