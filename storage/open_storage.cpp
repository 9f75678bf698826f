// Storage URLs to backends: one line per scheme.
#include <algorithm>
#include <memory>
#include <regex>

#include "core/errors.h"
#include "core/utf8.h"
#include "storage/sqlite_storage.h"
#ifdef BOEX_WITH_POSTGRES
#include "storage/postgres_storage.h"
#endif

namespace boex {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

std::string masked_url(const std::string& url) {
  std::string out = url;
  // postgresql://user:password@host -> postgresql://user:***@host
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    const std::size_t end = std::min(out.find_first_of("/?", start), out.size());
    const std::size_t at = out.rfind('@', end - 1);
    if (at != std::string::npos && at >= start) {
      const std::size_t colon = out.find(':', start);
      if (colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ...?password=secret&... -> ...?password=***&...
  static const std::regex parameter("([?&]password=)[^&]*");
  return std::regex_replace(out, parameter, "$1***");
}

std::unique_ptr<Storage> open_storage(const std::string& url, OpenMode mode) {
  if (url == "sqlite::memory:") return std::make_unique<SqliteStorage>(":memory:");
  const std::string sqlite_prefix = "sqlite:///";
  if (starts_with(url, sqlite_prefix) && url.size() > sqlite_prefix.size())
    return std::make_unique<SqliteStorage>(url.substr(sqlite_prefix.size()), mode);
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
#ifdef BOEX_WITH_POSTGRES
    return std::make_unique<PostgresStorage>(url, mode);
#else
    throw StorageError("this build of boex has no PostgreSQL storage (libpqxx was not found when it was built); "
                       "install libpqxx-dev and rebuild to use postgresql:// URLs");
#endif
  }
  throw InvalidArgument("unknown storage URL '" + printable(masked_url(url)) +
                        "' (use sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite::memory: or "
                        "postgresql://user:password@host:port/dbname)");
}

}  // namespace boex
