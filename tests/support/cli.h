// The boex CLI as a test runs it: a real process on a fresh SQLite file, with --storage and
// --study filled in (only --storage for `studies`, which lists them all).
#pragma once

#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_path.h"

namespace boex::testing {

// A lab study's space as the CLI tests write it: a float, a log-scaled float, an int, a categorical.
inline constexpr const char* kSpace = R"({"parameters": [
  {"name": "temperature", "type": "float", "low": 20, "high": 90},
  {"name": "lr", "type": "float", "low": 1e-5, "high": 1e-1, "log": true},
  {"name": "layers", "type": "int", "low": 1, "high": 8},
  {"name": "solvent", "type": "categorical", "choices": ["water", "ethanol", "dmso"]}]})";

struct Cli {
  explicit Cli(std::string study_name = "lab") : study(std::move(study_name)) {}
  TempPath file;
  std::string study;

  ProcessResult operator()(std::vector<std::string> args) const {
    args.insert(args.begin(), BOEX_CLI);
    if (args[1] != "studies") args.insert(args.begin() + 2, {"--storage", file.url(), "--study", study});
    else args.insert(args.begin() + 2, {"--storage", file.url()});
    return run(args);
  }
};

}  // namespace boex::testing
