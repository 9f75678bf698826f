// The boex CLI: the lab experiment loop from a shell. Every command prints one JSON object on
// stdout; errors print {"error": {"kind", "message"}} on stderr with a non-zero exit code.
#include <cstdio>
#include <iostream>
#include <vector>

#include "apps/cli_command.h"
#include "apps/cli_fit.h"
#include "core/errors.h"

namespace {

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

// JSON text of `value` that never throws: bytes that are not UTF-8 (a name from an old database, a
// path) are written as U+FFFD rather than aborting the report.
std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int fail(const std::string& kind, const std::string& message, int code) noexcept {
  try {
    std::cerr << dump(nlohmann::json{{"error", {{"kind", kind}, {"message", message}}}}) << std::endl;
  } catch (...) {  // out of memory: still say something
    std::fputs("{\"error\":{\"kind\":\"internal\",\"message\":\"cannot report the error\"}}\n", stderr);
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace boex::cli;
  CLI::App app{"boex: Bayesian optimisation and experiment design. Every command prints JSON."};
  app.require_subcommand(1);
  const std::vector<Command> commands = {
      create_command(app),    ask_command(app),       tell_command(app),   add_command(app),
      enqueue_command(app),   heartbeat_command(app), best_command(app),   recommend_command(app),
      trials_command(app),    studies_command(app),   fit_command(app),    copy_command(app),
      strategies_command(app), pareto_command(app),
      report_command(app),    candidates_command(app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --help-all
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail("usage", e.what(), 2);
  }
  try {
    for (const Command& command : commands) {
      if (!command.app->parsed()) continue;
      if (const Output out = command.run()) std::cout << dump(*out) << std::endl;
      return 0;
    }
    return fail("usage", "no subcommand", 2);
  } catch (const boex::Error& e) {
    return fail(e.kind(), e.what(), exit_code(e));
  } catch (const std::exception& e) {
    return fail("internal", e.what(), 1);
  }
}
