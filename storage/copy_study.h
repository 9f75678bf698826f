// Moving studies between storages, e.g. a lab's SQLite file onto the team's PostgreSQL server:
// each study with its settings and attributes, every trial with its state, values, constraints,
// outputs, attributes, heartbeat and times, so the copy suggests exactly as the original would.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/storage.h"

namespace boex {

struct CopiedStudy {
  std::string name;
  std::int64_t n_trials = 0;
};

// Copies the study named `name`, or every study of `from` when `name` is empty, into `to`, one
// transaction per study. Throws NotFound for an unknown name, StorageError naming the studies of
// `from` that cannot be read, and StateError when `to` already holds a study of a name to copy,
// having written nothing in either case.
std::vector<CopiedStudy> copy_studies(Storage& from, Storage& to, const std::string& name = "");

}  // namespace boex
