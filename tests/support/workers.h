// The worker processes of the multi-process tests (study_worker, storage_worker) print
// "asked <id>" when a trial is handed to them and "told <id> <value>" once its tell has returned;
// this reads those lines back.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <sstream>
#include <string>

namespace boex::testing {

// Trial id -> value of the lines starting with `word` (NaN for lines without a value).
inline std::map<std::int64_t, double> worker_lines(const std::string& text, const std::string& word) {
  std::map<std::int64_t, double> out;
  std::istringstream in(text);
  std::string first, line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    long long id;
    if (!(fields >> first >> id) || first != word) continue;
    double value = std::numeric_limits<double>::quiet_NaN();
    fields >> value;
    out[id] = value;
  }
  return out;
}

inline std::map<std::int64_t, double> told_lines(const std::string& text) { return worker_lines(text, "told"); }

}  // namespace boex::testing
