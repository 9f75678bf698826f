#include "core/json_io.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
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

SiteEmbedding embedding_from_json(const json& entry, const std::string& where) {
  auto it = entry.find("embedding");
  if (it == entry.end()) return SiteEmbedding();
  if (it->is_string()) return SiteEmbedding::named(it->get<std::string>());
  const std::string usage = where + ": 'embedding' must be \"onehot\", \"blosum62\" or {\"table\": {\"A\": [features], ...}}";
  if (!it->is_object()) throw InvalidArgument(usage);
  if (it->contains("csv"))
    throw InvalidArgument(where + ": an embedding CSV file is read by the boex CLI; give the table inline as {\"table\": ...}");
  auto table = it->find("table");
  if (table == it->end() || !table->is_object() || it->size() != 1) throw InvalidArgument(usage);
  std::map<char, std::vector<double>> rows;
  for (auto row = table->begin(); row != table->end(); ++row) {
    if (row.key().size() != 1) throw InvalidArgument(where + ": embedding table keys must be single letters, got '" + row.key() + "'");
    if (!row.value().is_array()) throw InvalidArgument(where + ": the embedding of '" + row.key() + "' must be an array of numbers");
    std::vector<double> features;
    for (const json& f : row.value()) {
      if (!f.is_number()) throw InvalidArgument(where + ": the embedding of '" + row.key() + "' must be an array of numbers");
      features.push_back(f.get<double>());
    }
    rows[row.key()[0]] = std::move(features);
  }
  try {
    return SiteEmbedding::table(std::move(rows));
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(where + ": " + e.what());
  }
}

Parameter sequence_from_json(const json& entry, const std::string& where) {
  const double length = number_field(entry, "length", where).get<double>();
  if (length != std::floor(length) || length < 1 || length > 1e6)
    throw InvalidArgument(where + ": 'length' must be a whole number of sites >= 1");
  std::string alphabet = kAminoAcids;
  if (auto it = entry.find("alphabet"); it != entry.end()) {
    if (!it->is_string()) throw InvalidArgument(where + ": 'alphabet' must be a string of letters, e.g. \"ACGT\"");
    alphabet = it->get<std::string>();
  }
  return Parameter::Sequence(entry["name"].get<std::string>(), static_cast<int>(length), alphabet,
                             embedding_from_json(entry, where));
}

Parameter parameter_from_json(const json& entry, std::size_t index) {
  std::string where = "search space parameter " + std::to_string(index);
  if (!entry.is_object()) throw InvalidArgument(where + " must be an object");
  auto name = entry.find("name");
  if (name == entry.end() || !name->is_string()) throw InvalidArgument(where + ": 'name' must be a string");
  where += " ('" + printable(name->get<std::string>()) + "')";
  auto type = entry.find("type");
  if (type == entry.end() || !type->is_string())
    throw InvalidArgument(where + ": 'type' must be one of float, int, categorical, sequence");
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
  if (t == "sequence") return sequence_from_json(entry, where);
  throw InvalidArgument(where + ": unknown type '" + printable(t) + "' (float, int, categorical, sequence)");
}

// A fidelity is a float or int entry with "fidelity": true and its "target" value.
Parameter with_fidelity(const json& entry, Parameter p, std::size_t index) {
  const std::string where = "search space parameter " + std::to_string(index) + " ('" + printable(p.name) + "')";
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
  if (auto it = doc.find("constraints"); it != doc.end()) return SearchSpace(std::move(params), constraints_from_json(*it));
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
      case ParameterType::kSequence: entry["type"] = "sequence"; break;
    }
    if (p.type == ParameterType::kSequence) {
      entry["length"] = p.length;
      entry["alphabet"] = p.alphabet;
      if (p.embedding.name() == "table") {
        json table = json::object();
        for (const auto& [letter, features] : p.embedding.rows()) table[std::string(1, letter)] = features;
        entry["embedding"] = json{{"table", table}};
      } else {
        entry["embedding"] = p.embedding.name();
      }
    } else if (p.type == ParameterType::kCategorical) {
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
  json doc{{"parameters", list}};
  if (!space.constraints().empty()) doc["constraints"] = constraints_to_json(space.constraints());
  return doc;
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
    if (p.type == ParameterType::kCategorical || p.type == ParameterType::kSequence) {
      if (!v.is_string())
        throw InvalidArgument("parameter '" + p.name + "' takes a string " +
                              (p.type == ParameterType::kSequence ? "of letters" : "choice"));
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
