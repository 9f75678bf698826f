// The boex CLI end to end: real processes, a real file, JSON in and out.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/cli.h"
#include "support/temp_path.h"

using namespace boex::testing;
using nlohmann::json;

namespace {

const char* kFidelitySpace = R"({"parameters": [
  {"name": "x", "type": "float", "low": 0, "high": 1},
  {"name": "epochs", "type": "int", "low": 1, "high": 3, "fidelity": true, "target": 3}]})";

}  // namespace

TEST_CASE("the CLI runs the lab loop: create, ask, tell, best, trials, studies", "[cli]") {
  Cli boex;
  REQUIRE(boex({"create", "--space", kSpace, "--constraints", "1", "--seed", "3"}).exit_code == 0);
  for (int round = 0; round < 4; ++round) {
    const ProcessResult asked = boex({"ask", "--n", "2"});
    REQUIRE(asked.exit_code == 0);
    const json trials = json::parse(asked.out)["trials"];
    REQUIRE(trials.size() == 2);
    for (const json& t : trials) {
      const double temperature = t["params"]["temperature"];
      const ProcessResult told = boex({"tell", "--trial", std::to_string(t["trial"].get<long long>()), "--value",
                                       std::to_string(temperature / 10), "--constraint", "-1"});
      REQUIRE(told.exit_code == 0);
      CHECK(json::parse(told.out)["state"] == "complete");
    }
  }
  const json best = json::parse(boex({"best"}).out);
  const json all = json::parse(boex({"trials"}).out)["trials"];
  CHECK(all.size() == 8);
  double lowest = 1e9;
  for (const json& t : all) lowest = std::min(lowest, t["value"].get<double>());
  CHECK(best["value"].get<double>() == lowest);
  const std::string csv = boex({"trials", "--format", "csv"}).out;
  CHECK(csv.rfind("trial,number,state,temperature,lr,layers,solvent,value,c1\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 9);
  const json studies = json::parse(boex({"studies"}).out)["studies"];
  REQUIRE(studies.size() == 1);
  CHECK(studies[0]["n_trials"] == 8);
}

TEST_CASE("the CLI adds prior data and enqueued points", "[cli]") {
  Cli boex;
  REQUIRE(boex({"create", "--space", kSpace}).exit_code == 0);
  const std::string point = R"({"temperature": 50, "lr": 0.001, "layers": 3, "solvent": "water"})";
  const ProcessResult added = boex({"add", "--params", point, "--value", "0.25"});
  REQUIRE(added.exit_code == 0);
  CHECK(json::parse(added.out)["attributes"]["source"] == "measured");
  REQUIRE(boex({"enqueue", "--params", R"({"temperature": 60, "lr": 0.01, "layers": 2, "solvent": "dmso"})"}).exit_code == 0);
  const json asked = json::parse(boex({"ask"}).out)["trials"][0];
  CHECK(asked["params"]["solvent"] == "dmso");
  CHECK(json::parse(boex({"best"}).out)["value"] == 0.25);
}

TEST_CASE("CLI errors are JSON on stderr with a non-zero exit code and change nothing", "[cli]") {
  Cli boex;
  REQUIRE(boex({"create", "--space", kSpace, "--constraints", "1"}).exit_code == 0);
  const json t = json::parse(boex({"ask"}).out)["trials"][0];
  const std::string id = std::to_string(t["trial"].get<long long>());
  REQUIRE(boex({"tell", "--trial", id, "--value", "1", "--constraint", "0"}).exit_code == 0);
  const std::string before = boex({"trials"}).out;
  struct Case {
    std::vector<std::string> args;
    std::string kind;
  };
  const std::vector<Case> cases = {
      {{"tell", "--trial", id, "--value", "2", "--constraint", "0"}, "state_error"},
      {{"tell", "--trial", "999", "--value", "2", "--constraint", "0"}, "not_found"},
      {{"tell", "--trial", id, "--value", "nan", "--constraint", "0"}, "invalid_argument"},
      {{"add", "--params", R"({"temperature": 500, "lr": 0.001, "layers": 3, "solvent": "water"})", "--value", "1",
        "--constraint", "0"}, "invalid_argument"},
      {{"add", "--params", "{broken", "--value", "1"}, "invalid_argument"},
      {{"create", "--space", "{\"parameters\": [{\"name\": \"x\"}]}"}, "invalid_argument"},
      {{"create", "--space", kSpace}, "state_error"},
      {{"create", "--space", kSpace, "--strategy", "gp-magic"}, "not_found"},
      {{"create", "--space", kSpace, "--strategy", "bnn-ensemble-kg"}, "not_found"},
      {{"create", "--space", kSpace, "--strategy-options", R"({"surrogate": {"kernel": 3}})"}, "invalid_argument"},
      {{"create", "--space", kSpace, "--strategy-options", R"({"surrogate": )"}, "invalid_argument"},
      {{"ask", "--n", "0"}, "invalid_argument"},
      {{"frobnicate"}, "usage"},
  };
  for (const Case& c : cases) {
    INFO(c.args[0] << " " << (c.args.size() > 2 ? c.args[2] : ""));
    const ProcessResult r = boex(c.args);
    CHECK(r.exit_code != 0);
    CHECK(r.out.empty());
    const json error = json::parse(r.err)["error"];
    CHECK(error["kind"] == c.kind);
    CHECK(!error["message"].get<std::string>().empty());
  }
  CHECK(boex({"trials"}).out == before);
}

TEST_CASE("the CLI stores strategy settings given at create and shows them complete", "[cli]") {
  Cli boex;
  const ProcessResult created =
      boex({"create", "--space", kSpace, "--strategy", "ibnn-logei", "--strategy-options", R"({"surrogate": {"ibnn_depth": 2}})"});
  REQUIRE(created.exit_code == 0);
  const json settings = json::parse(created.out)["strategy_options"];
  CHECK(settings["surrogate"]["kernel"] == "ibnn");
  CHECK(settings["surrogate"]["ibnn_depth"] == 2);
  CHECK(settings["optimizer"]["raw_samples"] == 512);
  const json listed = json::parse(boex({"studies"}).out)["studies"][0];
  CHECK(listed["strategy_options"] == settings);
  CHECK(listed["strategy"] == "ibnn-logei");
}

TEST_CASE("boex strategies lists exactly what create accepts, with the settings create stores", "[cli]") {
  const ProcessResult listed = run({BOEX_CLI, "strategies"});
  REQUIRE(listed.exit_code == 0);
  const json catalog = json::parse(listed.out);
  const auto names = catalog["strategies"].get<std::vector<std::string>>();
  REQUIRE(names.size() >= 9);
  CHECK(std::find(names.begin(), names.end(), catalog["default"].get<std::string>()) != names.end());
  const auto multi_fidelity = catalog["multi_fidelity"].get<std::vector<std::string>>();
  CHECK(std::find(multi_fidelity.begin(), multi_fidelity.end(), "mf-gp-kg") != multi_fidelity.end());
  for (const std::string& name : names) {
    INFO(name);
    TempPath file;
    // Those that choose each trial's fidelity need a space with one.
    const bool fidelity = std::find(multi_fidelity.begin(), multi_fidelity.end(), name) != multi_fidelity.end();
    const ProcessResult created = run({BOEX_CLI, "create", "--storage", file.url(), "--study", "s", "--space",
                                       fidelity ? kFidelitySpace : kSpace, "--strategy", name});
    REQUIRE(created.exit_code == 0);
    const ProcessResult defaults = run({BOEX_CLI, "strategies", "--strategy", name});
    REQUIRE(defaults.exit_code == 0);
    CHECK(json::parse(defaults.out)["settings"] == json::parse(created.out)["strategy_options"]);
  }
  const ProcessResult unknown = run({BOEX_CLI, "strategies", "--strategy", "gp-magic"});
  CHECK(unknown.exit_code != 0);
  CHECK(json::parse(unknown.err)["error"]["kind"] == "not_found");
}

TEST_CASE("the CLI refuses a storage file that is not a database, untouched", "[cli]") {
  TempPath file(".csv");
  { std::ofstream(file.path()) << "a,b\n1,2\n"; }
  const ProcessResult r = run({BOEX_CLI, "studies", "--storage", "sqlite:///" + file.path()});
  CHECK(r.exit_code == 5);
  CHECK(json::parse(r.err)["error"]["kind"] == "storage_error");
  CHECK(slurp(file.path()) == "a,b\n1,2\n");
}

TEST_CASE("the CLI runs a multi-output target study: --target T1,T2 and tell --outputs", "[cli][composite]") {
  Cli boex;
  const ProcessResult created = boex({"create", "--space", kSpace, "--target", "30,4", "--seed", "5"});
  REQUIRE(created.exit_code == 0);
  CHECK(json::parse(created.out)["outputs"] == 2);
  // Prior data by outputs; then a few asked trials whose outputs are simple functions of the inputs.
  const ProcessResult added = boex(
      {"add", "--params", R"({"temperature": 50, "lr": 0.001, "layers": 3, "solvent": "water"})", "--outputs", "25,3"});
  REQUIRE(added.exit_code == 0);
  CHECK(json::parse(added.out)["value"].get<double>() == Approx(26.0));  // (25-30)^2 + (3-4)^2
  for (int round = 0; round < 3; ++round) {
    const json t = json::parse(boex({"ask"}).out)["trials"][0];
    const double temperature = t["params"]["temperature"], layers = t["params"]["layers"];
    const ProcessResult told = boex({"tell", "--trial", std::to_string(t["trial"].get<long long>()), "--outputs",
                                     std::to_string(temperature / 2) + "," + std::to_string(layers)});
    REQUIRE(told.exit_code == 0);
    const json trial = json::parse(told.out);
    CHECK(trial["outputs"].size() == 2);
    CHECK(trial["value"].get<double>() ==
          Approx(std::pow(temperature / 2 - 30, 2) + std::pow(layers - 4, 2)).epsilon(1e-5));
  }
  const std::string csv = boex({"trials", "--format", "csv"}).out;
  CHECK(csv.rfind("trial,number,state,temperature,lr,layers,solvent,value,h1,h2\n", 0) == 0);
  // Wrong forms are refused with exit code 2 and nothing is written.
  const json open = json::parse(boex({"ask"}).out)["trials"][0];
  const std::string id = std::to_string(open["trial"].get<long long>());
  const std::string before = boex({"trials"}).out;
  CHECK(boex({"tell", "--trial", id, "--value", "1"}).exit_code == 2);        // needs outputs
  CHECK(boex({"tell", "--trial", id, "--outputs", "1"}).exit_code == 2);      // one short
  CHECK(boex({"tell", "--trial", id, "--outputs", "1,nan"}).exit_code == 2);  // not finite
  CHECK(boex({"tell", "--trial", id, "--outputs", "1,2", "--failed"}).exit_code == 2);
  CHECK(boex({"trials"}).out == before);
}

TEST_CASE("the CLI runs a multi-fidelity study: a fidelity in the space, --cost at create and tell, a recommendation at the target",
          "[cli][multi_fidelity]") {
  Cli boex;
  REQUIRE(boex({"create", "--space", kFidelitySpace, "--strategy", "mf-gp-kg", "--cost", "1,2", "--n-init", "4"}).exit_code == 0);
  const json study = json::parse(boex({"studies"}).out)["studies"][0];
  CHECK(study["cost"] == json({{"fixed", 1.0}, {"weight", 2.0}}));
  CHECK(study["space"]["parameters"][1]["fidelity"] == true);
  CHECK(study["space"]["parameters"][1]["target"] == 3);
  for (int i = 0; i < 7; ++i) {
    const json t = json::parse(boex({"ask"}).out)["trials"][0];
    const double x = t["params"]["x"], epochs = t["params"]["epochs"];
    // Cheaper levels are biased: (x - 0.3)^2 + 0.1 (3 - epochs) x.
    const double value = (x - 0.3) * (x - 0.3) + 0.1 * (3 - epochs) * x;
    REQUIRE(boex({"tell", "--trial", std::to_string(t["trial"].get<long long>()), "--value", std::to_string(value), "--cost",
                  std::to_string(1 + 2 * epochs)})
                .exit_code == 0);
  }
  const json recommended = json::parse(boex({"recommend"}).out);
  CHECK(recommended["params"]["epochs"] == 3);
  CHECK(recommended.contains("evaluated_at_target"));
  if (!recommended["evaluated_at_target"].get<bool>()) {
    CHECK(recommended["trial"].is_null());
    CHECK(recommended["predicted_value"].is_number());
  }
  const std::string csv = boex({"trials", "--format", "csv"}).out;
  CHECK(csv.rfind("trial,number,state,x,epochs,value,cost\n", 0) == 0);
  const ProcessResult negative = boex({"tell", "--trial", "1", "--value", "1", "--cost", "-2"});
  CHECK(negative.exit_code != 0);
  const ProcessResult bad_target = boex({"create", "--space",
      R"({"parameters": [{"name": "x", "type": "float", "low": 0, "high": 1},
                         {"name": "s", "type": "float", "low": 0, "high": 1, "fidelity": true, "target": 0.5}]})"});
  CHECK(bad_target.exit_code != 0);
  CHECK(bad_target.err.find("target") != std::string::npos);
}

// Several objectives: create --objectives, tell --values, pareto, trials' ranks, and refusals
// (best, wrong counts) that change nothing.
const char* kFormulationSpace = R"({"parameters": [
  {"name": "water", "type": "float", "low": 0, "high": 1},
  {"name": "binder", "type": "float", "low": 0, "high": 0.3}]})";

