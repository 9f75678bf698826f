// `boex strategies`: what a study can be created with, read from the registries, so a user (or a
// script) never depends on a hand-written list that drifts from the build.
#include <memory>

#include "acquisitions/registry.h"
#include "apps/cli_command.h"
#include "engine/strategy.h"
#include "engine/study.h"
#include "surrogates/kernel.h"
#include "surrogates/surrogate_registry.h"

namespace boex::cli {

Command strategies_command(CLI::App& parent) {
  auto name = std::make_shared<std::string>();
  CLI::App* cmd = parent.add_subcommand(
      "strategies", "the strategies, surrogates, acquisitions and kernels this build offers; with --strategy, "
                    "that strategy's default settings (what --strategy-options of create overrides)");
  cmd->add_option("--strategy", *name, "a strategy name: print its complete default settings");
  return {cmd, [name]() -> Output {
            using nlohmann::json;
            if (!name->empty()) {
              return json{{"strategy", *name},
                          {"settings", json::parse(resolve_strategy_options(*name, ""))}};
            }
            return json{{"default", StudyOptions{}.strategy},
                        {"strategies", strategy_names()},
                        {"constrained", strategies_supporting_constraints()},
                        {"multi_fidelity", strategies_modelling_fidelity()},
                        {"surrogates", surrogate_names()},
                        {"acquisitions", acquisition_names()},
                        {"kernels", kernel_names()}};
          }};
}

}  // namespace boex::cli
