// The multi-fidelity GP ("mf-gp"): boex's exact GP (MAP fit, predictions, fantasies) with a kernel
// over a fidelity column, so that cheap, biased experiments inform the target fidelity: the
// linear-truncated kernel of BoTorch's SingleTaskMultiFidelityGP for a continuous fidelity, and the
// AR1 model of Kennedy and O'Hagan for a few discrete levels.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "surrogates/exact_gp.h"

namespace boex {

struct MultiFidelityGpOptions {
  // The GP's options; gp.kernel is the kernel of the other (design) columns.
  ExactGP::Options gp;
  // "linear-truncated", "ar1", or "auto": ar1 for an int fidelity of at most max_ar1_levels
  // levels (its levels are few and the AR1 model learns each one's correlation with the next),
  // linear-truncated otherwise.
  std::string fidelity_kernel = "auto";
  int max_ar1_levels = 5;

  void validate() const;  // InvalidArgument naming the field
  template <class Visitor>
  void visit(Visitor& v) {
    gp.visit(v);
    v("fidelity_kernel", fidelity_kernel);
    v("max_ar1_levels", max_ar1_levels);
  }
};

// The registered name of the kernel these options choose for `fidelity`; InvalidArgument for an
// AR1 model asked of a continuous fidelity or of more than 10 levels.
std::string fidelity_kernel_name(const MultiFidelityGpOptions& options, const FidelityColumn& fidelity);
// A GP over inputs whose column fidelity.column is the fidelity (the seed is options.gp.seed).
std::unique_ptr<ExactGP> make_multi_fidelity_gp(const MultiFidelityGpOptions& options, const FidelityColumn& fidelity);

}  // namespace boex
