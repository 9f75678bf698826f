// A protein campaign from the shell: a 4-site sequence study with an embedding read from a CSV
// file, a candidate pool set from a CSV file, and bad pools refused with the pool unchanged.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "support/cli.h"
#include "support/temp_path.h"

using namespace boex::testing;
using nlohmann::json;

namespace {

void write(const TempPath& path, const std::string& text) { std::ofstream(path.path()) << text; }

std::string basename(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

}  // namespace

TEST_CASE("boex create reads a sequence embedding from a CSV file next to the space and stores the table",
          "[cli][gameopt]") {
  Cli boex("gb1");
  TempPath letters(".csv"), space(".json");
  // Hydrophobicity and volume of four amino acids (Kyte-Doolittle; residue volume in cubic angstrom).
  write(letters, "letter,hydrophobicity,volume\nA,1.8,88.6\nC,2.5,108.5\nD,-3.5,111.1\nW,-0.9,227.8\n");
  write(space, R"({"parameters": [{"name": "variant", "type": "sequence", "length": 4, "alphabet": "ACDW",
                   "embedding": {"csv": ")" + basename(letters.path()) + R"("}}]})");
  const ProcessResult created = boex({"create", "--space", space.path(), "--direction", "maximize", "--strategy", "gp-gameopt"});
  REQUIRE(created.exit_code == 0);
  const json embedding = json::parse(created.out)["space"]["parameters"][0]["embedding"];
  CHECK(embedding["table"]["W"] == json::array({-0.9, 227.8}));
  CHECK(embedding["table"].size() == 4);
  // The study no longer needs the file.
  std::remove(letters.path().c_str());
  CHECK(boex({"ask"}).exit_code == 0);
}

TEST_CASE("boex candidates sets a pool from CSV that every later ask keeps to; bad pools change nothing",
          "[cli][gameopt][pool]") {
  Cli boex("gb1");
  REQUIRE(boex({"create", "--space", R"({"parameters": [{"name": "variant", "type": "sequence", "length": 4, "alphabet": "ACDW"},
                                                        {"name": "temp", "type": "int", "low": 20, "high": 40}]})",
                "--direction", "maximize", "--strategy", "gp-gameopt", "--n-init", "3", "--seed", "2"})
              .exit_code == 0);
  TempPath pool(".csv");
  std::set<std::string> allowed;
  std::string text = "temp,variant\n";
  const char* letters = "ACDW";
  for (int k = 0; k < 256; k += 9) {
    const std::string v = {letters[k / 64], letters[k / 16 % 4], letters[k / 4 % 4], letters[k % 4]};
    allowed.insert(v);
    text += std::to_string(20 + k % 21) + ",\"" + v + "\"\n";
  }
  write(pool, text);
  const ProcessResult set = boex({"candidates", "--csv", pool.path()});
  REQUIRE(set.exit_code == 0);
  CHECK(json::parse(set.out)["count"] == allowed.size());

  for (const char* bad : {"temp,variant\n25,ACDX\n",       // a letter outside the alphabet
                          "temp,variant\n25,ACD\n",        // a wrong length
                          "temp,variant,ph\n25,ACDW,7\n",  // a column the study lacks
                          "variant\nACDW\n",               // a parameter missing
                          "temp,variant\n45,ACDW\n",       // out of bounds
                          "temp,variant\n25,ACDW\n25,ACDW\n"}) {  // a repeat
    INFO(bad);
    TempPath wrong(".csv");
    write(wrong, bad);
    const ProcessResult refused = boex({"candidates", "--csv", wrong.path()});
    CHECK(refused.exit_code != 0);
    CHECK(json::parse(refused.err).contains("error"));
    CHECK(json::parse(boex({"candidates"}).out)["count"] == allowed.size());
  }

  std::set<std::string> seen;
  for (int round = 0; round < 3; ++round) {
    const json trials = json::parse(boex({"ask", "--n", "3"}).out)["trials"];
    for (const json& t : trials) {
      const std::string v = t["params"]["variant"];
      CHECK(allowed.count(v) == 1);
      CHECK(seen.insert(v).second);
      REQUIRE(boex({"tell", "--trial", std::to_string(t["trial"].get<long long>()), "--value",
                    std::to_string(static_cast<double>(std::count(v.begin(), v.end(), 'W')))})
                  .exit_code == 0);
    }
  }
  const ProcessResult cleared = boex({"candidates", "--clear"});
  REQUIRE(cleared.exit_code == 0);
  CHECK(json::parse(cleared.out)["count"] == 0);
}
