// A PostgreSQL database of one's own for a test, on the server named by BOEX_TEST_POSTGRES_URL
// (scripts/with_postgres.sh starts one): created empty, dropped when the object dies, so tests
// run in parallel without seeing each other.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <unistd.h>

#ifdef BOEX_WITH_POSTGRES
#include <pqxx/pqxx>
#endif

namespace boex::testing {

// Why PostgreSQL tests cannot run here, or nullopt when they can.
inline std::optional<std::string> postgres_unavailable() {
#ifndef BOEX_WITH_POSTGRES
  return std::string("this build has no PostgreSQL storage (libpqxx-dev was not installed)");
#else
  const char* url = std::getenv("BOEX_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0')
    return std::string("BOEX_TEST_POSTGRES_URL is not set (scripts/with_postgres.sh starts a throw-away server)");
  return std::nullopt;
#endif
}

// `url` with its database name replaced.
inline std::string with_database(const std::string& url, const std::string& database) {
  const std::size_t authority = url.find("://") + 3;
  const std::size_t query = std::min(url.find('?', authority), url.size());
  const std::size_t slash = std::min(url.find('/', authority), query);
  return url.substr(0, slash) + "/" + database + url.substr(query);
}

#ifdef BOEX_WITH_POSTGRES

class PostgresDatabase {
 public:
  PostgresDatabase() : server_(std::getenv("BOEX_TEST_POSTGRES_URL")) {
    static std::atomic<int> counter{0};
    name_ = "boex_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(std::random_device{}() % 100000);
    admin("CREATE DATABASE " + name_);
    url_ = with_database(server_, name_);
  }
  ~PostgresDatabase() {
    try {
      admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {  // a database left behind goes with the throw-away cluster
    }
  }
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& server_url() const { return server_; }

  // Raw SQL on the database, bypassing boex (to build old schemas, to look at what was written).
  void exec(const std::string& sql) const {
    pqxx::connection c(url_);
    pqxx::nontransaction tx(c);
    tx.exec(sql);
  }
  // The first column of the first row, as text.
  std::string query(const std::string& sql) const {
    pqxx::connection c(url_);
    pqxx::nontransaction tx(c);
    return tx.exec1(sql)[0].as<std::string>();
  }

 private:
  void admin(const std::string& sql) const {
    pqxx::connection c(server_);
    pqxx::nontransaction tx(c);
    tx.exec(sql);
  }

  std::string server_, name_, url_;
};

#endif

}  // namespace boex::testing
