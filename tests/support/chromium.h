// Finds Debian's chromium on PATH for the tests and benchmarks that open report pages in a
// headless browser; "" when it is not installed, so they can skip with a message.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace boex::testing {

inline std::string chromium() {
  const char* path = std::getenv("PATH");
  const std::string dirs = path ? path : "/usr/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    for (const char* name : {"chromium", "chromium-browser"}) {
      const std::string candidate = dirs.substr(start, end - start) + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = end + 1;
  }
  return "";
}

}  // namespace boex::testing
