// A unique temporary file path, removed (with SQLite's -wal/-shm side files and boex's -lock file)
// when the object dies.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace boex::testing {

class TempPath {
 public:
  explicit TempPath(const std::string& suffix = ".db") {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("boex-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + suffix))
                .string();
    remove();
  }
  ~TempPath() { remove(); }
  const std::string& path() const { return path_; }
  std::string url() const { return "sqlite:///" + path_; }  // absolute path: sqlite:////tmp/...

 private:
  void remove() const {
    std::error_code ec;
    for (const char* side : {"", "-wal", "-shm", "-journal", "-lock"}) std::filesystem::remove(path_ + side, ec);
  }
  std::string path_;
};

}  // namespace boex::testing
