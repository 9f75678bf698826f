// Generated hostile input, seeded and bounded by count (deterministic): search spaces and points
// as JSON through the parsers in process, and argument vectors through the real CLI. Whatever
// comes in, nothing crashes, every refusal is a boex error, and the CLI answers with one JSON
// object: a result (exit 0) or an error of a documented kind (exit 2 to 6).
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/rng.h"
#include "support/process.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;
using nlohmann::json;

namespace {

// Values a hostile user types: edges of every number type, bad bytes, empty and odd text.
const std::vector<std::string> kAtoms = {
    "0",      "-0",      "1",       "-1",      "2.5",      "1e308",   "-1e308",  "1e309",   "-1e309",  "1e-400",
    "nan",    "inf",     "-inf",    "0x10",    "1e19",     "-1e19",   "9007199254740993",   "18446744073709551616",
    "2147483648",        "-2147483649",        "",         " ",       ",",       "1,,2",    "1,",      "abc",
    "\xff",   "a\xff",   "\xc0\x80",           "\xed\xa0\x80",        "\"",      "{",       "[]",      "{}",
    "null",   "true",    "\xe2\x82\xac",       "x",        "solvent", "water",   "--n",     "-",       "+1",
    "1e3",    "1.0",     "00",      "1_000",   "100000000000000000000000000000000000000"};

struct Gen {
  Rng rng;
  explicit Gen(std::uint64_t seed) : rng(seed) {}
  std::size_t index(std::size_t n) { return std::min(n - 1, static_cast<std::size_t>(rng.uniform() * n)); }
  bool coin(double p = 0.5) { return rng.uniform() < p; }
  const std::string& atom() { return kAtoms[index(kAtoms.size())]; }
  // A JSON number as text: an atom that parses as one, or a random magnitude.
  std::string number() {
    if (coin(0.3)) return atom();
    const double magnitude = std::pow(10.0, rng.uniform() * 700.0 - 350.0);
    return (coin() ? "-" : "") + std::to_string(magnitude).substr(0, 12);
  }
  std::string name() {
    static const std::vector<std::string> names = {"x", "y", "temperature", "layers", "solvent", "a\xff", "", "x"};
    return names[index(names.size())];
  }
  std::string parameter() {
    static const std::vector<std::string> types = {"float", "int", "categorical", "bool", "", "\xff"};
    std::string p = "{\"name\": \"" + name() + "\", \"type\": \"" + types[index(types.size())] + "\"";
    if (coin(0.9)) p += ", \"low\": " + number();
    if (coin(0.9)) p += ", \"high\": " + number();
    if (coin(0.2)) p += ", \"log\": " + std::string(coin() ? "true" : "1");
    if (coin(0.4)) {
      p += ", \"choices\": [";
      const int n = coin(0.05) ? 4000 : static_cast<int>(index(4));
      for (int i = 0; i < n; ++i) p += (i ? ", \"" : "\"") + (coin(0.9) ? "c" + std::to_string(i) : name()) + "\"";
      p += "]";
    }
    return p + "}";
  }
  std::string space() {
    std::string s = "{\"parameters\": [";
    const int n = static_cast<int>(index(4));
    for (int i = 0; i < n; ++i) s += (i ? ", " : "") + parameter();
    s += "]}";
    return coin(0.15) ? mangle(s) : s;
  }
  std::string point() {
    std::string s = "{";
    const int n = static_cast<int>(index(5));
    for (int i = 0; i < n; ++i)
      s += (i ? ", \"" : "\"") + name() + "\": " + (coin(0.2) ? "\"" + atom() + "\"" : number());
    s += "}";
    return coin(0.15) ? mangle(s) : s;
  }
  // A byte dropped, doubled or replaced.
  std::string mangle(std::string s) {
    if (s.empty()) return s;
    const std::size_t at = index(s.size());
    switch (index(3)) {
      case 0: s.erase(at, 1); break;
      case 1: s.insert(at, 1, s[at]); break;
      default: s[at] = static_cast<char>(index(256)); break;
    }
    return s;
  }
};

// An ordinary space the CLI's study is created with, and a valid point of it.
const char* kSpace = R"({"parameters": [{"name": "x", "type": "float", "low": 0, "high": 1},
  {"name": "layers", "type": "int", "low": 1, "high": 8},
  {"name": "solvent", "type": "categorical", "choices": ["water", "dmso"]}]})";

}  // namespace

