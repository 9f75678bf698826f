// boex candidates: the study's candidate pool, "only these can be made" (a lab's library of
// variants or reagents), set from a CSV file, cleared, or listed.
#include <memory>

#include "apps/cli_command.h"
#include "apps/cli_inputs.h"
#include "core/errors.h"
#include "core/json_io.h"
#include "engine/study.h"

namespace boex::cli {

Command candidates_command(CLI::App& parent) {
  struct Arguments {
    StudyArguments study;
    std::string file;
    bool clear = false;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand(
      "candidates", "set, clear or list the study's candidate pool: every later suggestion is one of these points");
  add_study_arguments(cmd, a->study);
  CLI::Option* file = cmd->add_option(
      "--csv", a->file, "CSV file: a header naming every parameter, then one allowed point per line (replaces the pool)");
  cmd->add_flag("--clear", a->clear, "remove the pool: suggestions may be anywhere in the space again")->excludes(file);
  return {cmd, [a, file]() -> Output {
            Study study = Study::load(a->study.storage, a->study.study);
            if (*file) {
              study.set_candidates(params_from_csv(read_text_file(a->file, "candidates"), study.space(), a->file));
            } else if (a->clear) {
              study.set_candidates({});
            }
            nlohmann::json points = nlohmann::json::array();
            for (const Params& p : study.candidates()) points.push_back(params_to_json(p));
            return nlohmann::json{{"study", study.record().name}, {"count", points.size()}, {"candidates", points}};
          }};
}

}  // namespace boex::cli
