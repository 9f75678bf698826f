// Turns of one study at a time across the processes and connections sharing an SQLite file: an
// exclusive lock on one byte (the study's id) of a side file "<database>-lock", so writers of
// trials wait in the kernel for each other, never for the database's own write lock.
#pragma once

#include <cstdint>
#include <string>

namespace boex {

class FileTurns {
 public:
  // The lock file is opened (created when missing) on the first take(); nothing happens before.
  explicit FileTurns(std::string database_path);
  ~FileTurns();
  FileTurns(const FileTurns&) = delete;
  FileTurns& operator=(const FileTurns&) = delete;

  // Held until destroyed. The lock belongs to this object's open file (Linux open file description
  // locks), not to the process, so two connections in one process take turns too; the kernel
  // drops it when its holder dies.
  class Turn {
   public:
    Turn(Turn&& other) noexcept;
    ~Turn();

   private:
    friend class FileTurns;
    Turn(int fd, std::int64_t offset) : fd_(fd), offset_(offset) {}
    int fd_ = -1;
    std::int64_t offset_ = 0;
  };

  // Waits for the study's turn; StorageError when the lock file cannot be opened or locked.
  Turn take(std::int64_t study_id);

  static std::string lock_path(const std::string& database_path) { return database_path + "-lock"; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace boex
