// `boex fit`, one function per step: parse the flags, read the data (CSV or studies), fit with a
// bootstrap, report; studies are reached only through Study.
#include "apps/cli_fit.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/parse_number.h"
#include "core/progress_line.h"
#include "core/utf8.h"
#include "engine/scaling_fit.h"
#include "fits/law_report.h"
#include "fits/scaling_csv.h"

namespace boex::cli {
namespace {

using nlohmann::json;

struct FitArguments {
  std::string csv;                   // a CSV file, or
  std::string storage;               // a storage URL with
  std::vector<std::string> studies;  // one or more studies (their trials pooled)
  std::string law;                   // chinchilla | steplaw
  std::vector<std::string> columns;  // N,D,loss | N,D,lr,bs,loss (CSV); N,D | N,D,lr,bs (studies)
  bool d_is_flops = false;
  std::string rows = "runs";
  std::string objective = "huber-likelihood";
  std::vector<std::string> predict;  // "N,D" pairs
  bool save = false;
  // Numbers as typed, read strictly (core/parse_number.h) when the command runs.
  std::string tokens_per_batch_unit = "1", near_optimal_tolerance = "0.0025", drop_highest = "0", resamples = "1000",
              level = "0.95", seed = "0";
  std::vector<std::string> budgets;  // FLOP budgets (chinchilla)
};

fits::ScalePoints parse_points(const std::vector<std::string>& texts) {
  fits::ScalePoints out;
  for (const auto& text : texts) {
    const std::vector<double> nd = parse_double_list(text, "--predict");
    if (nd.size() != 2 || !(nd[0] > 0.0) || !(nd[1] > 0.0) || !std::isfinite(nd[0]) || !std::isfinite(nd[1]))
      throw InvalidArgument("--predict wants N,D with positive numbers, e.g. 1e9,2e10; got '" + printable(text) + "'");
    out.emplace_back(nd[0], nd[1]);
  }
  return out;
}

std::vector<double> parse_budgets(const std::vector<std::string>& texts) {
  std::vector<double> out;
  for (const auto& text : texts) out.push_back(parse_double(text, "--budget"));
  return out;
}

// Without --predict: the largest scale of the data (by N D), where a law is most often read.
template <class Data>
fits::ScalePoints default_points(const Data& d) {
  if (d.size() == 0) return {};
  int best = 0;
  for (int i = 1; i < d.size(); ++i)
    if (d.N[i] * d.D[i] > d.N[best] * d.D[best]) best = i;
  return {{d.N[best], d.D[best]}};
}

// --columns, or the default names; InvalidArgument unless there are `n` of them.
std::vector<std::string> column_names(const FitArguments& a, std::vector<std::string> fallback, const char* form) {
  auto c = a.columns.empty() ? std::move(fallback) : a.columns;
  std::size_t n = 1;
  for (const char* p = form; *p; ++p) n += *p == ',';
  if (c.size() != n) throw InvalidArgument("--columns wants " + std::to_string(n) + " names here: " + form);
  return c;
}

json fit_chinchilla(const FitArguments& a, const std::vector<const Study*>& studies, const fits::BootstrapOptions& boot,
                    const fits::ScalePoints& predict_at) {
  fits::ChinchillaOptions o;
  o.drop_highest_losses = parse_int(a.drop_highest, "--drop-highest");
  o.objective = a.objective == "huber-loss" ? fits::ChinchillaObjective::kHuberLoss : fits::ChinchillaObjective::kHuberLikelihood;
  fits::ChinchillaData data;
  if (!a.csv.empty()) {
    const auto c = column_names(a, {"N", "D", "loss"}, "N,D,loss");
    data = fits::chinchilla_data_from_csv(a.csv, {c[0], c[1], c[2], a.d_is_flops});
  } else {
    const auto c = column_names(a, {"N", "D"}, "N,D");
    data = chinchilla_data_from_studies(studies, {c[0], c[1]});
    if (a.d_is_flops) data.convert_flops_to_tokens();
  }
  const auto estimate = fits::estimate_chinchilla(data, o, boot);
  return fits::chinchilla_report(estimate, o, predict_at.empty() ? default_points(estimate.fit.data) : predict_at,
                                 parse_budgets(a.budgets));
}

json fit_step_law(const FitArguments& a, const std::vector<const Study*>& studies, const fits::BootstrapOptions& boot,
                  const fits::ScalePoints& predict_at) {
  if (!a.budgets.empty()) throw InvalidArgument("--budget applies to the chinchilla law only");
  fits::StepLawOptions o;
  o.tokens_per_batch_unit = parse_double(a.tokens_per_batch_unit, "--tokens-per-batch-unit");
  o.near_optimal_tolerance = parse_double(a.near_optimal_tolerance, "--tolerance");
  o.rows = a.rows == "centres" ? fits::StepLawRows::kScaleCentres : fits::StepLawRows::kNearOptimalRuns;
  fits::StepLawData data;
  if (!a.csv.empty()) {
    const auto c = column_names(a, {"N", "D", "lr", "bs", "loss"}, "N,D,lr,bs,loss");
    data = fits::step_law_data_from_csv(a.csv, {c[0], c[1], c[2], c[3], c[4]});
  } else {
    const auto c = column_names(a, {"N", "D", "lr", "bs"}, "N,D,lr,bs");
    data = step_law_data_from_studies(studies, {c[0], c[1], c[2], c[3]});
  }
  const auto estimate = fits::estimate_step_law(data, o, boot);
  return fits::step_law_report(estimate, o, predict_at.empty() ? default_points(data) : predict_at);
}

json run_fit(const FitArguments& a) {
  if (a.csv.empty() == a.storage.empty()) throw InvalidArgument("fit needs either --csv FILE or --storage URL --study NAME");
  if (!a.storage.empty() && a.studies.empty()) throw InvalidArgument("fit --storage needs --study NAME");
  if (a.save && a.storage.empty()) throw InvalidArgument("--save writes to studies; it needs --storage and --study");
  fits::BootstrapOptions boot;
  boot.resamples = parse_int(a.resamples, "--resamples");
  boot.level = parse_double(a.level, "--level");
  boot.seed = parse_uint64(a.seed, "--seed");
  ProgressLine progress("bootstrap resamples", boot.resamples, "", stderr);  // on a terminal only
  if (progress.enabled()) boot.progress = [&progress](int done, int) { progress.update(done); };
  const auto predict_at = parse_points(a.predict);
  std::vector<Study> studies;
  for (const auto& name : a.studies) studies.push_back(Study::load(a.storage, name));
  std::vector<const Study*> pointers;
  for (const auto& s : studies) pointers.push_back(&s);
  json report = a.law == "chinchilla" ? fit_chinchilla(a, pointers, boot, predict_at) : fit_step_law(a, pointers, boot, predict_at);
  progress.finish();
  if (a.save) {
    json saved = json::array();
    for (auto& s : studies) saved.push_back({{"study", s.record().name}, {"attribute", save_law_report(s, report)}});
    report["saved"] = saved;
  }
  return report;
}

}  // namespace

Command fit_command(CLI::App& parent) {
  auto a = std::make_shared<FitArguments>();
  CLI::App* cmd = parent.add_subcommand(
      "fit", "fit a scaling law (chinchilla: L = E + A/N^alpha + B/D^beta; steplaw: optimal lr and batch) to a CSV "
             "or to stored studies; prints parameters, bootstrap intervals and predictions");
  CLI::Option* csv = cmd->add_option("--csv", a->csv, "CSV file with a header line");
  CLI::Option* storage = cmd->add_option("--storage", a->storage, "storage URL of the studies to fit");
  cmd->add_option("--study", a->studies, "study name (repeat or comma-separate to pool several)")->delimiter(',');
  csv->excludes(storage);
  cmd->add_option("--law", a->law, "chinchilla or steplaw")->required()->check(CLI::IsMember({"chinchilla", "steplaw"}));
  cmd->add_option("--columns", a->columns,
                  "names of N,D,loss (chinchilla) or N,D,lr,bs,loss (steplaw) in the CSV; for studies N,D or N,D,lr,bs "
                  "(parameters, trial or study attributes; the loss is the trial's value)")
      ->delimiter(',');
  cmd->add_flag("--d-is-flops", a->d_is_flops, "the D column holds training FLOP C; D = C / (6 N)");
  cmd->add_option("--tokens-per-batch-unit", a->tokens_per_batch_unit,
                  "steplaw: batch sizes times this are tokens (2048 for Step Law's CSV, whose bs counts sequences)");
  cmd->add_option("--tolerance", a->near_optimal_tolerance,
                  "steplaw: near-optimal runs lie within this fraction of their scale's best loss");
  cmd->add_option("--rows", a->rows,
                  "steplaw: OLS rows: runs (every near-optimal run, Step Law's fit) or centres (one per scale, "
                  "bootstrap over scales; for runs chosen adaptively, as by a scaling study)")
      ->check(CLI::IsMember({"runs", "centres"}));
  cmd->add_option("--drop-highest", a->drop_highest, "chinchilla: drop this many highest-loss points first (Epoch: 5)");
  cmd->add_option("--objective", a->objective, "chinchilla: huber-likelihood (Epoch AI) or huber-loss (Hoffmann et al.)")
      ->check(CLI::IsMember({"huber-likelihood", "huber-loss"}));
  cmd->add_option("--resamples", a->resamples, "bootstrap resamples");
  cmd->add_option("--level", a->level, "confidence level of the intervals");
  cmd->add_option("--seed", a->seed, "bootstrap seed");
  cmd->add_option("--predict", a->predict, "predict at N,D (repeat for several; default: the largest scale of the data)");
  cmd->add_option("--budget", a->budgets, "chinchilla: compute-optimal N and D for this many FLOP (repeat for several)");
  cmd->add_flag("--save", a->save, "also store the report in each study's attributes (scaling_law.<law>)");
  return {cmd, [a]() -> Output { return run_fit(*a); }};
}

}  // namespace boex::cli
