#include "engine/autolrs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/errors.h"
#include "core/parse_number.h"
#include "core/rng.h"
#include "engine/loss_forecast.h"
#include "engine/study.h"

namespace boex {

namespace {

constexpr const char* kParam = "log10_lr";

void require(bool ok, const std::string& message) {
  if (!ok) throw InvalidArgument("AutoLrsOptions." + message);
}

// Where the run stands at a stage boundary: the header of the checkpoint file.
struct Position {
  int stage = 0;
  std::int64_t steps = 0;
  std::int64_t tau_prime = 0, tau = 0;  // the next stage's, before any shortening to fit the budget
  bool validation_mode = false;
  double last_loss = NAN;  // the latest training loss: the stage's starting loss in training mode
};

void write_checkpoint(const AutoLrsOptions& o, const Position& p, const std::string& state) {
  const nlohmann::json header = {{"run", o.name},           {"stage", p.stage},      {"steps", p.steps},
                                 {"tau_prime", p.tau_prime}, {"tau", p.tau},          {"validation_mode", p.validation_mode},
                                 {"last_loss", std::isfinite(p.last_loss) ? nlohmann::json(p.last_loss) : nlohmann::json()}};
  // A new file renamed over the old one: an interruption leaves the previous stage's checkpoint whole.
  const std::string temporary = o.checkpoint_path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << header.dump() << '\n' << state;
    out.flush();
    if (!out) throw StorageError("AutoLRS: cannot write the checkpoint '" + temporary + "'");
  }
  if (std::rename(temporary.c_str(), o.checkpoint_path.c_str()) != 0)
    throw StorageError("AutoLRS: cannot replace the checkpoint '" + o.checkpoint_path + "'");
}

// The checkpoint's position and trainer state; nullopt when there is none yet.
std::optional<std::pair<Position, std::string>> read_checkpoint(const AutoLrsOptions& o) {
  if (o.checkpoint_path.empty()) return std::nullopt;
  std::ifstream in(o.checkpoint_path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  const nlohmann::json h = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!h.is_object() || !h.contains("run") || !h.contains("stage"))
    throw StorageError("AutoLRS: '" + o.checkpoint_path + "' is not an AutoLRS checkpoint");
  if (h["run"] != o.name)
    throw InvalidArgument("AutoLRS: the checkpoint '" + o.checkpoint_path + "' belongs to run '" +
                          h["run"].get<std::string>() + "', not '" + o.name + "'");
  Position p;
  p.stage = h["stage"];
  p.steps = h["steps"];
  p.tau_prime = h["tau_prime"];
  p.tau = h["tau"];
  p.validation_mode = h["validation_mode"];
  p.last_loss = h["last_loss"].is_number() ? h["last_loss"].get<double>() : NAN;
  std::ostringstream state;
  state << in.rdbuf();
  return std::make_pair(p, state.str());
}

Study stage_study(const AutoLrsOptions& o, int stage) {
  const SearchSpace space({Parameter::Float(kParam, std::log10(o.min_lr), std::log10(o.max_lr))});
  StudyOptions so;
  so.strategy = o.strategy;
  so.strategy_options = o.strategy_options;
  so.seed = mix_seed(o.seed, static_cast<std::uint64_t>(stage));
  so.n_init = 1;  // the reference's n_initial_points = 1: the GP from the second candidate on
  return Study::open(o.storage_url, o.name + "/stage-" + std::to_string(stage), space, so);
}

double lr_of(const Trial& t) { return std::pow(10.0, std::get<double>(t.params.at(kParam))); }

std::vector<AutoLrsCandidate> candidates_of(const Study& study) {
  std::vector<AutoLrsCandidate> out;
  for (const Trial& t : study.trials()) {
    if (!t.is_complete()) continue;
    out.push_back({lr_of(t), *t.value, t.attributes.count("diverged") > 0});
  }
  return out;
}

// A finished stage as its study recorded it (a resumed run's earlier stages).
AutoLrsStage stored_stage(const AutoLrsOptions& o, int index) {
  const Study study = Study::load(o.storage_url, o.name + "/stage-" + std::to_string(index));
  const auto& a = study.record().attributes;
  const auto number = [&](const char* key) {
    auto it = a.find(key);
    if (it == a.end()) throw StorageError("AutoLRS: stage " + std::to_string(index) + " has no '" + key + "'");
    return parse_double(it->second, key);
  };
  AutoLrsStage s;
  s.index = index;
  s.tau_prime = static_cast<std::int64_t>(number("tau_prime"));
  s.tau = static_cast<std::int64_t>(number("tau"));
  s.validation_mode = number("validation_mode") != 0;
  s.start_step = static_cast<std::int64_t>(number("start_step"));
  s.lr = number("chosen_lr");
  s.forecast = number("forecast");
  s.candidates = candidates_of(study);
  return s;
}

std::string text(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

class Runner {
 public:
  Runner(Trainer& trainer, const AutoLrsOptions& o) : trainer_(trainer), o_(o) {}

  AutoLrsResult run() {
    AutoLrsResult result;
    result.warmup_steps = o_.warmup_steps;
    result.warmup_lr = o_.warmup_lr;
    if (auto stored = read_checkpoint(o_)) {
      pos_ = stored->first;
      trainer_.restore_state(stored->second);
      result.resumed_at = pos_.stage;
      for (int s = 0; s < pos_.stage; ++s) result.stages.push_back(stored_stage(o_, s));
    } else {
      pos_.tau_prime = o_.tau_prime;
      pos_.tau = std::min(o_.tau, o_.tau_max);
      warm_up();
      checkpoint();
    }
    while (true) {
      const std::int64_t remaining = o_.total_steps - pos_.steps;
      // Near the end of the budget the stage shrinks: tau' halves (not below its initial value)
      // until exploring costs at most half of what is left.
      std::int64_t tau_prime = pos_.tau_prime;
      while (tau_prime > o_.tau_prime && remaining < 2 * o_.candidates * tau_prime) tau_prime /= 2;
      const std::int64_t explore = o_.candidates * tau_prime;
      if (remaining < explore + tau_prime) break;
      result.stages.push_back(run_stage(tau_prime, std::min(pos_.tau, remaining - explore)));
      if (pos_.tau_prime < o_.tau_max / 10) {
        pos_.tau_prime *= 2;
        pos_.tau = std::min(2 * pos_.tau, o_.tau_max);
      } else {
        pos_.validation_mode = true;
      }
      ++pos_.stage;
      checkpoint();
    }
    const double tail_lr = result.stages.empty() ? std::sqrt(o_.min_lr * o_.max_lr) : result.stages.back().lr;
    for (; pos_.steps < o_.total_steps; ++result.tail_steps) take_step(tail_lr, "exploit");
    result.steps_total = pos_.steps;
    result.final_val_loss = trainer_.evaluate();
    return result;
  }

 private:
  double take_step(double lr, const char* phase) {
    const double loss = trainer_.step(lr);
    ++pos_.steps;
    if (o_.on_progress) o_.on_progress({pos_.stage, phase, lr, loss, pos_.steps, o_.total_steps});
    return loss;
  }

  void warm_up() {
    for (std::int64_t t = 0; t < o_.warmup_steps; ++t) {
      pos_.last_loss = take_step(o_.warmup_lr * static_cast<double>(t + 1) / static_cast<double>(o_.warmup_steps), "warmup");
      if (!std::isfinite(pos_.last_loss))
        throw NumericalError("AutoLRS: the loss diverged during warm-up at step " + std::to_string(t) +
                             " (lower warmup_lr)");
    }
  }

  void checkpoint() {
    if (!o_.checkpoint_path.empty()) write_checkpoint(o_, pos_, trainer_.save_state());
  }

  // Trains one candidate tau' steps from the checkpoint and returns its forecast after tau steps
  // (nullopt: diverged or no fit). Its losses are the trial's learning curve (Study::report), and
  // the steps it took a trial attribute, so a resumed stage counts them.
  std::optional<double> explore(Study& study, const Trial& trial, double lr, std::int64_t tau_prime, std::int64_t tau,
                                bool validation_mode, double start_loss) {
    const std::int64_t val_freq = std::max<std::int64_t>(1, tau_prime / o_.val_points);
    bool diverged = false;
    std::int64_t j = 0;
    while (j < tau_prime && !diverged) {
      const double loss = take_step(lr, "explore");
      ++j;
      if (!std::isfinite(loss)) {
        diverged = true;
      } else if (!validation_mode) {
        study.report(trial.id, j - 1, loss);
      } else if (j % val_freq == 0) {
        const double v = trainer_.evaluate();
        diverged = !std::isfinite(v);
        if (!diverged) study.report(trial.id, j, v);
      }
    }
    study.set_trial_attribute(trial.id, "steps", std::to_string(j));
    if (diverged) return std::nullopt;
    std::vector<double> curve;
    for (const auto& [step, value] : study.trial(trial.id).reports) curve.push_back(value);
    // Point j is the loss after step j + 1: the loss after tau steps is point tau - 1.
    LossForecastOptions forecast = validation_mode ? LossForecastOptions::validation_mode() : LossForecastOptions();
    forecast.floor = o_.loss_floor;
    if (!validation_mode) return forecast_loss(curve, static_cast<double>(tau - 1), forecast);
    // Point i is the evaluation after (i + 1) val_freq steps; a candidate that never got below the
    // stage's starting loss is judged by its last evaluation rather than an extrapolated rise.
    if (!curve.empty() && *std::max_element(curve.begin(), curve.end()) >= start_loss) return curve.back();
    return forecast_loss(curve, static_cast<double>(tau / val_freq - 1), forecast);
  }

  AutoLrsStage run_stage(std::int64_t tau_prime, std::int64_t tau) {
    AutoLrsStage stage;
    stage.index = pos_.stage;
    stage.tau_prime = tau_prime;
    stage.tau = tau;
    stage.validation_mode = pos_.validation_mode;
    stage.start_step = pos_.steps;
    Study study = stage_study(o_, pos_.stage);
    study.set_attribute("tau_prime", std::to_string(tau_prime));
    study.set_attribute("tau", std::to_string(tau));
    study.set_attribute("validation_mode", pos_.validation_mode ? "1" : "0");
    study.set_attribute("start_step", std::to_string(pos_.steps));
    // A resumed stage: the candidates told before the interruption count with the steps they
    // took; one cut off while it trained is failed, its steps gone with the process.
    for (const Trial& t : study.trials()) {
      if (t.state == TrialState::kRunning) study.tell_failed(t.id);
      if (t.is_complete() && t.attributes.count("steps")) pos_.steps += std::stoll(t.attributes.at("steps"));
    }
    const std::string start_state = trainer_.save_state();
    const double start_loss = pos_.validation_mode ? trainer_.evaluate() : pos_.last_loss;
    int complete = static_cast<int>(candidates_of(study).size());
    while (complete < o_.candidates) {
      const Trial trial = study.ask();
      const double lr = lr_of(trial);
      trainer_.restore_state(start_state);
      const std::optional<double> forecast =
          explore(study, trial, lr, tau_prime, tau, pos_.validation_mode, std::isfinite(start_loss) ? start_loss : INFINITY);
      if (!forecast) study.set_trial_attribute(trial.id, "diverged", "1");
      study.tell(trial.id, forecast ? *forecast : o_.diverged_loss);
      ++complete;
    }
    stage.candidates = candidates_of(study);
    std::vector<AutoLrsCandidate> ranked;
    for (const AutoLrsCandidate& c : stage.candidates)
      if (!c.diverged) ranked.push_back(c);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const AutoLrsCandidate& a, const AutoLrsCandidate& b) { return a.forecast < b.forecast; });
    for (const AutoLrsCandidate& c : ranked) {
      trainer_.restore_state(start_state);
      double loss = NAN;
      std::int64_t t = 0;
      for (; t < tau; ++t) {
        loss = take_step(c.lr, "exploit");
        if (!std::isfinite(loss)) break;
      }
      if (t < tau) continue;  // diverged on the longer run: the next best from the checkpoint
      stage.lr = c.lr;
      stage.forecast = c.forecast;
      pos_.last_loss = loss;
      study.set_attribute("chosen_lr", text(c.lr));
      study.set_attribute("forecast", text(c.forecast));
      return stage;
    }
    throw NumericalError("AutoLRS stage " + std::to_string(pos_.stage) + ": every candidate learning rate diverged (" +
                         std::to_string(stage.candidates.size()) + " tried in [" + text(o_.min_lr) + ", " +
                         text(o_.max_lr) + "]); lower max_lr");
  }

