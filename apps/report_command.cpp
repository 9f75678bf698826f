// boex report: a study's self-contained HTML report (apps/report/), written atomically; with
// --trial, records one intermediate value (a learning curve's point) of a running trial instead.
#include <chrono>
#include <memory>

#include "apps/cli_command.h"
#include "apps/cli_json.h"
#include "core/errors.h"
#include "core/parse_number.h"
#include "apps/report/report_html.h"
#include "apps/report/report_model.h"
#include "engine/study.h"

namespace boex::cli {

Command report_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string output;
    report::ReportOptions options;
    std::string trial, step, value;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand(
      "report",
      "write a study's report: one HTML file with interactive plots that opens offline (--output); or, "
      "with --trial N --step S --value V, record an intermediate value of running trial N (a learning "
      "curve's point at step S)");
  add_study_arguments(cmd, a->study);
  CLI::Option* output = cmd->add_option("--output", a->output, "the HTML file to write (replaced atomically)");
  CLI::Option* points = cmd->add_option("--model-points", a->options.max_model_points,
                                        "largest number of trials the report's GP is fitted to (default 300)");
  CLI::Option* trial = cmd->add_option("--trial", a->trial, "running trial id whose intermediate value to record");
  CLI::Option* step = cmd->add_option("--step", a->step, "the intermediate value's step (>= 0, with --trial)");
  CLI::Option* value = cmd->add_option("--value", a->value, "the intermediate value (finite, with --trial)");
  trial->excludes(output)->excludes(points);
  step->needs(trial);
  value->needs(trial);
  return {cmd, [a, trial, step, value]() -> Output {
            if (*trial) {
              if (!*step || !*value) throw InvalidArgument("report --trial needs --step S and --value V");
              const std::int64_t id = parse_int64(a->trial, "--trial");
              const std::int64_t at = parse_int64(a->step, "--step");
              const double v = parse_double(a->value, "--value");
              Study study = Study::load(a->study.storage, a->study.study);
              study.report(id, at, v);
              return trial_to_json(study.trial(id));
            }
            if (a->output.empty()) throw InvalidArgument("report needs --output FILE (or --trial N --step S --value V)");
            const auto start = std::chrono::steady_clock::now();
            const Study study = Study::load(a->study.storage, a->study.study);
            // One read: a snapshot of a study that may still be running.
            const std::vector<Trial> trials = study.trials();
            const nlohmann::json model = report::report_model(study.record(), trials, a->options);
            const std::string page = report::report_html(model);
            report::write_file_atomically(a->output, page);
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            return nlohmann::json{{"report", a->output},   {"study", a->study.study},
                                  {"trials", trials.size()}, {"bytes", page.size()},
                                  {"plots", report::has_plotly()}, {"seconds", seconds}};
          }};
}

}  // namespace boex::cli
