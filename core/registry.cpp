#include "core/registry.h"

namespace boex {

std::string join(const std::vector<std::string>& names, const std::string& separator) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : separator) + n;
  return out;
}

}  // namespace boex
