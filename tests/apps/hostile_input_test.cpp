// Hostile but fair input to every subcommand of the boex CLI, as a table: each malformed input is
// refused with its exit code and a JSON error on stderr that names the problem, and the study file
// stays byte for byte what it was (a mistyped path is not even created).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli.h"
#include "support/process.h"
#include "support/temp_path.h"

using namespace boex::testing;
using nlohmann::json;

namespace {

std::string space_with(const std::string& parameter) { return R"({"parameters": [)" + parameter + "]}"; }

std::string point_with(const std::string& temperature, const std::string& extra = "") {
  return R"({"temperature": )" + temperature + R"(, "lr": 0.001, "layers": 3, "solvent": "water")" + extra + "}";
}

struct Case {
  std::vector<std::string> args;  // after the executable
  int exit_code;
  std::string kind;
  std::string words;  // the message names the problem with these
};

ProcessResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), BOEX_CLI);
  return run(args);
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("malformed input to every subcommand is refused with its exit code and a JSON error naming it, and the "
          "database stays byte for byte the same",
          "[cli][hostile]") {
  TempPath file, wide(".json"), many_choices(".json"), missing(".json"), typo_dir("-dir"), csv(".csv");
  const std::string U = file.url();
  REQUIRE(cli({"create", "--storage", U, "--study", "lab", "--space", kSpace, "--constraints", "1", "--seed", "3"})
              .exit_code == 0);
  REQUIRE(cli({"create", "--storage", U, "--study", "empty", "--space", kSpace}).exit_code == 0);
  const auto ask = [&] {
    const ProcessResult r = cli({"ask", "--storage", U, "--study", "lab"});
    REQUIRE(r.exit_code == 0);
    return std::to_string(json::parse(r.out)["trials"][0]["trial"].get<long long>());
  };
  const std::string done = ask();
  REQUIRE(cli({"tell", "--storage", U, "--study", "lab", "--trial", done, "--value", "1", "--constraint", "-1"})
              .exit_code == 0);
  const std::string running = ask();
  {
    json floats = json::array(), choices = json::array();
    for (int j = 0; j < 10000; ++j) floats.push_back({{"name", "x" + std::to_string(j)}, {"type", "float"}, {"low", 0}, {"high", 1}});
    for (int j = 0; j < 5000; ++j) choices.push_back("c" + std::to_string(j));
    std::ofstream(wide.path()) << json{{"parameters", floats}}.dump();
    std::ofstream(many_choices.path())
        << json{{"parameters", {{{"name", "c"}, {"type", "categorical"}, {"choices", choices}}}}}.dump();
    std::ofstream(csv.path()) << "N,D,loss\n1e8,2e9,3.1\n";
  }
  const std::string typo = typo_dir.path() + "/nested/lab.db";
  // A subcommand on study "lab" of the file, then its flags.
  const auto L = [&](const std::string& command, std::vector<std::string> flags) {
    flags.insert(flags.begin(), {command, "--storage", U, "--study", "lab"});
    return flags;
  };
  const std::vector<Case> cases = {
      // create
      {{"create", "--storage", U, "--study", "bad\xff", "--space", kSpace}, 2, "invalid_argument", "UTF-8"},
      {{"create", "--storage", U, "--study", "", "--space", kSpace}, 2, "invalid_argument", "non-empty name"},
      {{"create", "--storage", U, "--study", "n", "--space", space_with("{\"name\": \"a\xff\", \"type\": \"float\", \"low\": 0, \"high\": 1}")},
       2, "invalid_argument", "UTF-8"},
      {{"create", "--storage", U, "--study", "n", "--space", space_with(R"({"name": "x", "type": "float", "low": 0, "high": 1e309})")},
       2, "invalid_argument", "number overflow"},
      {{"create", "--storage", U, "--study", "n", "--space", space_with(R"({"name": "k", "type": "int", "low": -1e19, "high": 5})")},
       2, "invalid_argument", "64-bit"},
      {{"create", "--storage", U, "--study", "n", "--space",
        space_with(R"({"name": "k", "type": "int", "low": 0, "high": 1152921504606846976})")},
       2, "invalid_argument", "2^53"},
      {{"create", "--storage", U, "--study", "n", "--space",
        space_with(R"({"name": "x", "type": "float", "low": -1e308, "high": 1e308})")},
       2, "invalid_argument", "overflows"},
      {{"create", "--storage", U, "--study", "n", "--space", space_with(R"({"name": "x", "type": "float", "low": 2, "high": 1})")},
       2, "invalid_argument", "low > high"},
      {{"create", "--storage", U, "--study", "n", "--space",
        space_with(R"({"name": "x", "type": "float", "low": 0, "high": 1, "log": true})")},
       2, "invalid_argument", "log-scaled"},
      {{"create", "--storage", U, "--study", "n", "--space", R"({"parameters": []})"}, 2, "invalid_argument", "at least one"},
      {{"create", "--storage", U, "--study", "n", "--space", wide.path()}, 2, "invalid_argument", "3667"},
      {{"create", "--storage", U, "--study", "n", "--space", many_choices.path()}, 2, "invalid_argument", "3667"},
      {{"create", "--storage", U, "--study", "n", "--space", missing.path()}, 2, "invalid_argument", "cannot read"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--seed", "-1"}, 2, "invalid_argument", "--seed"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--seed", "18446744073709551616"}, 2,
       "invalid_argument", "out of range"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--seed", "0x10"}, 2, "invalid_argument", "--seed"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--target", "1,,2"}, 2, "invalid_argument", "empty"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--target", ""}, 2, "invalid_argument", "empty"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--target", "nan"}, 2, "invalid_argument", "finite"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--constraints", "-1"}, 2, "invalid_argument",
       "n_constraints"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--n-init", "2.5"}, 2, "invalid_argument", "--n-init"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--direction", "sideways"}, 2, "invalid_argument",
       "direction"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--strategy", "gp-magic"}, 3, "not_found", "gp-magic"},
      {{"create", "--storage", U, "--study", "n", "--space", kSpace, "--strategy-options", R"({"optimizer": {"raw_samples": 1e309}})"},
       2, "invalid_argument", "not valid JSON"},
      {{"create", "--storage", U, "--study", "lab", "--space", kSpace}, 4, "state_error", "already exists"},
      {{"create", "--storage", "ftp://lab/x.db", "--study", "n", "--space", kSpace}, 2, "invalid_argument",
       "unknown storage URL"},
      {{"create", "--storage", "sqlite:///" + csv.path() + "/x.db", "--study", "n", "--space", kSpace}, 5,
       "storage_error", "cannot create the directory"},
      // ask
      {L("ask", {"--n", "0"}), 2, "invalid_argument", "1..1000"},
      {L("ask", {"--n", "2147483647"}), 2, "invalid_argument", "1..1000"},
      {L("ask", {"--n", "1e3"}), 2, "invalid_argument", "--n"},
      {L("ask", {"--n", ""}), 2, "invalid_argument", "--n"},
      {L("ask", {"--fail-stale-after", "-5"}), 2, "invalid_argument", "--fail-stale-after"},
      {L("ask", {"--fail-stale-after", "nan"}), 2, "invalid_argument", "--fail-stale-after"},
      {L("ask", {"--fail-stale-after", "inf"}), 2, "invalid_argument", "--fail-stale-after"},
      {L("ask", {"--fail-stale-after", "0"}), 2, "invalid_argument", "--fail-stale-after"},
      {{"ask", "--storage", U, "--study", "nope\xff"}, 2, "invalid_argument", "UTF-8"},
      {{"ask", "--storage", U, "--study", "nope"}, 3, "not_found", "'nope'"},
      {{"ask", "--storage", "sqlite:///" + typo, "--study", "lab"}, 3, "not_found", "no database file"},
      // tell
      {L("tell", {"--trial", running, "--value", "", "--constraint", "0"}), 2, "invalid_argument", "--value = ''"},
      {L("tell", {"--trial", running, "--value", "0x10", "--constraint", "0"}), 2, "invalid_argument", "--value = '0x10'"},
      {L("tell", {"--trial", running, "--value", "1e309", "--constraint", "0"}), 2, "invalid_argument", "beyond the range"},
      {L("tell", {"--trial", running, "--value", "nan", "--constraint", "0"}), 2, "invalid_argument", "finite"},
      {L("tell", {"--trial", "abc", "--value", "1"}), 2, "invalid_argument", "--trial"},
      {L("tell", {"--trial", "99999", "--value", "1", "--constraint", "0"}), 3, "not_found", "99999"},
      {L("tell", {"--trial", done, "--value", "2", "--constraint", "0"}), 4, "state_error", "told once"},
      {L("tell", {"--trial", running, "--value", "1", "--constraint", ""}), 2, "invalid_argument", "--constraint"},
      {L("tell", {"--trial", running, "--value", "1"}), 2, "invalid_argument", "constraint values"},
      {L("tell", {"--trial", running, "--outputs", "1,2", "--constraint", "0"}), 2, "invalid_argument", "no measured outputs"},
      {L("tell", {"--trial", running, "--value", "1", "--failed"}), 2, "usage", "--failed"},
      {L("tell", {"--trial", running}), 2, "invalid_argument", "--value"},
      // add and enqueue
      {L("add", {"--params", "{\"x\xff\": 1}", "--value", "1"}), 2, "invalid_argument", "UTF-8"},
      {L("add", {"--params", point_with("1e309"), "--value", "1", "--constraint", "0"}), 2, "invalid_argument",
       "number overflow"},
      {L("add", {"--params", "[1, 2]", "--value", "1"}), 2, "invalid_argument", "JSON object"},
      {L("add", {"--params", point_with("50", R"(, "pressure": 2)"), "--value", "1", "--constraint", "0"}), 2,
       "invalid_argument", "'pressure'"},
      {L("add", {"--params", R"({"temperature": 50, "lr": 0.001, "layers": 2.5, "solvent": "water"})", "--value", "1",
                  "--constraint", "0"}),
       2, "invalid_argument", "not an integer"},
      {L("add", {"--params", R"({"temperature": 50, "lr": 0.001, "layers": 1e19, "solvent": "water"})", "--value", "1",
                  "--constraint", "0"}),
       2, "invalid_argument", "64-bit"},
      {L("add", {"--params", R"({"temperature": 50, "lr": 0.001, "layers": 3, "solvent": "acid"})", "--value", "1",
                  "--constraint", "0"}),
       2, "invalid_argument", "'acid'"},
      {L("add", {"--params", R"({"temperature": 50, "lr": 0.001, "layers": 3})", "--value", "1", "--constraint", "0"}), 2,
       "invalid_argument", "missing value for parameter 'solvent'"},
      {L("add", {"--params", point_with("50"), "--constraint", "0"}), 2, "invalid_argument", "--value"},
      {L("add", {"--params", point_with("500"), "--value", "1", "--constraint", "0"}), 2, "invalid_argument", "out of bounds"},
      {L("enqueue", {"--params", "{broken"}), 2, "invalid_argument", "not valid JSON"},
      {L("enqueue", {"--params", point_with("\"hot\"")}), 2, "invalid_argument", "takes a number"},
      // heartbeat, best, recommend, trials, studies
      {L("heartbeat", {"--trial", done}), 4, "state_error", "not running"},
      {L("heartbeat", {"--trial", "-1"}), 3, "not_found", "-1"},
      {{"best", "--storage", U, "--study", "empty"}, 3, "not_found", "no feasible"},
      {{"recommend", "--storage", U, "--study", "empty"}, 3, "not_found", "no feasible"},
      {{"best", "--storage", "sqlite:///" + typo, "--study", "lab"}, 3, "not_found", "no database file"},
      {{"trials", "--storage", "sqlite:///" + typo, "--study", "lab"}, 3, "not_found", "no database file"},
      {L("trials", {"--format", "xml"}), 2, "usage", "xml"},
      {{"studies", "--storage", "sqlite:///" + typo}, 3, "not_found", "no database file"},
      // copy and fit
      {{"copy", "--from", "sqlite:///" + typo, "--to", U}, 3, "not_found", "no database file"},
      {{"copy", "--from", U, "--to", U, "--study", "lab"}, 4, "state_error", "already holds"},
      {{"copy", "--from", U, "--to", U, "--study", "ghost"}, 3, "not_found", "'ghost'"},
      {{"fit", "--law", "chinchilla", "--csv", missing.path()}, 2, "invalid_argument", "cannot"},
      {{"fit", "--law", "steplaw", "--storage", U, "--study", "lab", "--seed", "-1"}, 2, "invalid_argument", "--seed"},
      {{"fit", "--law", "chinchilla", "--csv", csv.path(), "--level", "high"}, 2, "invalid_argument", "--level"},
      {{"fit", "--law", "chinchilla", "--csv", csv.path(), "--predict", "1e9,"}, 2, "invalid_argument", "--predict"},
      {{"frobnicate"}, 2, "usage", "subcommand"},
  };
  REQUIRE(cases.size() >= 40);
  const std::string before = bytes_of(file.path());
  REQUIRE(!before.empty());
  for (const Case& c : cases) {
    std::string shown;
    for (const std::string& a : c.args) shown += (a.size() > 80 ? a.substr(0, 80) + "..." : a) + " ";
    INFO("boex " << shown);
    const ProcessResult r = cli(c.args);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.out.empty());
    json error;
    REQUIRE_NOTHROW(error = json::parse(r.err).at("error"));  // one JSON object, valid UTF-8
    CHECK(error.at("kind") == c.kind);
    CHECK_THAT(error.at("message").get<std::string>(), Catch::Matchers::Contains(c.words));
    CHECK(bytes_of(file.path()) == before);
  }
  CHECK_FALSE(std::filesystem::exists(typo_dir.path()));  // mistyped paths were not created
  // The file still works.
  CHECK(cli({"tell", "--storage", U, "--study", "lab", "--trial", running, "--value", "2", "--constraint", "0"})
            .exit_code == 0);
}
