#include "core/options_json.h"

#include <cmath>
#include <limits>

#include "core/errors.h"
#include "core/registry.h"

namespace boex::options_json {
namespace {

[[noreturn]] void wrong_type(const std::string& path, const char* expected, const nlohmann::json& value) {
  throw InvalidArgument(path + " must be " + expected + ", got " + value.dump());
}

}  // namespace

void read(const nlohmann::json& value, const std::string& path, double* out) {
  if (!value.is_number() || !std::isfinite(value.get<double>())) wrong_type(path, "a finite number", value);
  *out = value.get<double>();
}

void read(const nlohmann::json& value, const std::string& path, int* out) {
  if (!value.is_number_integer()) wrong_type(path, "an integer", value);
  const std::int64_t v = value.get<std::int64_t>();
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max() ||
      (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max())))
    wrong_type(path, "an integer of 32 bits", value);
  *out = static_cast<int>(v);
}

void read(const nlohmann::json& value, const std::string& path, std::uint64_t* out) {
  if (!value.is_number_unsigned()) wrong_type(path, "a non-negative integer", value);
  *out = value.get<std::uint64_t>();
}

void read(const nlohmann::json& value, const std::string& path, bool* out) {
  if (!value.is_boolean()) wrong_type(path, "true or false", value);
  *out = value.get<bool>();
}

void read(const nlohmann::json& value, const std::string& path, std::string* out) {
  if (!value.is_string()) wrong_type(path, "a string", value);
  *out = value.get<std::string>();
}

void read(const nlohmann::json& value, const std::string& path, std::vector<int>* out) {
  if (!value.is_array()) wrong_type(path, "an array of integers", value);
  std::vector<int> result(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) read(value[i], path + "[" + std::to_string(i) + "]", &result[i]);
  *out = std::move(result);
}

void unknown_field(const std::string& path, const std::string& field, const std::vector<std::string>& known) {
  throw InvalidArgument(path + " has no field '" + field + "' (known: " + join(known) + ")");
}

void require_object(const nlohmann::json& value, const std::string& path) {
  if (!value.is_object()) throw InvalidArgument(path + " must be a JSON object, got " + value.dump());
}

}  // namespace boex::options_json
