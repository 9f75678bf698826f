// JSON forms of the core types (design.md): the search-space document and parameter objects.
// Shared by storage (which keeps them as text) and the CLI.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/search_space.h"

namespace boex {

// Parses JSON text; any failure (syntax, bad UTF-8, a number beyond a double such as 1e309) is an
// InvalidArgument "<what>: not valid JSON: ...".
nlohmann::json parse_json(const std::string& text, const std::string& what);

// Parses {"parameters": [{"name", "type": float|int|categorical|sequence, "low", "high", "log",
// "choices", "fidelity": true, "target"}]} ("target" only with "fidelity"); a sequence takes
// "length", "alphabet" (default the 20 amino acids) and "embedding" ("onehot" by default,
// "blosum62", or {"table": {"A": [features], ...}}). Throws InvalidArgument saying which entry and
// field is wrong.
SearchSpace space_from_json(const nlohmann::json& doc);
SearchSpace space_from_json_text(const std::string& text);
nlohmann::json space_to_json(const SearchSpace& space);

// {"name": value}: floats as numbers, ints as integers, categoricals as strings. Values are
// typed by the space (an int parameter given 3.0 becomes 3, exactly: integers are not rounded
// through a double); the result is validated.
Params params_from_json(const nlohmann::json& doc, const SearchSpace& space);
nlohmann::json params_to_json(const Params& params);

}  // namespace boex
