#include "storage/file_turns.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/errors.h"

namespace boex {
namespace {

// Open-file-description locks where the kernel has them (Linux >= 3.15); elsewhere classic POSIX
// locks, which are per process: threads then rely on the Storage object's mutex alone.
#ifdef F_OFD_SETLKW
constexpr int kWait = F_OFD_SETLKW;
constexpr int kSet = F_OFD_SETLK;
#else
constexpr int kWait = F_SETLKW;
constexpr int kSet = F_SETLK;
#endif

bool lock(int fd, std::int64_t offset, short type) {
  struct flock region;
  std::memset(&region, 0, sizeof(region));
  region.l_type = type;
  region.l_whence = SEEK_SET;
  region.l_start = static_cast<off_t>(offset);
  region.l_len = 1;
  for (;;) {
    if (fcntl(fd, type == F_UNLCK ? kSet : kWait, &region) == 0) return true;
    if (errno != EINTR) return false;
  }
}

}  // namespace

FileTurns::FileTurns(std::string database_path) : path_(lock_path(database_path)) {}

FileTurns::~FileTurns() {
  if (fd_ >= 0) ::close(fd_);
}

FileTurns::Turn::Turn(Turn&& other) noexcept : fd_(other.fd_), offset_(other.offset_) { other.fd_ = -1; }

FileTurns::Turn::~Turn() {
  if (fd_ >= 0) lock(fd_, offset_, F_UNLCK);
}

FileTurns::Turn FileTurns::take(std::int64_t study_id) {
  if (fd_ < 0) {
    // Never deleted: removing a lock file while another process waits on it would split the turns.
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) throw StorageError("cannot open the lock file '" + path_ + "': " + std::strerror(errno));
  }
  if (study_id < 0) throw StorageError("no turn for study id " + std::to_string(study_id));
  if (!lock(fd_, study_id, F_WRLCK))
    throw StorageError("cannot lock '" + path_ + "' for study " + std::to_string(study_id) + ": " + std::strerror(errno));
  return Turn(fd_, study_id);
}

}  // namespace boex
