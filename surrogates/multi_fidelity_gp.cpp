#include "surrogates/multi_fidelity_gp.h"

#include "core/errors.h"

namespace boex {
namespace {

constexpr int kMaxAr1Levels = 10;  // each level has a design kernel of its own

}  // namespace

void MultiFidelityGpOptions::validate() const {
  gp.validate();
  if (make_kernel(gp.kernel)->models_fidelity())
    throw InvalidArgument("MultiFidelityGpOptions::kernel = '" + gp.kernel +
                          "'; must be a kernel of the design columns (matern52, rbf, ibnn)");
  if (fidelity_kernel != "auto" && fidelity_kernel != "linear-truncated" && fidelity_kernel != "ar1")
    throw InvalidArgument("MultiFidelityGpOptions::fidelity_kernel = '" + fidelity_kernel +
                          "'; must be auto, linear-truncated or ar1");
  if (max_ar1_levels < 2 || max_ar1_levels > kMaxAr1Levels)
    throw InvalidArgument("MultiFidelityGpOptions::max_ar1_levels = " + std::to_string(max_ar1_levels) + "; must be in 2.." +
                          std::to_string(kMaxAr1Levels));
}

std::string fidelity_kernel_name(const MultiFidelityGpOptions& options, const FidelityColumn& fidelity) {
  const bool discrete = fidelity.levels >= 2;
  bool ar1 = options.fidelity_kernel == "ar1";
  if (options.fidelity_kernel == "auto") ar1 = discrete && fidelity.levels <= options.max_ar1_levels;
  if (!ar1) return "linear-truncated-fidelity";
  if (!discrete)
    throw InvalidArgument("fidelity_kernel 'ar1' models discrete levels: make the fidelity an int parameter, or use "
                          "'linear-truncated' for a continuous one");
  if (fidelity.levels > kMaxAr1Levels)
    throw InvalidArgument("fidelity_kernel 'ar1' takes at most " + std::to_string(kMaxAr1Levels) + " levels, the fidelity has " +
                          std::to_string(fidelity.levels) + "; use 'linear-truncated'");
  return "ar1-fidelity";
}

std::unique_ptr<ExactGP> make_multi_fidelity_gp(const MultiFidelityGpOptions& options, const FidelityColumn& fidelity) {
  options.validate();
  KernelOptions k = options.gp.kernel_options();
  k.fidelity = fidelity;
  k.design_kernel = options.gp.kernel;
  return std::make_unique<ExactGP>(options.gp, make_kernel(fidelity_kernel_name(options, fidelity), k));
}

}  // namespace boex
