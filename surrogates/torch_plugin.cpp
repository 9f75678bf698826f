#include "surrogates/torch_plugin.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "core/errors.h"

namespace boex {
namespace {

bool is_file(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

// The running program's directory ("" when /proc is not there).
std::string program_directory() {
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (n <= 0) return "";
  const std::string exe(buffer, static_cast<std::size_t>(n));
  return exe.substr(0, exe.find_last_of('/'));
}

// BOEX_TORCH_PLUGIN wins; then an installed CLI's own prefix (so a relocated install works), the
// build tree's plugin, and the prefix boex was configured to install to.
std::string plugin_path() {
  if (const char* path = std::getenv("BOEX_TORCH_PLUGIN"); path && *path) return path;
#ifdef BOEX_TORCH_PLUGIN_PATH
  const std::string beside_program = program_directory() + "/" + BOEX_TORCH_PLUGIN_FROM_BIN;
  for (const std::string& path : {beside_program, std::string(BOEX_TORCH_PLUGIN_PATH), std::string(BOEX_TORCH_PLUGIN_INSTALLED)})
    if (is_file(path)) return path;
  return BOEX_TORCH_PLUGIN_PATH;
#else
  return "libboex_torch.so";
#endif
}

void* plugin() {
  static std::mutex mutex;
  static void* handle = nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  if (handle) return handle;
  const std::string path = plugin_path();
  // Never closed: the models it makes carry its code.
  handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw StateError("cannot load the libtorch plugin '" + path + "' (" + (why ? why : "unknown reason") +
                     "); set BOEX_TORCH_PLUGIN to its path, or build boex with BOEX_WITH_TORCH=ON");
  }
  return handle;
}

}  // namespace

TorchSurrogateFactory torch_surrogate_factory(const std::string& symbol) {
  void* handle = plugin();
  void* found = dlsym(handle, symbol.c_str());
  if (!found) throw StateError("the libtorch plugin '" + plugin_path() + "' has no surrogate factory '" + symbol + "'");
  return reinterpret_cast<TorchSurrogateFactory>(found);
}

std::unique_ptr<Surrogate> make_torch_surrogate(const std::string& symbol, const nlohmann::json& options,
                                                std::uint64_t seed) {
  return std::unique_ptr<Surrogate>(torch_surrogate_factory(symbol)(options, seed));
}

}  // namespace boex
