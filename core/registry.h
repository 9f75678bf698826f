// How boex's registries (kernels, surrogates, acquisitions, strategies) answer by name: an entry,
// or a NotFound that lists every name, so a typo gets the menu instead of a shrug.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/errors.h"

namespace boex {

// "a, b, c".
std::string join(const std::vector<std::string>& names, const std::string& separator = ", ");

// The keys of a registry, in order.
template <class Entry>
std::vector<std::string> registered_names(const std::map<std::string, Entry>& registry) {
  std::vector<std::string> names;
  for (const auto& entry : registry) names.push_back(entry.first);
  return names;
}

// The entry of `name`; NotFound "unknown <what> 'name' (known: ...)" otherwise.
template <class Entry>
const Entry& registered(const std::map<std::string, Entry>& registry, const std::string& name, const std::string& what) {
  auto it = registry.find(name);
  if (it == registry.end())
    throw NotFound("unknown " + what + " '" + name + "' (known: " + join(registered_names(registry)) + ")");
  return it->second;
}

}  // namespace boex
