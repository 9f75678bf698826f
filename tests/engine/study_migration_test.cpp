// Studies in files of an older schema open, migrate and suggest exactly as before.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/study.h"
#include "storage/sqlite_handle.h"
#include "storage/sqlite_schema.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

TEST_CASE("a study in a schema-3 file (no stored strategy settings) migrates and suggests as before", "[schema]") {
  const SearchSpace space({Parameter::Float("x", 0, 1), Parameter::Float("y", -2, 2), Parameter::Int("k", 1, 5)});
  TempPath old_file, fresh_file;
  Study::Options o;
  o.seed = 8;
  o.n_init = 4;
  for (const TempPath* file : {&old_file, &fresh_file}) {
    Study study = Study::open(file->url(), "s", space, o);
    for (int i = 0; i < 8; ++i) {
      const double x = std::fmod(0.37 * i, 1.0), y = -2.0 + std::fmod(1.3 * i, 4.0);
      const std::int64_t k = 1 + i % 5;
      study.add_measured({{"x", x}, {"y", y}, {"k", k}}, std::pow(x - 0.4, 2) + std::abs(y) + 0.1 * k);
    }
  }
  {
    // What schemas 4 and 5 added goes, and the file says it is version 3, as a file written then
    // would.
    sqlite::Db db(old_file.path(), false);
    db.exec("ALTER TABLE studies DROP COLUMN strategy_options");
    db.exec("ALTER TABLE studies DROP COLUMN settings");
    db.exec("ALTER TABLE trials DROP COLUMN objective_values");
    db.exec("ALTER TABLE trials DROP COLUMN cost");
    db.exec("DROP TABLE trial_reports");
    db.exec("DROP TABLE study_candidates");
    db.exec("UPDATE boex_meta SET value = '3' WHERE key = 'schema_version'");
    CHECK(sqlite::schema_version(db) == 3);
  }
  Study migrated = Study::load(old_file.url(), "s");
  {
    sqlite::Db db(old_file.path(), false);
    CHECK(sqlite::schema_version(db) == sqlite::kSchemaVersion);
  }
  CHECK(migrated.record().strategy_options.empty());  // "the defaults of schema 4"
  Study fresh = Study::load(fresh_file.url(), "s");
  const auto a = migrated.ask(2), b = fresh.ask(2);
  CHECK(a[0].params == b[0].params);
  CHECK(a[1].params == b[1].params);
}
