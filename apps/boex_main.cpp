// The boex CLI: the lab experiment loop from a shell. Every command prints one JSON object on
// stdout; errors print {"error": {"kind", "message"}} on stderr with a non-zero exit code.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/cli_json.h"
#include "core/errors.h"
#include "core/json_io.h"
#include "engine/study.h"

namespace {

using nlohmann::json;

// Exit codes by error kind, so scripts can branch without parsing messages.
int exit_code(const boex::Error& e) {
  const std::string kind = e.kind();
  if (kind == "invalid_argument") return 2;
  if (kind == "not_found") return 3;
  if (kind == "state_error") return 4;
  if (kind == "schema_error") return 6;
  if (kind == "storage_error") return 5;
  return 1;
}

int fail(const std::string& kind, const std::string& message, int code) {
  std::cerr << json{{"error", {{"kind", kind}, {"message", message}}}}.dump() << std::endl;
  return code;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw boex::InvalidArgument("cannot read the space file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Inline JSON ('{"parameters": ...}') or a path to a file holding it.
std::string json_argument(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\n");
  return first != std::string::npos && text[first] == '{' ? text : read_file(text);
}

boex::Params params_argument(const std::string& text, const boex::SearchSpace& space) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw boex::InvalidArgument(std::string("--params is not valid JSON: ") + e.what());
  }
  return boex::params_from_json(doc, space);
}

struct Common {
  std::string storage, study;
};

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("--storage", c.storage, "storage URL: sqlite:///path.db or sqlite::memory:")->required();
  cmd->add_option("--study", c.study, "study name")->required();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex: Bayesian optimisation and experiment design. Every command prints JSON."};
  app.require_subcommand(1);
  Common common;

  auto* create = app.add_subcommand("create", "create a study");
  add_common(create, common);
  std::string space_arg, direction = "minimize", strategy = "gp-logei";
  int n_constraints = 0, n_init = 0;
  std::uint64_t seed = 0;
  create->add_option("--space", space_arg, "search-space JSON file (or inline JSON)")->required();
  create->add_option("--direction", direction, "minimize or maximize");
  create->add_option("--constraints", n_constraints, "number of constraint values per trial (c <= 0 feasible)");
  create->add_option("--strategy", strategy, "strategy name (gp-logei, gp-ei, gp-ucb, gp-pi, random, sobol)");
  create->add_option("--seed", seed, "seed; with the history it fixes every suggestion");
  create->add_option("--n-init", n_init, "initial-design size (0: automatic)");
  std::vector<double> target;
  auto* target_opt = create->add_option("--target", target,
                                        "the measured value should hit this target (composite EI); several "
                                        "comma-separated targets make a study of that many outputs (tell --outputs)")
                         ->delimiter(',');

  auto* ask = app.add_subcommand("ask", "suggest the next trial(s)");
  add_common(ask, common);
  int n = 1;
  double stale_after = 0.0;
  ask->add_option("--n", n, "number of trials (a batch)");
  ask->add_option("--fail-stale-after", stale_after, "first fail running trials silent for this many seconds");

  auto* tell = app.add_subcommand("tell", "report a trial's result");
  add_common(tell, common);
  std::int64_t trial_id = -1;
  double value = 0.0;
  std::vector<double> constraints;
  tell->add_option("--trial", trial_id, "trial id")->required();
  std::vector<double> outputs;
  auto* value_opt = tell->add_option("--value", value, "objective value");
  auto* outputs_opt = tell->add_option("--outputs", outputs, "measured outputs of a multi-target study (comma-separated)")
                          ->delimiter(',');
  auto* constraint_opt = tell->add_option("--constraint", constraints, "constraint value (repeat for several)");
  auto* failed_flag = tell->add_flag("--failed", "the trial failed");
  value_opt->excludes(failed_flag)->excludes(outputs_opt);
  outputs_opt->excludes(failed_flag);
  constraint_opt->excludes(failed_flag);

  auto* add = app.add_subcommand("add", "add an experiment measured outside boex (prior data)");
  add_common(add, common);
  std::string params_arg;
  double add_value = 0.0;
  std::vector<double> add_constraints, add_outputs;
  add->add_option("--params", params_arg, "parameters as JSON {\"name\": value}")->required();
  auto* add_value_opt = add->add_option("--value", add_value, "objective value");
  auto* add_outputs_opt =
      add->add_option("--outputs", add_outputs, "measured outputs of a multi-target study (comma-separated)")
          ->delimiter(',');
  add_value_opt->excludes(add_outputs_opt);
  add->add_option("--constraint", add_constraints, "constraint value (repeat for several)");

