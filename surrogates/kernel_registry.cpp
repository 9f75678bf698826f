// The one place kernels are registered by name: a new kernel adds one line here.
#include <functional>
#include <map>

#include "core/registry.h"
#include "surrogates/ar1_fidelity_kernel.h"
#include "surrogates/ibnn_kernel.h"
#include "surrogates/input_warped_kernel.h"
#include "surrogates/linear_truncated_fidelity_kernel.h"
#include "surrogates/matern32_kernel.h"
#include "surrogates/matern52_kernel.h"
#include "surrogates/overlap_kernel.h"
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
      {"linear-truncated-fidelity", factory<LinearTruncatedFidelityKernel>()},
      {"ar1-fidelity", factory<Ar1FidelityKernel>()},
      {"warped-matern52", [](const KernelOptions& o) { return std::make_unique<InputWarpedKernel>(std::make_unique<Matern52Kernel>(o)); }},
      {"overlap", factory<OverlapKernel>()},
  };
  return kernels;
}

}  // namespace

std::vector<std::string> kernel_names() { return registered_names(registry()); }

std::unique_ptr<Kernel> make_kernel(const std::string& name, const KernelOptions& options) {
  return registered(registry(), name, "kernel")(options);
}

}  // namespace boex
