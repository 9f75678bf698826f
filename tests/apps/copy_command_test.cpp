// boex copy end to end: a study moved from a lab's SQLite file to another backend lists the same
// trials and, being the same history with the same seed and settings, suggests the same next
// experiment; a second copy is refused.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/storage_backends.h"

using namespace boex::testing;
using nlohmann::json;

namespace {

ProcessResult boex_cli(std::vector<std::string> args) {
  args.insert(args.begin(), BOEX_CLI);
  return run(args);
}

const char* kSpace = R"({"parameters": [
  {"name": "temperature", "type": "float", "low": 20, "high": 90},
  {"name": "layers", "type": "int", "low": 1, "high": 8},
  {"name": "solvent", "type": "categorical", "choices": ["water", "ethanol", "dmso"]}]})";

}  // namespace

TEMPLATE_TEST_CASE("boex copy moves a study whole: same trials, same next suggestion, no second copy", "[cli][copy]",
                   SqliteFile, Postgres) {
  if (unavailable<TestType>()) return;
  SqliteFile lab;
  TestType server;
  const std::vector<std::string> at_lab = {"--storage", lab.url(), "--study", "s1"};
  const auto in = [](const std::vector<std::string>& where, std::vector<std::string> args) {
    args.insert(args.begin() + 1, where.begin(), where.end());
    return boex_cli(args);
  };
  REQUIRE(in(at_lab, {"create", "--space", kSpace, "--seed", "5", "--constraints", "1", "--n-init", "4"}).exit_code == 0);
  for (int i = 0; i < 7; ++i) {
    const json t = json::parse(in(at_lab, {"ask"}).out)["trials"][0];
    if (i == 6) break;  // the last one stays running (pending)
    const double temperature = t["params"]["temperature"];
    REQUIRE(in(at_lab, {"tell", "--trial", std::to_string(t["trial"].get<long long>()), "--value",
                        std::to_string(temperature / 10), "--constraint", std::to_string(temperature - 80)})
                .exit_code == 0);
  }
  const ProcessResult copied = boex_cli({"copy", "--from", lab.url(), "--to", server.url(), "--study", "s1"});
  INFO(copied.err);
  REQUIRE(copied.exit_code == 0);
  const json report = json::parse(copied.out);
  CHECK(report["copied"] == json::parse(R"([{"study": "s1", "n_trials": 7}])"));
  const bool has_password = server.url().find('@') != std::string::npos;
  CHECK((report["to"].get<std::string>().find(":***@") != std::string::npos) == has_password);

  const std::vector<std::string> at_server = {"--storage", server.url(), "--study", "s1"};
  const auto strip_ids = [](json trials) {  // ids are the destination's; numbers are kept
    for (json& t : trials) t.erase("trial");
    return trials;
  };
  CHECK(strip_ids(json::parse(in(at_server, {"trials"}).out)["trials"]) ==
        strip_ids(json::parse(in(at_lab, {"trials"}).out)["trials"]));
  CHECK(json::parse(in(at_server, {"best"}).out)["params"] == json::parse(in(at_lab, {"best"}).out)["params"]);
  const json next_server = json::parse(in(at_server, {"ask"}).out)["trials"][0]["params"];
  const json next_lab = json::parse(in(at_lab, {"ask"}).out)["trials"][0]["params"];
  CHECK(next_server == next_lab);

  const ProcessResult again = boex_cli({"copy", "--from", lab.url(), "--to", server.url()});
  CHECK(again.exit_code == 4);
  CHECK(json::parse(again.err)["error"]["kind"] == "state_error");
  CHECK(boex_cli({"copy", "--from", lab.url(), "--to", server.url(), "--study", "nope"}).exit_code == 3);
}
