// `boex fit`: fits a scaling law (Chinchilla loss law or Step Law hyperparameters) to a CSV file or
// to the trials of stored studies and prints parameters, intervals and predictions as JSON.
#pragma once

#include "apps/cli_command.h"

namespace boex::cli {

Command fit_command(CLI::App& parent);

}  // namespace boex::cli
