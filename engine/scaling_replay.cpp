#include "engine/scaling_replay.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "core/errors.h"

namespace boex {

ReplayRuns::ReplayRuns(fits::StepLawData measured, const std::vector<ScalingScale>& scales) : measured_(std::move(measured)) {
  measured_.validate();
  for (const ScalingScale& s : scales) {
    Pool p;
    p.scale = s;
    for (int i = 0; i < measured_.size(); ++i)
      if (measured_.N[i] == s.N && measured_.D[i] == s.D) p.rows.push_back(i);
    if (p.rows.empty())
      throw InvalidArgument("ReplayRuns: no measured run at N = " + std::to_string(s.N) + ", D = " + std::to_string(s.D));
    p.used.assign(p.rows.size(), false);
    pools_.push_back(std::move(p));
  }
}

std::vector<ScalingScale> ReplayRuns::scales_of(const fits::StepLawData& measured) {
  std::map<std::pair<double, double>, ScalingScale> by_scale;
  for (int i = 0; i < measured.size(); ++i) {
    auto [it, fresh] = by_scale.try_emplace({measured.N[i], measured.D[i]});
    ScalingScale& s = it->second;
    if (fresh) s = {measured.N[i], measured.D[i], measured.lr[i], measured.lr[i], measured.batch[i], measured.batch[i]};
    s.lr_low = std::min(s.lr_low, measured.lr[i]);
    s.lr_high = std::max(s.lr_high, measured.lr[i]);
    s.batch_low = std::min(s.batch_low, measured.batch[i]);
    s.batch_high = std::max(s.batch_high, measured.batch[i]);
  }
  std::vector<ScalingScale> out;
  for (const auto& [key, s] : by_scale) out.push_back(s);
  return out;
}

std::optional<int> ReplayRuns::nearest_unrun(int scale, const Hyperparameters& suggested) const {
  const Pool& p = pools_.at(scale);
  const auto unit = [](double v, double lo, double hi) { return hi > lo ? std::log(v / lo) / std::log(hi / lo) : 0.5; };
  const double u = unit(suggested.lr, p.scale.lr_low, p.scale.lr_high);
  const double v = unit(suggested.batch, p.scale.batch_low, p.scale.batch_high);
  std::optional<int> best;
  double best_distance = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < p.rows.size(); ++k) {
    if (p.used[k]) continue;
    const int i = p.rows[k];
    const double du = unit(measured_.lr[i], p.scale.lr_low, p.scale.lr_high) - u;
    const double dv = unit(measured_.batch[i], p.scale.batch_low, p.scale.batch_high) - v;
    if (du * du + dv * dv < best_distance) best_distance = du * du + dv * dv, best = static_cast<int>(k);
  }
  return best;
}

std::optional<Hyperparameters> ReplayRuns::setting_for(int scale, const Hyperparameters& suggested) {
  Pool& p = pools_.at(scale);
  p.chosen = nearest_unrun(scale, suggested).value_or(-1);
  if (p.chosen < 0) return std::nullopt;
  const int i = p.rows[p.chosen];
  return Hyperparameters{measured_.lr[i], measured_.batch[i]};
}

bool ReplayRuns::can_run(int scale) const { return runs_left(scale) > 0; }

int ReplayRuns::runs_left(int scale) const {
  const Pool& p = pools_.at(scale);
  return static_cast<int>(std::count(p.used.begin(), p.used.end(), false));
}

double ReplayRuns::train(int scale, const Hyperparameters& setting) {
  Pool& p = pools_.at(scale);
  if (p.chosen < 0 || measured_.lr[p.rows[p.chosen]] != setting.lr || measured_.batch[p.rows[p.chosen]] != setting.batch)
    throw InvalidArgument("ReplayRuns::train: only the measured setting setting_for returned can be replayed");
  p.used[p.chosen] = true;
  const double loss = measured_.loss[p.rows[p.chosen]];
  p.chosen = -1;
  return loss;
}

}  // namespace boex
