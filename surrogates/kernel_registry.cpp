// The one place kernels are registered by name: a new kernel adds one line here.
#include <functional>
#include <map>

#include "core/errors.h"
#include "surrogates/ibnn_kernel.h"
#include "surrogates/matern32_kernel.h"
#include "surrogates/matern52_kernel.h"
#include "surrogates/rbf_kernel.h"

namespace boex {
namespace {

using Factory = std::function<std::unique_ptr<Kernel>(const KernelOptions&)>;

template <class K>
Factory factory() {
  return [](const KernelOptions& options) { return std::make_unique<K>(options); };
}

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> kernels = {
      {"matern32", factory<Matern32Kernel>()},
      {"matern52", factory<Matern52Kernel>()},
      {"rbf", factory<RbfKernel>()},
      {"ibnn", factory<InfiniteWidthBnnKernel>()},
  };
  return kernels;
}

}  // namespace

std::vector<std::string> kernel_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.push_back(name);
  return names;
}

std::unique_ptr<Kernel> make_kernel(const std::string& name, const KernelOptions& options) {
  auto it = registry().find(name);
  if (it == registry().end()) {
    std::string known;
    for (const auto& n : kernel_names()) known += (known.empty() ? "" : ", ") + n;
    throw NotFound("unknown kernel '" + name + "' (known: " + known + ")");
  }
  return it->second(options);
}

}  // namespace boex
