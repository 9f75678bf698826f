// boex report: a study's self-contained HTML report (apps/report/), written atomically.
#include <chrono>
#include <memory>

#include "apps/cli_command.h"
#include "apps/report/report_html.h"
#include "apps/report/report_model.h"
#include "engine/study.h"

namespace boex::cli {

Command report_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string output;
    report::ReportOptions options;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand(
      "report", "write a study's report: one HTML file with interactive plots that opens offline");
  add_study_arguments(cmd, a->study);
  cmd->add_option("--output", a->output, "the HTML file to write (replaced atomically)")->required();
  cmd->add_option("--model-points", a->options.max_model_points,
                  "largest number of trials the report's GP is fitted to (default 300)");
  return {cmd, [a]() -> Output {
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