  auto* enqueue = app.add_subcommand("enqueue", "queue a point to be handed out by the next ask");
  add_common(enqueue, common);
  std::string enqueue_params;
  enqueue->add_option("--params", enqueue_params, "parameters as JSON {\"name\": value}")->required();

  auto* heartbeat = app.add_subcommand("heartbeat", "mark a running trial as alive");
  add_common(heartbeat, common);
  heartbeat->add_option("--trial", trial_id, "trial id")->required();

  auto* best = app.add_subcommand("best", "the best feasible trial");
  add_common(best, common);
  auto* recommend = app.add_subcommand("recommend", "the trial the model believes best (noisy experiments)");
  add_common(recommend, common);

  auto* trials = app.add_subcommand("trials", "every trial of a study");
  add_common(trials, common);
  std::string format = "json";
  trials->add_option("--format", format, "json or csv")->check(CLI::IsMember({"json", "csv"}));

  auto* studies = app.add_subcommand("studies", "the studies in a storage");
  studies->add_option("--storage", common.storage, "storage URL")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail("usage", e.what(), 2);
  }

  try {
    json out;
    if (create->parsed()) {
      boex::Study::Options o;
      o.direction = boex::parse_direction(direction);
      o.strategy = strategy;
      o.seed = seed;
      o.n_constraints = n_constraints;
      o.n_init = n_init;
      if (target.size() == 1) o.target = target.front();
      if (target.size() > 1) o.targets = target;
      if (*target_opt && target.empty()) throw boex::InvalidArgument("--target needs at least one value");
      o.validate();
      auto storage = std::shared_ptr<boex::Storage>(boex::open_storage(common.storage));
      const boex::SearchSpace space = boex::space_from_json_text(json_argument(space_arg));
      if (storage->find_study(common.study))
        throw boex::StateError("a study named '" + common.study + "' already exists");
      const auto study = boex::Study::open(storage, common.study, space, o);
      out = boex::cli::study_to_json(study.record(), 0);
    } else if (studies->parsed()) {
      auto storage = boex::open_storage(common.storage);
      out["studies"] = json::array();
      for (const auto& s : storage->studies()) out["studies"].push_back(boex::cli::study_to_json(s, storage->count_trials(s.id)));
    } else {
      auto study = boex::Study::load(common.storage, common.study);
      if (ask->parsed()) {
        if (stale_after > 0) study.storage().fail_stale_trials(study.record().id, stale_after);
        out["trials"] = json::array();
        for (const auto& t : study.ask(n)) out["trials"].push_back({{"trial", t.id}, {"params", boex::params_to_json(t.params)}});
      } else if (tell->parsed()) {
        if (*failed_flag) {
          study.tell_failed(trial_id);
        } else if (*value_opt) {
          study.tell(trial_id, value, constraints);
        } else if (*outputs_opt) {
          study.tell_outputs(trial_id, outputs, constraints);
        } else {
          throw boex::InvalidArgument("tell needs --value V, --outputs H1,H2,... or --failed");
        }
        out = boex::cli::trial_to_json(study.trial(trial_id));
      } else if (add->parsed()) {
        const boex::Params params = params_argument(params_arg, study.space());
        if (*add_value_opt)
          out = boex::cli::trial_to_json(study.add_measured(params, add_value, add_constraints));
        else if (*add_outputs_opt)
          out = boex::cli::trial_to_json(study.add_measured_outputs(params, add_outputs, add_constraints));
        else
          throw boex::InvalidArgument("add needs --value V or --outputs H1,H2,...");
      } else if (enqueue->parsed()) {
        out = boex::cli::trial_to_json(study.enqueue(params_argument(enqueue_params, study.space())));
      } else if (heartbeat->parsed()) {
        study.heartbeat(trial_id);
        out = boex::cli::trial_to_json(study.trial(trial_id));
      } else if (best->parsed()) {
        const auto b = study.best();
        if (!b) throw boex::NotFound("study '" + common.study + "' has no feasible complete trial yet");
        out = boex::cli::trial_to_json(*b);
      } else if (recommend->parsed()) {
        const auto r = study.recommend();
        if (!r) throw boex::NotFound("study '" + common.study + "' has no feasible complete trial yet");
        out = boex::cli::trial_to_json(*r);
      } else if (trials->parsed()) {
        const auto all = study.trials();
        if (format == "csv") {
          std::cout << boex::cli::trials_to_csv(study.record(), all);
          return 0;
        }
        out["trials"] = json::array();
        for (const auto& t : all) out["trials"].push_back(boex::cli::trial_to_json(t));
      }
    }
    std::cout << out.dump() << std::endl;
    return 0;
  } catch (const boex::Error& e) {
    return fail(e.kind(), e.what(), exit_code(e));
  } catch (const std::exception& e) {
    return fail("internal", e.what(), 1);
  }
}
