#include "fits/law_report.h"

namespace boex::fits {
namespace {

using nlohmann::json;

json pair_of(const Interval& iv) { return json::array({iv.low, iv.high}); }

// "parameters", "intervals" and the bootstrap's bookkeeping, for any law with names()/values().
template <class Params>
json law_json(const char* law, const Bootstrapped<Params>& b) {
  json out = {{"law", law}};
  const auto names = Params::names();
  const auto point = b.point.values();
  for (std::size_t k = 0; k < names.size(); ++k) {
    out["parameters"][names[k]] = point[k];
    out["intervals"][names[k]] = pair_of(b.interval([k](const Params& p) { return p.values()[k]; }));
  }
  out["level"] = b.level;
  out["resamples"] = b.replicates.size() + b.failed_resamples;
  out["failed_resamples"] = b.failed_resamples;
  return out;
}

}  // namespace

json chinchilla_report(const ChinchillaEstimate& estimate, const ChinchillaOptions& options, const ScalePoints& predict_at,
                       const std::vector<double>& flop_budgets) {
  const auto& b = estimate.bootstrap;
  json out = law_json("chinchilla", b);
  out["objective"] = options.objective == ChinchillaObjective::kHuberLikelihood ? "huber-likelihood" : "huber-loss";
  out["huber_delta"] = options.huber_delta;
  out["n_points"] = estimate.fit.n_points;
  out["huber_sum"] = estimate.fit.huber_sum;
  out["rmse_log"] = estimate.fit.rmse_log;
  out["predictions"] = json::array();
  for (const auto& [N, D] : predict_at)
    out["predictions"].push_back({{"N", N},
                                  {"D", D},
                                  {"loss", b.point.loss(N, D)},
                                  {"loss_interval", pair_of(b.interval([&](const ChinchillaParams& p) { return p.loss(N, D); }))}});
  out["compute_optimal"] = json::array();
  for (double C : flop_budgets) {
    const auto opt = compute_optimal(b.point, C);
    const auto at = [C](const ChinchillaParams& p) { return compute_optimal(p, C); };
    out["compute_optimal"].push_back(
        {{"flops", C},
         {"N", opt.N},
         {"N_interval", pair_of(b.interval([&](const ChinchillaParams& p) { return at(p).N; }))},
         {"D", opt.D},
         {"D_interval", pair_of(b.interval([&](const ChinchillaParams& p) { return at(p).D; }))},
         {"loss", b.point.loss(opt.N, opt.D)},
         {"loss_interval", pair_of(b.interval([&](const ChinchillaParams& p) {
            const auto a = at(p);
            return p.loss(a.N, a.D);
          }))}});
  }
  return out;
}

json step_law_report(const StepLawEstimate& estimate, const StepLawOptions& options, const ScalePoints& predict_at) {
  const auto& b = estimate.bootstrap;
  json out = law_json("steplaw", b);
  out["n_runs"] = estimate.fit.n_runs;
  out["n_scales"] = estimate.fit.n_scales;
  out["n_near_optimal"] = estimate.fit.near_optimal.size();
  out["rows"] = options.rows == StepLawRows::kScaleCentres ? "centres" : "runs";
  out["predictions"] = json::array();
  for (const auto& [N, D] : predict_at)
    out["predictions"].push_back(
        {{"N", N},
         {"D", D},
         {"lr", b.point.learning_rate(N, D)},
         {"lr_interval", pair_of(b.interval([&](const StepLawParams& p) { return p.learning_rate(N, D); }))},
         {"batch_tokens", b.point.batch_tokens(D)},
         {"batch_tokens_interval", pair_of(b.interval([&](const StepLawParams& p) { return p.batch_tokens(D); }))}});
  return out;
}

}  // namespace boex::fits
