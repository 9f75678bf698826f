// The schema version every backend stores as text in boex_meta, read strictly: a damaged or
// foreign value is a SchemaError, never a crash or a guess.
#pragma once

#include <string>

namespace boex {

// "4" -> 4; SchemaError for anything but a positive decimal integer.
int parse_schema_version(const std::string& text);

}  // namespace boex
