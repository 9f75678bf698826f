// What only the PostgreSQL backend has: a server to reach. Bad URLs, passwords and servers give a
// clear StorageError that names the URL without its password, and write nothing; workers that
// open a new database together create its schema once; a cut connection is reported, then
// re-established. The behaviour every backend shares is in storage_conformance_test.cpp.
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "core/errors.h"
#include "storage/storage.h"
#include "support/storage_backends.h"

using namespace boex;
using namespace boex::testing;

namespace {

// A loopback port nothing listens on (the kernel's pick, released at once).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

// The password of a postgresql://user:password@host URL, or "" when it has none.
std::string password_of(const std::string& url) {
  const std::size_t start = url.find("://") + 3;
  const std::size_t at = url.find('@', start);
  const std::size_t colon = url.find(':', start);
  if (at == std::string::npos || colon > at) return "";
  return url.substr(colon + 1, at - colon - 1);
}

}  // namespace

TEST_CASE("a wrong password is a StorageError naming the URL without the password, and writes nothing",
          "[postgresql]") {
  if (unavailable<Postgres>()) return;
  Postgres backend;
  const std::string password = password_of(backend.url());
  if (password.empty()) return skip_test("the test server's URL has no password to get wrong");
  std::string wrong = backend.url();
  wrong.replace(wrong.find(":" + password + "@") + 1, password.size(), "not-the-password");
  CHECK_THROWS_AS(open_storage(wrong), StorageError);
  CHECK_THROWS_WITH(open_storage(wrong), Catch::Matchers::Contains("cannot connect to postgresql://") &&
                                             Catch::Matchers::Contains(":***@") &&
                                             Catch::Matchers::Contains("password authentication failed") &&
                                             !Catch::Matchers::Contains("not-the-password"));
  CHECK_FALSE(backend.table_exists("boex_meta"));
}

TEST_CASE("a server that is down is a StorageError naming the URL without the password", "[postgresql]") {
  if (unavailable<Postgres>()) return;
  const std::string url = "postgresql://boex:s3cret@127.0.0.1:" + std::to_string(free_port()) + "/lab";
  CHECK_THROWS_AS(open_storage(url), StorageError);
  CHECK_THROWS_WITH(open_storage(url), Catch::Matchers::Contains("cannot connect to postgresql://boex:***@127.0.0.1") &&
                                           !Catch::Matchers::Contains("s3cret"));
}

TEST_CASE("a database that does not exist is a StorageError naming it", "[postgresql]") {
  if (unavailable<Postgres>()) return;
  Postgres backend;
  const std::string url = with_database(backend.url(), "boex_no_such_database");
  CHECK_THROWS_WITH(open_storage(url), Catch::Matchers::Contains("boex_no_such_database"));
}

TEST_CASE("workers opening a new database together create its schema once", "[postgresql]") {
  if (unavailable<Postgres>()) return;
  Postgres backend;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int w = 0; w < 6; ++w)
    threads.emplace_back([&] {
      try {
        open_storage(backend.url())->studies();
      } catch (...) {
        ++errors;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(errors == 0);
  CHECK(backend.query("SELECT COUNT(*) FROM boex_meta") == "1");
}

TEST_CASE("a cut connection is reported as a StorageError, and the next call reconnects", "[postgresql]") {
  if (unavailable<Postgres>()) return;
  Postgres backend;
  auto storage = open_storage(backend.url());
  const auto id = storage->create_study([] {
                            StudyRecord r;
                            r.name = "s";
                            r.space = SearchSpace({Parameter::Float("x", 0, 1)});
                            return r;
                          }()).id;
  // What a server restart or a network cut does to a worker's connection.
  const std::string others =
      "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
  backend.exec("SELECT pg_terminate_backend(pid) " + others);
  for (int wait = 0; wait < 100 && backend.query("SELECT COUNT(*) " + others) != "0"; ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // The call on the dead connection fails, naming the server; the next one works again.
  try {
    storage->count_trials(id);
  } catch (const StorageError& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains("lost the connection to postgresql://") &&
                             Catch::Matchers::Contains(":***@"));
  }
  CHECK(storage->count_trials(id) == 0);
  Trial t;
  t.params = {{"x", 0.5}};
  CHECK(storage->add_trials(id, {t}, 0));
}
