// The subcommands of the lab loop, one function each; they reach studies only through Study.
#include <iostream>
#include <memory>

#include "apps/cli_command.h"
#include "apps/cli_inputs.h"
#include "apps/cli_json.h"
#include "core/errors.h"
#include "core/json_io.h"
#include "core/parse_number.h"
#include "core/registry.h"
#include "engine/multi_objective.h"
#include "engine/study.h"

namespace boex::cli {
namespace {

using nlohmann::json;

// A multi-objective study's trials carry their Pareto rank (0: on the feasible front; null:
// not complete or infeasible).
json trials_json(const std::vector<Trial>& trials, const std::vector<int>& ranks = {}) {
  json out = json::array();
  for (std::size_t i = 0; i < trials.size(); ++i) {
    json t = trial_to_json(trials[i]);
    if (!ranks.empty()) t["pareto_rank"] = ranks[i] >= 0 ? json(ranks[i]) : json(nullptr);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

void add_study_arguments(CLI::App* command, StudyArguments& arguments) {
  command->add_option("--storage", arguments.storage,
                      "storage URL: sqlite:///path.db, sqlite::memory: or postgresql://user:password@host:port/db")
      ->required();
  command->add_option("--study", arguments.study, "study name")->required();
}

Command create_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string space, direction = "minimize", strategy = "gp-logei", strategy_options;
    std::string n_constraints = "0", n_init = "0", seed = "0", target, cost, objectives;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand("create", "create a study");
  add_study_arguments(cmd, a->study);
  cmd->add_option("--space", a->space,
                  "search-space JSON file (or inline JSON); a sequence's embedding may name a letter,features CSV "
                  "as {\"csv\": \"file.csv\"} (relative to the space file), stored as a table")
      ->required();
  cmd->add_option("--direction", a->direction, "minimize or maximize");
  cmd->add_option("--constraints", a->n_constraints, "number of constraint values per trial (c <= 0 feasible)");
  cmd->add_option("--strategy", a->strategy, "strategy name: " + join(strategy_names()));
  cmd->add_option("--strategy-options", a->strategy_options,
                  "the strategy's settings to change, as a JSON object (inline or a file), e.g. "
                  "'{\"surrogate\": {\"kernel\": \"rbf\"}}'; stored with the study");
  cmd->add_option("--seed", a->seed, "seed, 0 to 2^64-1; with the history it fixes every suggestion");
  cmd->add_option("--n-init", a->n_init, "initial-design size (0: automatic)");
  CLI::Option* target = cmd->add_option("--target", a->target,
                                        "the measured value should hit this target (composite EI); several "
                                        "comma-separated targets make a study of that many outputs (tell --outputs)");
  CLI::Option* cost = cmd->add_option("--cost", a->cost,
                                      "multi-fidelity studies: FIXED,WEIGHT, an experiment costs FIXED + WEIGHT x fidelity "
                                      "(without it, boex models the costs told with results)");
  CLI::Option* objectives = cmd->add_option(
      "--objectives", a->objectives,
      "several objectives, each name:min|max[:threshold] (worse than the threshold is worthless; the "
      "hypervolume's reference point), comma-separated, e.g. yield:max:0.2,cost:min:50, or a JSON array "
      "[{\"name\": ..., \"direction\": ..., \"threshold\": ...}]; tell with --values");
  objectives->excludes(target);
  return {cmd, [a, target, cost, objectives]() -> Output {
            Study::Options o;
            if (*objectives) o.objectives = parse_objectives(a->objectives);
            o.direction = parse_direction(a->direction);
            o.strategy = a->strategy;
            if (!a->strategy_options.empty()) o.strategy_options = json_argument(a->strategy_options, "strategy options");
            o.seed = parse_uint64(a->seed, "--seed");
            o.n_constraints = parse_int(a->n_constraints, "--constraints");
            o.n_init = parse_int(a->n_init, "--n-init");
            if (*target) {
              const std::vector<double> targets = parse_double_list(a->target, "--target");
              if (targets.size() == 1) o.target = targets.front();
              if (targets.size() > 1) o.targets = targets;
            }
            if (*cost) {
              const std::vector<double> affine = parse_double_list(a->cost, "--cost");
              if (affine.size() != 2) throw InvalidArgument("--cost takes FIXED,WEIGHT (two numbers), e.g. --cost 5,1");
              o.cost = AffineCost{affine[0], affine[1]};
            }
            o.validate();
            nlohmann::json space_doc = parse_json(json_argument(a->space, "space"), "space");
            read_embedding_files(space_doc, json_argument_directory(a->space));
            const SearchSpace space = space_from_json(space_doc);
            const Study study = Study::create(a->study.storage, a->study.study, space, o);
            return study_to_json(study.record(), 0);
          }};
}

Command ask_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string n = "1", stale_after;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand("ask", "suggest the next trial(s)");
  add_study_arguments(cmd, a->study);
  cmd->add_option("--n", a->n,
                  "number of trials (a batch, 1 to " + std::to_string(Study::kMaxAskCount) +
                      "; each point of a model-based batch costs one acquisition optimisation)");
  CLI::Option* stale = cmd->add_option("--fail-stale-after", a->stale_after,
                                       "first fail running trials silent for this many seconds (> 0)");
  return {cmd, [a, stale]() -> Output {
            const int n = parse_int(a->n, "--n");
            Study::check_ask_count(n);
            double stale_after = 0.0;
            if (*stale) {
              stale_after = parse_double(a->stale_after, "--fail-stale-after");
              if (!(stale_after > 0) || !std::isfinite(stale_after))
                throw InvalidArgument("--fail-stale-after must be a finite number of seconds > 0, got " + a->stale_after);
            }
            Study study = Study::load(a->study.storage, a->study.study);
            if (*stale) study.fail_stale_trials(stale_after);
            json trials = json::array();
            for (const Trial& t : study.ask(n)) trials.push_back({{"trial", t.id}, {"params", params_to_json(t.params)}});
            return json{{"trials", trials}};
          }};
}

Command tell_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string trial, value, outputs, cost, values;
    std::vector<std::string> constraints;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand("tell", "report a trial's result");
  add_study_arguments(cmd, a->study);
  cmd->add_option("--trial", a->trial, "trial id")->required();
  CLI::Option* value = cmd->add_option("--value", a->value, "objective value");
  CLI::Option* outputs = cmd->add_option("--outputs", a->outputs, "measured outputs of a multi-target study (comma-separated)");
  CLI::Option* constraints = cmd->add_option("--constraint", a->constraints, "constraint value (repeat for several)");
  CLI::Option* failed = cmd->add_flag("--failed", "the trial failed");
  CLI::Option* cost = cmd->add_option("--cost", a->cost, "what the experiment cost (multi-fidelity studies model it)");
  CLI::Option* values = cmd->add_option("--values", a->values, "one value per objective of a multi-objective study (comma-separated)");
  value->excludes(failed)->excludes(outputs)->excludes(values);
  outputs->excludes(failed)->excludes(values);
  values->excludes(failed)->excludes(cost);
  constraints->excludes(failed);
  return {cmd, [a, value, outputs, failed, values, cost]() -> Output {
            const std::int64_t trial = parse_int64(a->trial, "--trial");
            const std::vector<double> constraints = constraint_arguments(a->constraints);
            if (*values) {
              const std::vector<double> told = parse_double_list(a->values, "--values");
              Study study = Study::load(a->study.storage, a->study.study);
              study.tell_values(trial, told, constraints);
              return trial_to_json(study.trial(trial));
            }
            if (!*failed && !*value && !*outputs)
              throw InvalidArgument("tell needs --value V, --values V1,V2,... (several objectives), --outputs H1,H2,... or --failed");
            const double told = *value ? parse_double(a->value, "--value") : 0.0;
            const std::vector<double> measured = *outputs ? parse_double_list(a->outputs, "--outputs") : std::vector<double>();
            const std::optional<double> told_cost = *cost ? std::optional<double>(parse_double(a->cost, "--cost")) : std::nullopt;
            Study study = Study::load(a->study.storage, a->study.study);
            if (*failed)
              study.tell_failed(trial, told_cost);
            else if (*value)
              study.tell(trial, told, constraints, told_cost);
            else
              study.tell_outputs(trial, measured, constraints, told_cost);
            return trial_to_json(study.trial(trial));
          }};
}

Command add_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string params, value, outputs, cost, values;
    std::vector<std::string> constraints;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand("add", "add an experiment measured outside boex (prior data)");
  add_study_arguments(cmd, a->study);
  cmd->add_option("--params", a->params, "parameters as JSON {\"name\": value}")->required();
  CLI::Option* value = cmd->add_option("--value", a->value, "objective value");
  CLI::Option* outputs = cmd->add_option("--outputs", a->outputs, "measured outputs of a multi-target study (comma-separated)");
  CLI::Option* values = cmd->add_option("--values", a->values, "one value per objective of a multi-objective study (comma-separated)");
  value->excludes(outputs)->excludes(values);
  outputs->excludes(values);
  cmd->add_option("--constraint", a->constraints, "constraint value (repeat for several)");
  CLI::Option* cost = cmd->add_option("--cost", a->cost, "what the experiment cost");
  cost->excludes(outputs)->excludes(values);
  return {cmd, [a, value, outputs, values, cost]() -> Output {
            if (*values) {
              const std::vector<double> measured = parse_double_list(a->values, "--values");
              Study study = Study::load(a->study.storage, a->study.study);
              const Params params = params_argument(a->params, study.space());
              return trial_to_json(study.add_measured_values(params, measured, constraint_arguments(a->constraints)));
            }
            if (!*value && !*outputs) throw InvalidArgument("add needs --value V, --values V1,V2,... or --outputs H1,H2,...");
            const std::vector<double> constraints = constraint_arguments(a->constraints);
            const double told = *value ? parse_double(a->value, "--value") : 0.0;
            const std::vector<double> measured = *outputs ? parse_double_list(a->outputs, "--outputs") : std::vector<double>();
            const std::optional<double> told_cost = *cost ? std::optional<double>(parse_double(a->cost, "--cost")) : std::nullopt;
            Study study = Study::load(a->study.storage, a->study.study);
            const Params params = params_argument(a->params, study.space());
            if (*value) return trial_to_json(study.add_measured(params, told, constraints, told_cost));
            return trial_to_json(study.add_measured_outputs(params, measured, constraints));
          }};
}

