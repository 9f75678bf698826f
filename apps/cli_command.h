// How a boex subcommand plugs into the CLI: a function declares the subcommand's options on a
// CLI11 parent and returns what runs once they are parsed. A new subcommand is one such function
// (in its own file or a related one) plus one line in boex_main.cpp's list.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace boex::cli {

// The JSON object to print on stdout, or nullopt when the command wrote its own output (CSV).
using Output = std::optional<nlohmann::json>;

struct Command {
  CLI::App* app = nullptr;    // the parsed subcommand
  std::function<Output()> run;
};

// --storage and --study, which most subcommands take.
struct StudyArguments {
  std::string storage;
  std::string study;
};
void add_study_arguments(CLI::App* command, StudyArguments& arguments);

// The study subcommands (study_commands.cpp), in the order of `boex --help`.
Command create_command(CLI::App& parent);
Command ask_command(CLI::App& parent);
Command tell_command(CLI::App& parent);
Command add_command(CLI::App& parent);
Command enqueue_command(CLI::App& parent);
Command heartbeat_command(CLI::App& parent);
Command best_command(CLI::App& parent);
Command recommend_command(CLI::App& parent);
Command trials_command(CLI::App& parent);
Command pareto_command(CLI::App& parent);
Command studies_command(CLI::App& parent);
Command copy_command(CLI::App& parent);        // copy_command.cpp
Command strategies_command(CLI::App& parent);  // strategies_command.cpp
Command report_command(CLI::App& parent);      // report_command.cpp
Command candidates_command(CLI::App& parent);  // candidates_command.cpp

}  // namespace boex::cli
