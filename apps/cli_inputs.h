// Reading the CLI's own inputs: JSON given inline or as a file path, parameter objects checked
// against a study's space. Every failure is an InvalidArgument that says which flag was wrong.
#pragma once

#include <string>
#include <vector>

#include "core/search_space.h"

namespace boex::cli {

// The contents of a file; InvalidArgument naming `what` when it cannot be read.
std::string read_text_file(const std::string& path, const std::string& what);
// Inline JSON ('{"parameters": ...}') or a path to a file holding it.
std::string json_argument(const std::string& text, const std::string& what);
// --params '{"name": value}' checked against the space.
Params params_argument(const std::string& text, const SearchSpace& space);
// The values of repeated --constraint flags, each a strict number (core/parse_number.h).
std::vector<double> constraint_arguments(const std::vector<std::string>& texts);

}  // namespace boex::cli
