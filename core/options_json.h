// Options structs as JSON objects, field by field from one list per struct (its
// `template <class V> void visit(V& v)` calling v("name", field) for every field), so a study
// stores its complete settings and a user's overrides are checked by name and by type.
#pragma once

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace boex {
namespace options_json {

// Type-checked reads of one field (InvalidArgument naming `path` and the expected type).
void read(const nlohmann::json& value, const std::string& path, double* out);
void read(const nlohmann::json& value, const std::string& path, int* out);
void read(const nlohmann::json& value, const std::string& path, std::uint64_t* out);
void read(const nlohmann::json& value, const std::string& path, bool* out);
void read(const nlohmann::json& value, const std::string& path, std::string* out);
void read(const nlohmann::json& value, const std::string& path, std::vector<int>* out);

// InvalidArgument: `path` holds a field that is not one of `known`.
[[noreturn]] void unknown_field(const std::string& path, const std::string& field, const std::vector<std::string>& known);
// InvalidArgument unless `value` is a JSON object.
void require_object(const nlohmann::json& value, const std::string& path);

}  // namespace options_json

// Every field of `options`, as a JSON object.
template <class Options>
nlohmann::json options_to_json(Options options) {
  nlohmann::json out = nlohmann::json::object();
  auto write = [&out](const char* name, auto& value) { out[name] = value; };
  options.visit(write);
  return out;
}

// Applies the fields present in `json` to `options`. `path` names the object in messages
// ("strategy options: surrogate"). Unknown fields and wrong types throw InvalidArgument.
template <class Options>
void options_from_json(const nlohmann::json& json, const std::string& path, Options* options) {
  options_json::require_object(json, path);
  std::vector<std::string> known;
  auto read = [&](const char* name, auto& value) {
    known.push_back(name);
    if (auto it = json.find(name); it != json.end()) options_json::read(*it, path + "." + name, &value);
  };
  options->visit(read);
  for (auto it = json.begin(); it != json.end(); ++it)
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) options_json::unknown_field(path, it.key(), known);
}

}  // namespace boex
