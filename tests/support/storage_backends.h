// The storage backends that tests run against (as Catch2 template types), so one test proves a
// behaviour on every backend: each object is a fresh private database with its URL and raw SQL
// access for schema tests. A test that cannot run on a backend says so with skip_test.
#pragma once

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "storage/sqlite_handle.h"
#include "storage/sqlite_schema.h"
#include "storage/storage.h"
#include "support/postgres_database.h"
#include "support/temp_path.h"
#ifdef BOEX_WITH_POSTGRES
#include "storage/postgres_schema.h"
#endif

namespace boex::testing {

// Reports that the rest of a test cannot run here; the test returns right after
// (`if (...) return skip_test("why");`). Under ctest, which sets BOEX_SKIP_EXIT_CODE and runs each
// test case in its own process, the process exits with that code and ctest lists the test as
// skipped; run directly, the test passes with the warning.
inline void skip_test(const std::string& why) {
  WARN("skipped: " << why);
  if (const char* code = std::getenv("BOEX_SKIP_EXIT_CODE")) {
    std::fprintf(stderr, "skipped: %s\n", why.c_str());
    std::fflush(nullptr);
    std::_Exit(std::atoi(code));
  }
}

// An SQLite file in the temporary directory.
struct SqliteFile {
  static constexpr const char* kName = "sqlite:///<temp file>";
  // Other connections and processes that open the URL see the same database.
  static constexpr bool kShared = true;
  static std::optional<std::string> unavailable() { return std::nullopt; }
  static const char* schema_sql(int version) { return sqlite::schema_sql(version); }
  static constexpr int kSchemaVersion = sqlite::kSchemaVersion;

  TempPath file;
  std::string url() const { return file.url(); }
  void exec(const std::string& sql) const {
    sqlite::Db db(file.path(), true);
    db.exec(sql);
  }
  std::string query(const std::string& sql) const {
    sqlite::Db db(file.path(), false);
    sqlite::Statement q(db, sql);
    q.step();
    return q.text(0);
  }
  bool table_exists(const std::string& table) const {
    return query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'") != "0";
  }
};

// The raw-SQL members of a backend no test may reach (the tests that need them skip it first).
struct NoOutsideAccess {
  static const char* schema_sql(int) { throw std::logic_error("no outside access to this backend"); }
  static constexpr int kSchemaVersion = 0;
  void exec(const std::string&) const { throw std::logic_error("no outside access to this backend"); }
  std::string query(const std::string&) const { throw std::logic_error("no outside access to this backend"); }
  bool table_exists(const std::string&) const { throw std::logic_error("no outside access to this backend"); }
};

// sqlite::memory: : every open is a new, empty database, seen by that Storage object only.
struct SqliteMemory : NoOutsideAccess {
  static constexpr const char* kName = "sqlite::memory:";
  static constexpr bool kShared = false;
  static std::optional<std::string> unavailable() { return std::nullopt; }
  std::string url() const { return "sqlite::memory:"; }
};

#ifdef BOEX_WITH_POSTGRES
// A database of its own on the test server.
struct Postgres {
  static constexpr const char* kName = "postgresql://<test server>/<own database>";
  static constexpr bool kShared = true;
  static std::optional<std::string> unavailable() { return postgres_unavailable(); }
  static const char* schema_sql(int version) { return postgres::schema_sql(version); }
  static constexpr int kSchemaVersion = postgres::kSchemaVersion;

  PostgresDatabase database;
  std::string url() const { return database.url(); }
  void exec(const std::string& sql) const { database.exec(sql); }
  std::string query(const std::string& sql) const { return database.query(sql); }
  bool table_exists(const std::string& table) const {
    return query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND "
                 "table_name = '" + table + "'") != "0";
  }
};
#else
// Without libpqxx the PostgreSQL cases still exist, and are reported as skipped.
struct Postgres : NoOutsideAccess {
  static constexpr const char* kName = "postgresql://";
  static constexpr bool kShared = true;
  static std::optional<std::string> unavailable() { return postgres_unavailable(); }
  std::string url() const { throw std::logic_error("no PostgreSQL in this build"); }
};
#endif

// Reports a part of a test that cannot run here, the rest having run (the test still passes).
inline void skip_rest(const std::string& why) { WARN("the rest of this test skipped: " << why); }

// Skips the test when Backend cannot run here: `if (unavailable<TestType>()) return;`.
template <class Backend>
bool unavailable() {
  const std::optional<std::string> why = Backend::unavailable();
  if (why) skip_test(std::string(Backend::kName) + ": " + *why);
  return why.has_value();
}

// Skips the test on backends whose database only one Storage object sees (sqlite::memory:).
template <class Backend>
bool not_shared(const char* what) {
  if (!Backend::kShared) skip_test(std::string(Backend::kName) + " is private to one connection: no " + what);
  return !Backend::kShared;
}

}  // namespace boex::testing