Command enqueue_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string params;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand("enqueue", "queue a point to be handed out by the next ask");
  add_study_arguments(cmd, a->study);
  cmd->add_option("--params", a->params, "parameters as JSON {\"name\": value}")->required();
  return {cmd, [a]() -> Output {
            Study study = Study::load(a->study.storage, a->study.study);
            return trial_to_json(study.enqueue(params_argument(a->params, study.space())));
          }};
}

Command heartbeat_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string trial;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand("heartbeat", "mark a running trial as alive");
  add_study_arguments(cmd, a->study);
  cmd->add_option("--trial", a->trial, "trial id")->required();
  return {cmd, [a]() -> Output {
            const std::int64_t trial = parse_int64(a->trial, "--trial");
            Study study = Study::load(a->study.storage, a->study.study);
            study.heartbeat(trial);
            return trial_to_json(study.trial(trial));
          }};
}

namespace {

// best and recommend: one trial chosen from the study, or NotFound while none is feasible.
Command chosen_trial_command(CLI::App& parent, const std::string& name, const std::string& description,
                             std::optional<Trial> (Study::*choose)() const) {
  auto a = std::make_shared<StudyArguments>();
  CLI::App* cmd = parent.add_subcommand(name, description);
  add_study_arguments(cmd, *a);
  return {cmd, [a, choose]() -> Output {
            const Study study = Study::load(a->storage, a->study);
            const std::optional<Trial> chosen = (study.*choose)();
            if (!chosen) throw NotFound("study '" + a->study + "' has no feasible complete trial yet");
            return trial_to_json(*chosen);
          }};
}

}  // namespace

