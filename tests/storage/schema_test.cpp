// Schema versions: forward migration of older files; newer and foreign files are refused untouched.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/errors.h"
#include "storage/sqlite_schema.h"
#include "storage/sqlite_storage.h"
#include "support/process.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

TEST_CASE("a version-1 database is migrated forward and keeps its data", "[schema]") {
  TempPath file;
  {
    sqlite::Db db(file.path(), true);
    db.exec(sqlite::schema_sql(1));
    db.exec(R"sql(INSERT INTO studies (name, space, direction, strategy, seed, n_constraints, n_init, created_at)
      VALUES ('old', '{"parameters":[{"name":"x","type":"float","low":0,"high":1}]}', 'minimize', 'gp-logei', 3, 0, 0, 0);
      INSERT INTO trials (study_id, number, state, params, value, constraints, created_at, finished_at)
      VALUES (1, 0, 'complete', '{"x":0.25}', 1.5, '[]', 0, 0), (1, 1, 'running', '{"x":0.75}', NULL, '[]', 0, NULL);)sql");
  }
  auto storage = open_storage(file.url());
  {
    sqlite::Db db(file.path(), false);
    CHECK(sqlite::schema_version(db) == sqlite::kSchemaVersion);
  }
  const auto study = storage->find_study("old");
  REQUIRE(study);
  const auto trials = storage->trials(study->id);
  REQUIRE(trials.size() == 2);
  CHECK(*trials[0].value == 1.5);
  CHECK(trials[1].state == TrialState::kRunning);
  // What version 2 added works on the migrated file.
  storage->set_trial_attribute(study->id, trials[1].id, "operator", "ana");
  storage->heartbeat(study->id, trials[1].id);
  CHECK(storage->trial(study->id, trials[1].id).attributes.at("operator") == "ana");
  // And what version 3 added: measured outputs, none on the old trials.
  CHECK(study->n_outputs == 0);
  CHECK(trials[0].outputs.empty());
  storage->finish_trial(study->id, trials[1].id, TrialState::kComplete, 0.5, {}, {120.0, 0.25});
  CHECK(storage->trial(study->id, trials[1].id).outputs == std::vector<double>{120.0, 0.25});
  // Version 4: strategy settings; an old study has none stored (it uses version 4's defaults).
  CHECK(study->strategy_options.empty());
}

TEST_CASE("a database of a newer schema is refused and left untouched", "[schema]") {
  TempPath file;
  { open_storage(file.url()); }
  {
    sqlite::Db db(file.path(), false);
    db.exec("UPDATE boex_meta SET value = '99' WHERE key = 'schema_version'");
  }
  CHECK_THROWS_WITH(open_storage(file.url()), Catch::Matchers::Contains("newer") && Catch::Matchers::Contains("upgrade boex"));
  sqlite::Db db(file.path(), false);
  CHECK(sqlite::schema_version(db) == 99);
}

TEST_CASE("a file that is not a database is refused and left untouched", "[schema]") {
  TempPath file(".txt");
  { std::ofstream(file.path()) << "temperature,yield\n60,0.8\n"; }
  CHECK_THROWS_AS(open_storage(file.url()), StorageError);
  CHECK(slurp(file.path()) == "temperature,yield\n60,0.8\n");
}

TEST_CASE("a foreign SQLite database is refused as not a boex database", "[schema]") {
  TempPath file;
  {
    sqlite::Db db(file.path(), true);
    db.exec("CREATE TABLE samples (id INTEGER)");
  }
  CHECK_THROWS_AS(open_storage(file.url()), SchemaError);
}

TEST_CASE("a directory is refused as a database path", "[schema]") {
  CHECK_THROWS_AS(open_storage("sqlite:///" + std::filesystem::temp_directory_path().string()), StorageError);
}
