// The boex schema in PostgreSQL: the same tables, versions and forward migrations as SQLite's
// (sqlite_schema.h), in PostgreSQL's DDL. A database of a newer version is refused untouched.
#pragma once

#include <pqxx/pqxx>

namespace boex::postgres {

// Equal to sqlite::kSchemaVersion (checked at compile time): a migration added to one backend
// is added to every backend.
constexpr int kSchemaVersion = 5;

// The version of the database the transaction sees (in its current schema): 0 when it holds no
// tables, -1 when it holds tables but is not a boex database.
int schema_version(pqxx::transaction_base& tx);

// Creates the current schema in an empty database (when `create`; otherwise NotFound) or migrates
// an older one forward, in one transaction that concurrent first opens wait for. Throws
// SchemaError for a newer or foreign schema or a version that is not a number, having written
// nothing.
void ensure_schema(pqxx::connection_base& connection, bool create = true);

// The SQL of one historical version (for migration tests: build an old database, reopen it).
const char* schema_sql(int version);

}  // namespace boex::postgres