  Trainer& trainer_;
  const AutoLrsOptions& o_;
  Position pos_;  // pos_.steps counts every step spent, exploration included
};

}  // namespace

void AutoLrsOptions::validate() const {
  require(std::isfinite(min_lr) && min_lr > 0, "min_lr must be finite and > 0");
  require(std::isfinite(max_lr) && max_lr > 0, "max_lr must be finite and > 0");
  require(min_lr < max_lr, "min_lr must be < max_lr");
  require(candidates >= 1, "candidates must be >= 1");
  require(tau_prime >= 1, "tau_prime must be >= 1");
  require(tau >= tau_prime, "tau must be >= tau_prime");
  require(tau_max >= tau, "tau_max must be >= tau");
  require(warmup_steps >= 0, "warmup_steps must be >= 0");
  require(warmup_steps == 0 || (std::isfinite(warmup_lr) && warmup_lr > 0), "warmup_lr must be finite and > 0 with warmup_steps");
  require(total_steps >= warmup_steps + (candidates + 1) * tau_prime,
          "total_steps must cover warmup_steps and one stage of (candidates + 1) x tau_prime steps");
  require(val_points >= 4, "val_points must be >= 4");
  require(std::isfinite(diverged_loss), "diverged_loss must be finite");
  require(!std::isnan(loss_floor) && loss_floor != INFINITY, "loss_floor must be a number or -inf");
  require(!storage_url.empty(), "storage_url is required (the stage studies live there)");
  require(!name.empty(), "name must not be empty");
}

