// Storage URLs to backends: one line per scheme.
#include <memory>

#include "core/errors.h"
#include "storage/sqlite_storage.h"

namespace boex {

std::unique_ptr<Storage> open_storage(const std::string& url) {
  if (url == "sqlite::memory:") return std::make_unique<SqliteStorage>(":memory:");
  const std::string sqlite_prefix = "sqlite:///";
  if (url.rfind(sqlite_prefix, 0) == 0 && url.size() > sqlite_prefix.size())
    return std::make_unique<SqliteStorage>(url.substr(sqlite_prefix.size()));
  throw InvalidArgument("unknown storage URL '" + url +
                        "' (use sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite::memory:)");
}

}  // namespace boex
