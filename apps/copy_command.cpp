// boex copy: moves studies between storages (a lab's SQLite file onto the shared PostgreSQL
// server, a server's study into a file to archive), through the storage layer's copy_studies.
#include <memory>

#include "apps/cli_command.h"
#include "storage/copy_study.h"

namespace boex::cli {

Command copy_command(CLI::App& parent) {
  struct Arguments {
    std::string from, to, study;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* cmd = parent.add_subcommand(
      "copy", "copy a study (or every study) with all its trials to another storage; refuses a taken name");
  cmd->add_option("--from", a->from, "storage URL to copy from")->required();
  cmd->add_option("--to", a->to, "storage URL to copy into (created when it does not exist)")->required();
  cmd->add_option("--study", a->study, "the study to copy (default: every study)");
  return {cmd, [a]() -> Output {
            const std::unique_ptr<Storage> from = open_storage(a->from, OpenMode::kExisting);
            const std::unique_ptr<Storage> to = open_storage(a->to);
            nlohmann::json copied = nlohmann::json::array();
            for (const CopiedStudy& c : copy_studies(*from, *to, a->study))
              copied.push_back({{"study", c.name}, {"n_trials", c.n_trials}});
            return nlohmann::json{{"copied", copied}, {"from", masked_url(a->from)}, {"to", masked_url(a->to)}};
          }};
}

}  // namespace boex::cli