std::vector<double> AutoLrsResult::schedule() const {
  std::vector<double> out;
  for (std::int64_t t = 0; t < warmup_steps; ++t)
    out.push_back(warmup_lr * static_cast<double>(t + 1) / static_cast<double>(warmup_steps));
  for (const AutoLrsStage& s : stages) out.insert(out.end(), static_cast<std::size_t>(s.tau), s.lr);
  if (!stages.empty()) out.insert(out.end(), static_cast<std::size_t>(tail_steps), stages.back().lr);
  return out;
}

std::string render_autolrs_schedule(const AutoLrsResult& result, double min_lr, double max_lr) {
  constexpr int kWidth = 40;
  std::string out;
  char line[256];
  const auto bar = [&](double lr) {
    const double f = std::log(lr / min_lr) / std::log(max_lr / min_lr);
    return std::string(static_cast<std::size_t>(std::clamp(std::lround(f * kWidth), 1L, static_cast<long>(kWidth))), '#');
  };
  std::snprintf(line, sizeof(line), "stage  exploit steps     tau'  mode   lr          forecast    log lr %.0e .. %.0e\n", min_lr, max_lr);
  out += line;
  std::int64_t at = result.warmup_steps;
  if (result.warmup_steps > 0) {
    std::snprintf(line, sizeof(line), "warm   %6d-%-6lld    -     -      -> %-8.3g  -           linear\n", 0,
                  static_cast<long long>(result.warmup_steps), result.warmup_lr);
    out += line;
  }
  for (const AutoLrsStage& s : result.stages) {
    std::snprintf(line, sizeof(line), "%-5d  %6lld-%-6lld  %5lld  %-5s  %-10.4g  %-10.4g  %s\n", s.index,
                  static_cast<long long>(at), static_cast<long long>(at + s.tau), static_cast<long long>(s.tau_prime),
                  s.validation_mode ? "val" : "train", s.lr, s.forecast, bar(s.lr).c_str());
    out += line;
    at += s.tau;
  }
  if (result.tail_steps > 0 && !result.stages.empty()) {
    std::snprintf(line, sizeof(line), "tail   %6lld-%-6lld      -  -      %-10.4g  -           %s\n", static_cast<long long>(at),
                  static_cast<long long>(at + result.tail_steps), result.stages.back().lr, bar(result.stages.back().lr).c_str());
    out += line;
  }
  return out;
}

AutoLrsResult run_autolrs(Trainer& trainer, const AutoLrsOptions& options) {
  options.validate();
  return Runner(trainer, options).run();
}

}  // namespace boex
