#include "storage/sqlite_schema.h"

#include <string>

#include "core/errors.h"
#include "storage/schema_version.h"

namespace boex::sqlite {
namespace {

// Version 1: studies and trials only.
const char* kSchemaV1 = R"sql(
CREATE TABLE boex_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE studies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  space TEXT NOT NULL,
  direction TEXT NOT NULL,
  strategy TEXT NOT NULL,
  seed INTEGER NOT NULL,
  n_constraints INTEGER NOT NULL,
  n_init INTEGER NOT NULL,
  created_at REAL NOT NULL);
CREATE TABLE trials (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id INTEGER NOT NULL REFERENCES studies(id),
  number INTEGER NOT NULL,
  state TEXT NOT NULL,
  params TEXT NOT NULL,
  value REAL,
  constraints TEXT NOT NULL DEFAULT '[]',
  created_at REAL NOT NULL,
  finished_at REAL,
  UNIQUE (study_id, number));
CREATE INDEX trials_by_state ON trials (study_id, state);
INSERT INTO boex_meta (key, value) VALUES ('schema_version', '1');
)sql";

// Version 2: heartbeats and failure reasons for many workers; user attributes.
const char* kMigrateV1ToV2 = R"sql(
ALTER TABLE trials ADD COLUMN heartbeat REAL;
ALTER TABLE trials ADD COLUMN fail_reason TEXT;
CREATE TABLE study_attributes (
  study_id INTEGER NOT NULL REFERENCES studies(id),
  key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (study_id, key));
CREATE TABLE trial_attributes (
  trial_id INTEGER NOT NULL REFERENCES trials(id),
  key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (trial_id, key));
UPDATE trials SET heartbeat = created_at;
UPDATE boex_meta SET value = '2' WHERE key = 'schema_version';
)sql";

// Version 3: measured outputs of composite studies.
const char* kMigrateV2ToV3 = R"sql(
ALTER TABLE studies ADD COLUMN n_outputs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trials ADD COLUMN outputs TEXT NOT NULL DEFAULT '[]';
UPDATE boex_meta SET value = '3' WHERE key = 'schema_version';
)sql";

// Version 4: the strategy's settings (surrogate, acquisition, optimiser options as JSON), so a
// study keeps suggesting as it did when its defaults change. Older studies get '' ("the defaults
// of version 4", which are what every earlier version used).
const char* kMigrateV3ToV4 = R"sql(
ALTER TABLE studies ADD COLUMN strategy_options TEXT NOT NULL DEFAULT '';
UPDATE boex_meta SET value = '4' WHERE key = 'schema_version';
)sql";

// Version 5: what the multi-fidelity, multi-objective, learning-curve and candidate-pool features
// keep: study settings as JSON, each trial's objective values and cost, intermediate reports, and
// a study's candidate points.
const char* kMigrateV4ToV5 = R"sql(
ALTER TABLE studies ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE trials ADD COLUMN objective_values TEXT NOT NULL DEFAULT '[]';
ALTER TABLE trials ADD COLUMN cost REAL;
CREATE TABLE trial_reports (
  trial_id INTEGER NOT NULL REFERENCES trials(id),
  step INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (trial_id, step));
CREATE TABLE study_candidates (
  study_id INTEGER NOT NULL REFERENCES studies(id),
  position INTEGER NOT NULL, params TEXT NOT NULL, PRIMARY KEY (study_id, position));
UPDATE boex_meta SET value = '5' WHERE key = 'schema_version';
)sql";

}  // namespace

const char* schema_sql(int version) {
  if (version == 1) return kSchemaV1;
  throw InvalidArgument("no stored SQL for schema version " + std::to_string(version));
}

int schema_version(Db& db) {
  Statement tables(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'");
  tables.step();
  if (tables.int64(0) == 0) return 0;
  Statement meta(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'boex_meta'");
  meta.step();
  if (meta.int64(0) == 0) return -1;
  Statement version(db, "SELECT value FROM boex_meta WHERE key = 'schema_version'");
  if (!version.step()) return -1;
  return parse_schema_version(version.text(0));
}

void ensure_schema(Db& db, bool create) {
  Transaction tx(db);
  const int version = schema_version(db);
  if (version == 0 && !create) throw NotFound("holds no boex database");
  if (version == -1) throw SchemaError("the database holds tables but is not a boex database");
  if (version > kSchemaVersion)
    throw SchemaError("the database has schema version " + std::to_string(version) +
                      ", newer than this boex understands (" + std::to_string(kSchemaVersion) +
                      "); upgrade boex to open it");
  if (version == kSchemaVersion) return;  // rolls back the empty transaction
  if (version == 0) db.exec(kSchemaV1);
  // Each step moves one version forward; all of them commit together or not at all.
  if (version <= 1) db.exec(kMigrateV1ToV2);
  if (version <= 2) db.exec(kMigrateV2ToV3);
  if (version <= 3) db.exec(kMigrateV3ToV4);
  db.exec(kMigrateV4ToV5);
  tx.commit();
}

}  // namespace boex::sqlite
