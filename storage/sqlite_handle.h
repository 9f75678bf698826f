// Thin RAII wrappers over SQLite's C API: a connection, a prepared statement, a transaction that
// rolls back unless committed. Every failing call throws StorageError with sqlite3_errmsg.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace boex::sqlite {

class Db {
 public:
  // Opens (creating when allowed) a database file, or ":memory:". Sets a busy timeout so that
  // concurrent writers wait for the lock instead of failing.
  Db(const std::string& path, bool create, int busy_timeout_ms = 60000);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* get() const { return db_; }
  void exec(const std::string& sql);
  void check(int rc, const std::string& what) const;
  std::int64_t last_insert_rowid() const;
  int changes() const;

 private:
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Db& db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, std::optional<double> value);
  Statement& bind(int index, const std::optional<std::string>& value);  // nullopt binds NULL
  Statement& bind_null(int index);
  // Advances; true while a row is available.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  Db& db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

class Transaction {
 public:
  // immediate: take the write lock now (BEGIN IMMEDIATE), so a read-then-write cannot deadlock.
  explicit Transaction(Db& db, bool immediate = true);
  ~Transaction();
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace boex::sqlite
