#include "storage/schema_version.h"

#include "core/errors.h"
#include "core/parse_number.h"
#include "core/utf8.h"

namespace boex {

int parse_schema_version(const std::string& text) {
  int version = 0;
  try {
    version = parse_int(text, "schema_version");
  } catch (const InvalidArgument&) {
    version = 0;
  }
  if (version < 1)
    throw SchemaError("the database's schema_version '" + printable(text) +
                      "' is not a version number: the database is damaged or not a boex database");
  return version;
}

}  // namespace boex
