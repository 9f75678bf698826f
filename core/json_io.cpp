#include "core/json_io.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace boex {

using nlohmann::json;

namespace {

double number_field(const json& entry, const char* key, const std::string& where) {
  auto it = entry.find(key);
  if (it == entry.end() || !it->is_number())
    throw InvalidArgument(where + ": field '" + key + "' must be a number");
  return it->get<double>();
}

Parameter parameter_from_json(const json& entry, std::size_t index) {
  std::string where = "search space parameter " + std::to_string(index);
  if (!entry.is_object()) throw InvalidArgument(where + " must be an object");
  auto name = entry.find("name");
  if (name == entry.end() || !name->is_string()) throw InvalidArgument(where + ": 'name' must be a string");
  where += " ('" + name->get<std::string>() + "')";
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
    return Parameter::Float(*name, number_field(entry, "low", where), number_field(entry, "high", where), log);
  if (t == "int") {
    const double lo = number_field(entry, "low", where), hi = number_field(entry, "high", where);
    if (lo != std::floor(lo) || hi != std::floor(hi)) throw InvalidArgument(where + ": int bounds must be integers");
    return Parameter::Int(*name, static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi), log);
  }
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
  throw InvalidArgument(where + ": unknown type '" + t + "' (float, int, categorical)");
}

// A fidelity is a float or int entry with "fidelity": true and its "target" value.
Parameter with_fidelity(const json& entry, Parameter p, std::size_t index) {
  const std::string where = "search space parameter " + std::to_string(index) + " ('" + p.name + "')";
  auto fidelity = entry.find("fidelity");
  if (fidelity != entry.end() && !fidelity->is_boolean()) throw InvalidArgument(where + ": 'fidelity' must be true or false");
  if (fidelity == entry.end() || !fidelity->get<bool>()) {
    if (entry.contains("target")) throw InvalidArgument(where + ": 'target' is for a fidelity parameter (\"fidelity\": true)");
    return p;
  }
  return p.as_fidelity(number_field(entry, "target", where));
}

}  // namespace

SearchSpace space_from_json(const json& doc) {
  if (!doc.is_object() || !doc.contains("parameters") || !doc["parameters"].is_array())
    throw InvalidArgument("search space JSON must be an object with a 'parameters' array");
  std::vector<Parameter> params;
  const json& list = doc["parameters"];
  for (std::size_t i = 0; i < list.size(); ++i) params.push_back(with_fidelity(list[i], parameter_from_json(list[i], i), i));
  return SearchSpace(std::move(params));
}

SearchSpace space_from_json_text(const std::string& text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InvalidArgument(std::string("search space is not valid JSON: ") + e.what());
  }
  return space_from_json(doc);
}

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
      if (p.fidelity) {
        entry["fidelity"] = true;
        if (p.type == ParameterType::kInt)
          entry["target"] = static_cast<std::int64_t>(p.target);
        else
          entry["target"] = p.target;
      }
    }
    list.push_back(entry);
  }
  return json{{"parameters", list}};
}

Params params_from_json(const json& doc, const SearchSpace& space) {
  if (!doc.is_object()) throw InvalidArgument("parameters must be a JSON object {\"name\": value}");
  Params params;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const Parameter& p = space.parameter(it.key());
    const json& v = it.value();
    if (p.type == ParameterType::kCategorical) {
      if (!v.is_string()) throw InvalidArgument("parameter '" + p.name + "' takes a string choice");
      params[p.name] = v.get<std::string>();
    } else if (v.is_number()) {
      const double x = v.get<double>();
      if (p.type == ParameterType::kInt && std::isfinite(x) && x == std::floor(x))
        params[p.name] = static_cast<std::int64_t>(x);
      else
        params[p.name] = x;
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
