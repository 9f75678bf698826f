#include "surrogates/bnn_options.h"

#include <cmath>
#include <string>

#include "core/errors.h"
#include "surrogates/hmc_sampler.h"

namespace boex {
namespace {

void require(bool ok, const std::string& type, const std::string& field, const std::string& rule) {
  if (!ok) throw InvalidArgument(type + "::" + field + " must be " + rule);
}

void require_layers(const std::vector<int>& hidden, const std::string& type) {
  require(!hidden.empty() && hidden.size() <= 8, type, "hidden", "1 to 8 layer widths");
  for (int w : hidden) require(w >= 1 && w <= 4096, type, "hidden", "widths in 1..4096");
}

}  // namespace

Capabilities bnn_capabilities() {
  Capabilities c;
  c.gaussian_marginals = true;
  c.samples = true;
  return c;
}

void BnnEnsembleOptions::validate() const {
  const std::string t = "BnnEnsembleOptions";
  require(members >= 1 && members <= 1000, t, "members", "in 1..1000");
  require_layers(hidden, t);
  require(steps >= 1, t, "steps", ">= 1");
  require(learning_rate > 0 && std::isfinite(learning_rate), t, "learning_rate", "a finite number > 0");
  require(subsample > 0 && subsample <= 1, t, "subsample", "in (0, 1]");
  require(prior_variance > 0 && std::isfinite(prior_variance), t, "prior_variance", "a finite number > 0");
  require(refit_steps >= 0, t, "refit_steps", ">= 0");
}

void BnnHmcOptions::validate() const {
  const std::string t = "BnnHmcOptions";
  require_layers(hidden, t);
  require(pretrain_steps >= 0, t, "pretrain_steps", ">= 0");
  require(learning_rate > 0 && std::isfinite(learning_rate), t, "learning_rate", "a finite number > 0");
  require(prior_variance > 0 && std::isfinite(prior_variance), t, "prior_variance", "a finite number > 0");
  require(refit_steps >= 0, t, "refit_steps", ">= 0");
  HmcOptions h;
  h.burn_in = burn_in;
  h.samples = samples;
  h.keep_every = keep_every;
  h.initial_step = initial_step;
  h.path_length = path_length;
  h.validate();
}

}  // namespace boex
