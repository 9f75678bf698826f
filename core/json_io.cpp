#include "core/json_io.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/utf8.h"

namespace boex {

using nlohmann::json;

namespace {

const json& number_field(const json& entry, const char* key, const std::string& where) {
  auto it = entry.find(key);
  if (it == entry.end() || !it->is_number())
    throw InvalidArgument(where + ": field '" + key + "' must be a number");
  return *it;
}

// An integer of a JSON number as written (10000000000000001 stays odd), or of an integral float
// such as 3.0 or 1e3; InvalidArgument beyond the int64 range or for a fraction.
std::int64_t exact_integer(const json& v, const std::string& what) {
  if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw InvalidArgument(what + " = " + v.dump() + " is beyond the 64-bit integer range");
    return static_cast<std::int64_t>(v.get<std::uint64_t>());
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  const double x = v.get<double>();
  if (x != std::floor(x)) throw InvalidArgument(what + " = " + v.dump() + " is not an integer");
  // 2^63 is the first double beyond int64 (the cast would be undefined).
  if (!(x >= -0x1p63 && x < 0x1p63)) throw InvalidArgument(what + " = " + v.dump() + " is beyond the 64-bit integer range");
  return static_cast<std::int64_t>(x);
}

Parameter parameter_from_json(const json& entry, std::size_t index) {
  std::string where = "search space parameter " + std::to_string(index);
  if (!entry.is_object()) throw InvalidArgument(where + " must be an object");
  auto name = entry.find("name");
  if (name == entry.end() || !name->is_string()) throw InvalidArgument(where + ": 'name' must be a string");
  where += " ('" + printable(name->get<std::string>()) + "')";
  auto type = entry.find("type");
  if (type == entry.end() || !type->is_string())
    throw InvalidArgument(where + ": 'type' must be one of float, int, categorical");
  const std::string t = type->get<std::string>();
  bool log = false;
  if (auto it = entry.find("log"); it != entry.end()) {
    if (!it->is_boolean()) throw InvalidArgument(where + ": 'log' must be true or false");
    log = it->get<bool>();
  }
  if (t == "float")
    return Parameter::Float(*name, number_field(entry, "low", where).get<double>(),
                            number_field(entry, "high", where).get<double>(), log);
  if (t == "int")
    return Parameter::Int(*name, exact_integer(number_field(entry, "low", where), where + ": int bound 'low'"),
                          exact_integer(number_field(entry, "high", where), where + ": int bound 'high'"), log);
  if (t == "categorical") {
    auto choices = entry.find("choices");
    if (choices == entry.end() || !choices->is_array())
      throw InvalidArgument(where + ": 'choices' must be an array of strings");
    std::vector<std::string> list;
    for (const json& c : *choices) {
      if (!c.is_string()) throw InvalidArgument(where + ": every choice must be a string");
      list.push_back(c.get<std::string>());
    }
    return Parameter::Categorical(*name, std::move(list));
  }
  throw InvalidArgument(where + ": unknown type '" + printable(t) + "' (float, int, categorical)");
}

}  // namespace

SearchSpace space_from_json(const json& doc) {
  if (!doc.is_object() || !doc.contains("parameters") || !doc["parameters"].is_array())
    throw InvalidArgument("search space JSON must be an object with a 'parameters' array");
  std::vector<Parameter> params;
  const json& list = doc["parameters"];
  for (std::size_t i = 0; i < list.size(); ++i) params.push_back(parameter_from_json(list[i], i));
  return SearchSpace(std::move(params));
}

json parse_json(const std::string& text, const std::string& what) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    // The parser quotes what it last read, which may hold the offending bytes.
    throw InvalidArgument(what + ": not valid JSON: " + printable(e.what()));
  }
}

SearchSpace space_from_json_text(const std::string& text) { return space_from_json(parse_json(text, "the search space")); }

json space_to_json(const SearchSpace& space) {
  json list = json::array();
  for (const Parameter& p : space.parameters()) {
    json entry = {{"name", p.name}};
    switch (p.type) {
      case ParameterType::kFloat: entry["type"] = "float"; break;
      case ParameterType::kInt: entry["type"] = "int"; break;
      case ParameterType::kCategorical: entry["type"] = "categorical"; break;
    }
    if (p.type == ParameterType::kCategorical) {
      entry["choices"] = p.choices;
    } else {
      if (p.type == ParameterType::kInt) {
        entry["low"] = static_cast<std::int64_t>(p.low);
        entry["high"] = static_cast<std::int64_t>(p.high);
      } else {
        entry["low"] = p.low;
        entry["high"] = p.high;
      }
      if (p.log) entry["log"] = true;
    }
    list.push_back(entry);
  }
  return json{{"parameters", list}};
}

Params params_from_json(const json& doc, const SearchSpace& space) {
  if (!doc.is_object()) throw InvalidArgument("parameters must be a JSON object {\"name\": value}");
  Params params;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const auto& all = space.parameters();
    const auto found = std::find_if(all.begin(), all.end(), [&](const Parameter& q) { return q.name == it.key(); });
    if (found == all.end())
      throw InvalidArgument("the point has a value for '" + printable(it.key()) + "', which is not a parameter of the space");
    const Parameter& p = *found;
    const json& v = it.value();
    if (p.type == ParameterType::kCategorical) {
      if (!v.is_string()) throw InvalidArgument("parameter '" + p.name + "' takes a string choice");
      params[p.name] = v.get<std::string>();
    } else if (v.is_number()) {
      if (p.type == ParameterType::kInt)
        params[p.name] = exact_integer(v, "parameter '" + p.name + "'");
      else
        params[p.name] = v.get<double>();
    } else {
      throw InvalidArgument("parameter '" + p.name + "' takes a number");
    }
  }
  space.validate(params);
  return params;
}

json params_to_json(const Params& params) {
  json out = json::object();
  for (const auto& [name, value] : params)
    std::visit([&, &n = name](const auto& v) { out[n] = v; }, value);
  return out;
}

}  // namespace boex
