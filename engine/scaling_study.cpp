#include "engine/scaling_study.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "core/errors.h"
#include "core/rng.h"
#include "engine/scaling_design.h"
#include "engine/scaling_fit.h"
#include "fits/law_report.h"

namespace boex {
namespace {

std::string scale_name(const std::string& name, const ScalingScale& s) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "/N%.10g_D%.10g", s.N, s.D);
  return name + buffer;
}

// Why a failed trial of a scale study is failed: a suggestion not trained as is.
constexpr const char* kScalingAttribute = "scaling";

std::string exact(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

}  // namespace

void ScalingStudyOptions::validate() const {
  if (scales.size() < 3) throw InvalidArgument("ScalingStudyOptions::scales needs at least three (N, D) scales");
  std::set<std::pair<double, double>> seen;
  for (std::size_t i = 0; i < scales.size(); ++i) {
    const ScalingScale& s = scales[i];
    const std::string where = "ScalingStudyOptions::scales[" + std::to_string(i) + "]";
    for (double v : {s.N, s.D, s.lr_low, s.lr_high, s.batch_low, s.batch_high})
      if (!(v > 0.0) || !std::isfinite(v)) throw InvalidArgument(where + " needs positive, finite N, D and bounds");
    if (s.lr_low > s.lr_high || s.batch_low > s.batch_high) throw InvalidArgument(where + " has a low bound above its high one");
    if (!seen.insert({s.N, s.D}).second) throw InvalidArgument(where + " repeats an (N, D) scale");
  }
  if (!(target_N > 0.0) || !(target_D > 0.0) || !std::isfinite(target_N) || !std::isfinite(target_D))
    throw InvalidArgument("ScalingStudyOptions::target_N and target_D must be positive and finite");
  if (!(precision > 0.0)) throw InvalidArgument("ScalingStudyOptions::precision must be positive");
  if (!(max_compute > 0.0)) throw InvalidArgument("ScalingStudyOptions::max_compute must be positive");
  if (max_runs < 0) throw InvalidArgument("ScalingStudyOptions::max_runs must not be negative");
  if (n_init < 1) throw InvalidArgument("ScalingStudyOptions::n_init must be at least 1");
  if (settle_after < 1) throw InvalidArgument("ScalingStudyOptions::settle_after must be at least 1");
  if (!(divergence_ratio > 1.0)) throw InvalidArgument("ScalingStudyOptions::divergence_ratio must exceed 1");
  law.validate();
  bootstrap.validate();
}

ScalingStudy ScalingStudy::open(std::shared_ptr<Storage> storage, const std::string& name, const ScalingStudyOptions& options) {
  options.validate();
  std::vector<Study> studies;
  for (std::size_t i = 0; i < options.scales.size(); ++i) {
    const ScalingScale& s = options.scales[i];
    StudyOptions o;
    o.strategy = options.strategy;
    o.seed = mix_seed(options.seed, i);
    o.n_init = options.n_init;
    const SearchSpace space({Parameter::Float("lr", s.lr_low, s.lr_high, /*log=*/true),
                             Parameter::Float("bs", s.batch_low, s.batch_high, /*log=*/true)});
    studies.push_back(Study::open(storage, scale_name(name, s), space, o));
    studies.back().set_attribute("N", exact(s.N));
    studies.back().set_attribute("D", exact(s.D));
  }
  return ScalingStudy(options, std::move(studies));
}

ScalingStudy ScalingStudy::open(const std::string& storage_url, const std::string& name, const ScalingStudyOptions& options) {
  return open(std::shared_ptr<Storage>(open_storage(storage_url)), name, options);
}

ScalingStudy::ScalingStudy(ScalingStudyOptions options, std::vector<Study> studies)
    : options_(std::move(options)), studies_(std::move(studies)) {
  refresh();
}

std::vector<const Study*> ScalingStudy::studies() const {
  std::vector<const Study*> out;
  for (const Study& s : studies_) out.push_back(&s);
  return out;
}

