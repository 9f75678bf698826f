// The boex schema in SQLite: its current version, creation, and forward migrations. A database of
// a newer version is refused, never reinterpreted.
#pragma once

#include "storage/sqlite_handle.h"

namespace boex::sqlite {

constexpr int kSchemaVersion = 5;

// Reads the version of an open database: 0 for an empty file, -1 for a database that holds
// tables but is not a boex database. Throws StorageError for a file that is not a database.
int schema_version(Db& db);

// Creates the current schema in an empty database (when `create`; otherwise NotFound, writing
// nothing), or migrates an older one forward in one transaction. Throws SchemaError for a newer
// or foreign schema, or a version that is not a number.
void ensure_schema(Db& db, bool create = true);

// The SQL of one historical version (for migration tests: build an old database, reopen it).
const char* schema_sql(int version);

}  // namespace boex::sqlite
