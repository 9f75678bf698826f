// The small exception hierarchy of boex. Every error a user can cause derives from boex::Error, so
// callers (and the CLI) can catch one type and still tell the kinds apart.
#pragma once

#include <stdexcept>
#include <string>

namespace boex {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  // A short stable name of the error kind, used by the CLI's JSON error objects.
  virtual const char* kind() const noexcept { return "error"; }
};

// A value, option or input the caller passed is wrong (NaN, out of bounds, malformed JSON ...).
class InvalidArgument : public Error {
 public:
  using Error::Error;
  const char* kind() const noexcept override { return "invalid_argument"; }
};

// Something named does not exist (unknown study, trial id, strategy).
class NotFound : public Error {
 public:
  using Error::Error;
  const char* kind() const noexcept override { return "not_found"; }
};

// The operation is not allowed in the current state (a trial told twice, a study that exists).
class StateError : public Error {
 public:
  using Error::Error;
  const char* kind() const noexcept override { return "state_error"; }
};

// The storage backend failed (I/O, locking, a file that is not a database).
class StorageError : public Error {
 public:
  using Error::Error;
  const char* kind() const noexcept override { return "storage_error"; }
};

// A database's schema is newer than this build understands, or is not a boex schema.
class SchemaError : public StorageError {
 public:
  using StorageError::StorageError;
  const char* kind() const noexcept override { return "schema_error"; }
};

// Numerical trouble that the internal fallbacks could not absorb (reported, never a crash).
class NumericalError : public Error {
 public:
  using Error::Error;
  const char* kind() const noexcept override { return "numerical_error"; }
};

}  // namespace boex