void ScalingStudy::refresh() {
  const std::size_t n_scales = options_.scales.size();
  ScalingStatus st;
  st.runs_per_scale.assign(n_scales, 0);
  st.near_optimal_per_scale.assign(n_scales, 0);
  st.runs_since_best.assign(n_scales, 0);
  data_ = fits::StepLawData{};
  row_scale_.clear();
  for (std::size_t s = 0; s < n_scales; ++s) {
    double best = INFINITY;
    for (const Trial& t : studies_[s].trials()) {
      if (!t.is_complete() || !t.value) continue;
      ++st.runs_per_scale[s];
      ++st.runs;
      st.compute += options_.scales[s].cost();
      ++st.runs_since_best[s];
      if (t.attributes.count(kDivergedLossAttribute)) {
        ++st.diverged;
        continue;
      }
      if (*t.value < best) best = *t.value, st.runs_since_best[s] = 0;
      data_.N.push_back(options_.scales[s].N);
      data_.D.push_back(options_.scales[s].D);
      data_.lr.push_back(as_double(t.params.at("lr")));
      data_.batch.push_back(as_double(t.params.at("bs")));
      data_.loss.push_back(*t.value);
      row_scale_.push_back(static_cast<int>(s));
    }
  }
  try {
    st.law = fits::estimate_step_law(data_, options_.law, options_.bootstrap);
  } catch (const InvalidArgument&) {
    st.law.reset();  // too few scales with runs yet to determine the law
  } catch (const NumericalError&) {
    st.law.reset();
  }
  if (st.law) {
    for (int row : st.law->fit.near_optimal) ++st.near_optimal_per_scale[row_scale_[row]];
    const double N = options_.target_N, D = options_.target_D;
    const auto& b = st.law->bootstrap;
    st.target_optimum = {b.point.learning_rate(N, D), b.point.batch_tokens(D)};
    st.lr_interval = b.interval([&](const fits::StepLawParams& p) { return p.learning_rate(N, D); });
    st.batch_interval = b.interval([&](const fits::StepLawParams& p) { return p.batch_tokens(D); });
    st.lr_width = std::log(st.lr_interval.high / st.lr_interval.low);
    st.batch_width = std::log(st.batch_interval.high / st.batch_interval.low);
  }
  status_ = std::move(st);
}

int ScalingStudy::next_scale(const TrainingRuns& runs) const {
  const int n_scales = static_cast<int>(options_.scales.size());
  std::vector<int> open;
  for (int s = 0; s < n_scales; ++s)
    if (runs.can_run(s) && status_.compute + options_.scales[s].cost() <= options_.max_compute) open.push_back(s);
  if (open.empty()) return -1;
  const auto fewest_runs_cheapest = [&](const std::vector<int>& among) {
    return *std::min_element(among.begin(), among.end(), [&](int a, int b) {
      const int ra = status_.runs_per_scale[a], rb = status_.runs_per_scale[b];
      if (ra != rb) return ra < rb;
      return options_.scales[a].cost() < options_.scales[b].cost();
    });
  };
  std::vector<int> initial;
  for (int s : open)
    if (status_.runs_per_scale[s] < options_.n_init) initial.push_back(s);
  if (!initial.empty()) return fewest_runs_cheapest(initial);
  if (options_.rule == ScaleRule::kRoundRobin || !status_.law) return fewest_runs_cheapest(open);
  // Scales whose optimum is not located yet come first.
  std::vector<int> unsettled;
  for (int s : open)
    if (status_.runs_since_best[s] < options_.settle_after) unsettled.push_back(s);
  if (!unsettled.empty()) open = unsettled;

  // kVariancePerFlop: the expected drop of the law's variance at the target per FLOP.
  std::vector<ScaleEvidence> evidence(options_.scales.size());
  for (std::size_t s = 0; s < evidence.size(); ++s) {
    evidence[s].log_N = std::log(options_.scales[s].N);
    evidence[s].log_D = std::log(options_.scales[s].D);
    evidence[s].runs = status_.runs_per_scale[s];
  }
  for (int r : status_.law->fit.near_optimal) {
    evidence[row_scale_[r]].near_log_lr.push_back(std::log(data_.lr[r]));
    evidence[row_scale_[r]].near_log_batch.push_back(std::log(data_.batch[r]));
  }
  const auto drops = expected_variance_drops(evidence, std::log(options_.target_N), std::log(options_.target_D));
  if (drops.empty()) return fewest_runs_cheapest(open);
  int best = -1;
  double best_score = -1.0;
  for (int s : open) {
    const double score = drops[s] / options_.scales[s].cost();
    if (score > best_score) best_score = score, best = s;
  }
  return best;
}

