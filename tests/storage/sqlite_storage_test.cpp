// What only the SQLite backend has: a file of its own (WAL journal, refusing files and paths that
// are not boex databases). The behaviour every backend shares is in storage_conformance_test.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/errors.h"
#include "storage/sqlite_handle.h"
#include "storage/storage.h"
#include "support/process.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

TEST_CASE("an SQLite file is kept in WAL mode, so readers never block the writer", "[sqlite]") {
  TempPath file;
  auto storage = open_storage(file.url());
  sqlite::Db db(file.path(), false);
  sqlite::Statement mode(db, "PRAGMA journal_mode");
  REQUIRE(mode.step());
  CHECK(mode.text(0) == "wal");
}

TEST_CASE("a file that is not a database is refused and left untouched", "[sqlite]") {
  TempPath file(".txt");
  { std::ofstream(file.path()) << "temperature,yield\n60,0.8\n"; }
  CHECK_THROWS_AS(open_storage(file.url()), StorageError);
  CHECK(slurp(file.path()) == "temperature,yield\n60,0.8\n");
}

TEST_CASE("a directory is refused as a database path", "[sqlite]") {
  CHECK_THROWS_AS(open_storage("sqlite:///" + std::filesystem::temp_directory_path().string()), StorageError);
}

TEST_CASE("a missing directory of a database path is created", "[sqlite]") {
  TempPath dir("-dir");
  open_storage("sqlite:///" + dir.path() + "/nested/lab.db");
  CHECK(std::filesystem::exists(dir.path() + "/nested/lab.db"));
  std::filesystem::remove_all(dir.path());
}

TEST_CASE("opening an existing database only leaves a mistyped path alone: no file, no directory", "[sqlite][hostile]") {
  TempPath dir("-dir");
  const std::string path = dir.path() + "/typo/lab.db";
  CHECK_THROWS_AS(open_storage("sqlite:///" + path, OpenMode::kExisting), NotFound);
  CHECK_THROWS_WITH(open_storage("sqlite:///" + path, OpenMode::kExisting), Catch::Matchers::Contains("typo/lab.db"));
  CHECK_FALSE(std::filesystem::exists(dir.path()));
  // An empty file is no boex database either, and stays empty.
  TempPath empty;
  { std::ofstream(empty.path()); }
  CHECK_THROWS_AS(open_storage(empty.url(), OpenMode::kExisting), NotFound);
  CHECK(std::filesystem::file_size(empty.path()) == 0);
}

TEST_CASE("a directory that cannot be created is a StorageError, not an internal error", "[sqlite][hostile]") {
  TempPath blocker(".txt");
  { std::ofstream(blocker.path()) << "a file where a directory should be"; }
  CHECK_THROWS_AS(open_storage("sqlite:///" + blocker.path() + "/nested/lab.db"), StorageError);
  CHECK_THROWS_WITH(open_storage("sqlite:///" + blocker.path() + "/nested/lab.db"),
                    Catch::Matchers::Contains("cannot create the directory"));
}
