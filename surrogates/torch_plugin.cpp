#include "surrogates/torch_plugin.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>

#include "core/errors.h"

namespace boex {
namespace {

std::string plugin_path() {
  if (const char* path = std::getenv("BOEX_TORCH_PLUGIN"); path && *path) return path;
#ifdef BOEX_TORCH_PLUGIN_PATH
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