TEST_CASE("generated search spaces and points are parsed or refused with a boex error, never anything else",
          "[fuzz][hostile]") {
  Gen gen(20261123);
  const SearchSpace reference = space_from_json_text(kSpace);
  int accepted = 0, refused = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = gen.space();
    INFO("space: " << text.substr(0, 300));
    try {
      const SearchSpace space = space_from_json_text(text);
      ++accepted;
      // What is accepted is usable: it encodes and round-trips through JSON.
      CHECK(space_from_json(space_to_json(space)) == space);
    } catch (const Error&) {
      ++refused;
    } catch (const std::exception& e) {
      FAIL("not a boex error: " << e.what());
    }
    const std::string point = gen.point();
    INFO("point: " << point.substr(0, 300));
    try {
      reference.validate(params_from_json(parse_json(point, "--params"), reference));
    } catch (const Error&) {
    } catch (const std::exception& e) {
      FAIL("not a boex error: " << e.what());
    }
  }
  // The generator reaches both sides (else the test proves nothing).
  CHECK(accepted > 20);
  CHECK(refused > 500);
}

TEST_CASE("generated argument vectors to every subcommand never crash the CLI: one JSON answer, exit 0 or 2-6",
          "[fuzz][hostile][cli]") {
  TempPath file;
  const std::string U = file.url();
  REQUIRE(run({BOEX_CLI, "create", "--storage", U, "--study", "s", "--space", kSpace, "--strategy", "random"}).exit_code ==
          0);
  REQUIRE(run({BOEX_CLI, "ask", "--storage", U, "--study", "s", "--n", "2"}).exit_code == 0);
  static const std::vector<std::string> commands = {"create", "ask",    "tell",   "add",    "enqueue", "heartbeat",
                                                    "best",   "recommend", "trials", "studies", "copy",   "fit"};
  static const std::vector<std::string> flags = {
      "--study", "--space", "--n", "--trial", "--value", "--outputs", "--constraint", "--params", "--seed",
      "--target", "--n-init", "--constraints", "--direction", "--strategy", "--strategy-options",
      "--fail-stale-after", "--format", "--failed", "--from", "--to", "--law", "--csv", "--level", "--predict"};
  Gen gen(7);
  int answered = 0, refused = 0;
  for (int i = 0; i < 160; ++i) {
    std::vector<std::string> args = {BOEX_CLI, commands[gen.index(commands.size())]};
    if (gen.coin(0.9)) args.insert(args.end(), {"--storage", gen.coin(0.9) ? U : "sqlite:///" + gen.atom()});
    if (gen.coin(0.8)) args.insert(args.end(), {"--study", gen.coin(0.8) ? "s" : gen.atom()});
    const int n = static_cast<int>(gen.index(4));
    for (int k = 0; k < n; ++k) {
      const std::string& flag = flags[gen.index(flags.size())];
      std::string value = gen.atom();
      if (flag == "--space" && gen.coin(0.7)) value = gen.space();
      if (flag == "--params" && gen.coin(0.7)) value = gen.point();
      if (flag == "--trial" && gen.coin(0.6)) value = std::to_string(gen.index(4));
      if (flag == "--strategy") value = gen.coin() ? "random" : gen.atom();  // no costly model fits here
      args.push_back(flag);
      if (flag != "--failed") args.push_back(value);
    }
    std::string shown;
    for (std::size_t k = 1; k < args.size(); ++k) shown += args[k].substr(0, 60) + " ";
    INFO("boex " << shown);
    const ProcessResult r = run(args);
    INFO("stdout: " << r.out.substr(0, 300) << "\nstderr: " << r.err.substr(0, 300));
    if (r.exit_code == 0) {
      ++answered;
      CHECK_NOTHROW(json::parse(r.out));
      continue;
    }
    ++refused;
    CHECK(r.exit_code >= 2);
    CHECK(r.exit_code <= 6);
    json error;
    REQUIRE_NOTHROW(error = json::parse(r.err).at("error"));
    CHECK(error.at("kind") != "internal");
    CHECK_FALSE(error.at("message").get<std::string>().empty());
  }
  CHECK(answered > 0);
  CHECK(refused > 100);
}