Command best_command(CLI::App& parent) {
  return chosen_trial_command(parent, "best", "the best feasible trial", &Study::best);
}

Command recommend_command(CLI::App& parent) {
  auto a = std::make_shared<StudyArguments>();
  CLI::App* cmd = parent.add_subcommand(
      "recommend", "the trial the model believes best (noisy experiments; the target fidelity of multi-fidelity studies)");
  add_study_arguments(cmd, *a);
  return {cmd, [a]() -> Output {
            const Study study = Study::load(a->storage, a->study);
            const std::optional<Trial> chosen = study.recommend();
            if (!chosen) throw NotFound("study '" + a->study + "' has no feasible complete trial yet");
            return recommendation_to_json(study.space(), *chosen);
          }};
}

Command trials_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string format = "json";
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand("trials", "every trial of a study");
  add_study_arguments(cmd, a->study);
  cmd->add_option("--format", a->format, "json or csv")->check(CLI::IsMember({"json", "csv"}));
  return {cmd, [a]() -> Output {
            const Study study = Study::load(a->study.storage, a->study.study);
            const std::vector<Trial> all = study.trials();
            const std::vector<int> ranks = study.is_multi_objective() ? study.pareto().ranks : std::vector<int>();
            if (a->format == "json") return json{{"trials", trials_json(all, ranks)}};
            std::cout << trials_to_csv(study.record(), all, ranks);
            return std::nullopt;
          }};
}

Command pareto_command(CLI::App& parent) {
  auto a = std::make_shared<StudyArguments>();
  CLI::App* cmd = parent.add_subcommand(
      "pareto", "the feasible non-dominated trials of a multi-objective study and their hypervolume");
  add_study_arguments(cmd, *a);
  return {cmd, [a]() -> Output {
            const Study study = Study::load(a->storage, a->study);
            const ParetoSummary s = study.pareto();
            const std::vector<Trial> all = study.trials();
            std::vector<Trial> front;
            for (std::size_t i : s.front) front.push_back(all[i]);
            return json{{"objectives", objectives_to_json(study.objectives())},
                        {"reference", s.reference},
                        {"reference_inferred", s.reference_inferred},
                        {"hypervolume", s.hypervolume},
                        {"n_pareto", front.size()},
                        {"trials", trials_json(front)}};
          }};
}

Command studies_command(CLI::App& parent) {
  auto storage = std::make_shared<std::string>();
  CLI::App* cmd = parent.add_subcommand("studies", "the studies in a storage");
  cmd->add_option("--storage", *storage, "storage URL")->required();
  return {cmd, [storage]() -> Output {
            json studies = json::array();
            for (const StudySummary& s : Study::list(*storage)) {
              if (s.problem.empty()) {
                studies.push_back(study_to_json(s.record, s.n_trials));
              } else {  // listed with its problem, so one damaged study hides none of the others
                studies.push_back({{"study", s.record.name},
                                   {"n_trials", s.n_trials},
                                   {"error", {{"kind", "storage_error"}, {"message", s.problem}}}});
              }
            }
            return json{{"studies", studies}};
          }};
}

}  // namespace boex::cli