void ScalingStudy::run_at(int s, TrainingRuns& runs) {
  Study& study = studies_[s];
  const Trial suggestion = study.ask();
  const Hyperparameters suggested{as_double(suggestion.params.at("lr")), as_double(suggestion.params.at("bs"))};
  const auto setting = runs.setting_for(s, suggested);
  if (!setting) {
    study.tell_failed(suggestion.id);
    study.set_trial_attribute(suggestion.id, kScalingAttribute, "no setting left to run at this scale");
    return;
  }
  std::int64_t trial_id = suggestion.id;
  if (setting->lr != suggested.lr || setting->batch != suggested.batch) {
    // The runs train another setting than suggested (a replay of measured runs): the suggestion is
    // closed as failed (the GP then believes its mean there and never suggests it again) and the
    // setting actually trained is recorded as its own trial, enqueued and claimed at once.
    study.tell_failed(suggestion.id);
    study.set_trial_attribute(suggestion.id, kScalingAttribute, "suggestion; trained a nearby measured setting instead");
    study.enqueue({{"lr", setting->lr}, {"bs", setting->batch}});
    const Trial trained = study.ask();
    if (as_double(trained.params.at("lr")) != setting->lr || as_double(trained.params.at("bs")) != setting->batch)
      throw StateError("scale study '" + study.record().name + "' handed out another waiting trial than the setting to train");
    trial_id = trained.id;
  }
  const double loss = runs.train(s, *setting);
  // The reference is the scale's own lowest loss, or any scale's for its first run.
  double lowest = INFINITY, lowest_here = INFINITY;
  for (std::size_t r = 0; r < data_.loss.size(); ++r) {
    lowest = std::min(lowest, data_.loss[r]);
    if (row_scale_[r] == s) lowest_here = std::min(lowest_here, data_.loss[r]);
  }
  const double reference = std::isfinite(lowest_here) ? lowest_here : lowest;
  if (std::isfinite(loss) && !(loss > options_.divergence_ratio * reference)) {
    study.tell(trial_id, loss);
    return;
  }
  // Diverged: told at the worst converged loss of the scale (winsorised), so the GP learns the
  // region is bad without its model of the valley being swamped; the measured loss is kept. (Only
  // the first run of a whole study has no reference and is always taken as converged.)
  double worst_here = -INFINITY;
  for (std::size_t r = 0; r < data_.loss.size(); ++r)
    if (row_scale_[r] == s && !(data_.loss[r] > options_.divergence_ratio * reference))
      worst_here = std::max(worst_here, data_.loss[r]);
  study.tell(trial_id, std::isfinite(worst_here) ? worst_here : options_.divergence_ratio * reference);
  study.set_trial_attribute(trial_id, kDivergedLossAttribute, exact(loss));
}

bool ScalingStudy::step(TrainingRuns& runs) {
  bool initial_done = true;
  for (int r : status_.runs_per_scale) initial_done = initial_done && r >= options_.n_init;
  if (status_.law && initial_done && std::max(status_.lr_width, status_.batch_width) <= options_.precision) {
    status_.stopped = "precise";
    return false;
  }
  if (options_.max_runs > 0 && status_.runs >= options_.max_runs) {
    status_.stopped = "run budget";
    return false;
  }
  const int s = next_scale(runs);
  if (s < 0) {
    bool any_left = false;
    for (int k = 0; k < static_cast<int>(options_.scales.size()); ++k) any_left = any_left || runs.can_run(k);
    status_.stopped = any_left ? "compute budget" : "no runs left";
    return false;
  }
  run_at(s, runs);
  refresh();
  return true;
}

const ScalingStatus& ScalingStudy::run(TrainingRuns& runs) {
  while (step(runs)) {
  }
  // The law as it stands, in every scale's study, where `boex trials`/Study::load can read it.
  if (status_.law) {
    const auto report = fits::step_law_report(*status_.law, options_.law, {{options_.target_N, options_.target_D}});
    for (Study& study : studies_) save_law_report(study, report);
  }
  return status_;
}

}  // namespace boex
