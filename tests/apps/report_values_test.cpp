// `boex report --trial N --step S --value V` records learning-curve points; `boex trials` shows
// them (every point in JSON, count and latest in CSV); the HTML mode is unchanged.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_path.h"

using namespace boex::testing;
using nlohmann::json;

namespace {

ProcessResult boex_cli(const TempPath& file, std::vector<std::string> args) {
  args.insert(args.begin(), BOEX_CLI);
  args.insert(args.begin() + 2, {"--storage", file.url(), "--study", "curves"});
  return run(args);
}

}  // namespace

TEST_CASE("boex report --trial records intermediate values that boex trials shows", "[cli][report]") {
  TempPath file;
  REQUIRE(boex_cli(file, {"create", "--space", R"({"parameters": [{"name": "x", "type": "float", "low": 0, "high": 1}]})"})
              .exit_code == 0);
  const json asked = json::parse(boex_cli(file, {"ask"}).out)["trials"][0];
  const std::string id = std::to_string(asked["trial"].get<long long>());
  for (const auto& [step, value] : std::vector<std::pair<std::string, std::string>>{{"0", "3.5"}, {"100", "1.25"}}) {
    const ProcessResult r = boex_cli(file, {"report", "--trial", id, "--step", step, "--value", value});
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out)["state"] == "running");
  }
  const json trial = json::parse(boex_cli(file, {"trials"}).out)["trials"][0];
  CHECK(trial["reports"] == json::parse(R"([{"step": 0, "value": 3.5}, {"step": 100, "value": 1.25}])"));
  const std::string csv = boex_cli(file, {"trials", "--format", "csv"}).out;
  CHECK(csv.rfind("trial,number,state,x,value,n_reports,last_step,last_report\n", 0) == 0);
  CHECK(csv.find(",2,100,1.25\n") != std::string::npos);

  // Bad input: JSON error, non-zero exit, nothing recorded.
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"report", "--trial", id, "--step", "200", "--value", "nan"},
        {"report", "--trial", id, "--step", "100", "--value", "1.0"},  // step already reported
        {"report", "--trial", id, "--value", "1.0"},                   // no step
        {"report", "--trial", "424242", "--step", "1", "--value", "1.0"},
        {"report"}}) {  // neither --output nor --trial
    const ProcessResult r = boex_cli(file, bad);
    CHECK(r.exit_code != 0);
    CHECK(json::parse(r.err).contains("error"));
  }
  CHECK(json::parse(boex_cli(file, {"trials"}).out)["trials"][0]["reports"].size() == 2);
}