TEST_CASE("the CLI runs a two-objective study: create, tell --values, pareto, trials, and best refuses", "[cli][multi_objective]") {
  Cli boex;
  const ProcessResult created = boex({"create", "--space", kFormulationSpace, "--objectives", "yield:max:0.2,cost:min:50", "--seed", "2"});
  REQUIRE(created.exit_code == 0);
  const json study = json::parse(created.out);
  CHECK(study["strategy"] == "gp-qlognehvi");
  CHECK(study["objectives"][1]["name"] == "cost");
  CHECK(study["objectives"][1]["threshold"] == 50.0);
  const json asked = json::parse(boex({"ask", "--n", "3"}).out)["trials"];
  REQUIRE(asked.size() == 3);
  const std::vector<std::string> values = {"0.8,12.5", "0.5,10", "0.9,40"};
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string id = std::to_string(asked[i]["trial"].get<long long>());
    if (i == 0) {
      // A wrong count and a non-finite value are refused, the trial stays running.
      CHECK(boex({"tell", "--trial", id, "--values", "0.8"}).exit_code == 2);
      CHECK(boex({"tell", "--trial", id, "--values", "0.8,nan"}).exit_code == 2);
      CHECK(boex({"tell", "--trial", id, "--value", "0.8"}).exit_code == 2);
      CHECK(json::parse(boex({"trials"}).out)["trials"][0]["state"] == "running");
    }
    const ProcessResult told = boex({"tell", "--trial", id, "--values", values[i]});
    REQUIRE(told.exit_code == 0);
  }
  const json pareto = json::parse(boex({"pareto"}).out);
  // (0.8, 12.5) and (0.9, 40) trade off; (0.5, 10) is cheapest: all three on the front.
  CHECK(pareto["n_pareto"] == 3);
  // Maximising (yield, -cost) above (0.2, -50): strips 0.1 * 10 + 0.3 * 37.5 + 0.3 * 40 = 24.25.
  CHECK(pareto["hypervolume"].get<double>() == Approx(24.25));
  const json trials = json::parse(boex({"trials"}).out)["trials"];
  for (const json& t : trials) CHECK(t["pareto_rank"] == 0);
  const std::string csv = boex({"trials", "--format", "csv"}).out;
  CHECK(csv.rfind("trial,number,state,water,binder,value,yield,cost,pareto_rank\n", 0) == 0);
  const ProcessResult best = boex({"best"});
  CHECK(best.exit_code == 4);
  CHECK(best.err.find("pareto") != std::string::npos);
}
