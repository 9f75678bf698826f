// Reading the CLI's own inputs: JSON given inline or as a file path, parameter objects checked
// against a study's space. Every failure is an InvalidArgument that says which flag was wrong.
#pragma once

#include <nlohmann/json.hpp>
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
// Points from CSV text: a header line naming every parameter of the space (any order, no others),
// then one point per line, each value typed by its parameter (numbers for float/int, the text of
// a categorical choice or a sequence). Fields may be double-quoted ("" is a quote inside); blank
// lines are skipped. InvalidArgument naming `where` and the line.
std::vector<Params> params_from_csv(const std::string& text, const SearchSpace& space, const std::string& where);
// Replaces every sequence embedding given as {"csv": "letters.csv"} in a space JSON document by
// the table read from that file (SiteEmbedding::table_from_csv's format); relative paths are
// relative to `base_directory`. The stored space then holds the table itself, so the study does
// not depend on the file later.
void read_embedding_files(nlohmann::json& space, const std::string& base_directory);
// The directory relative paths inside a JSON argument refer to: the file's own directory when
// `text` names a file, else the working directory (".").
std::string json_argument_directory(const std::string& text);

// The values of repeated --constraint flags, each a strict number (core/parse_number.h).
std::vector<double> constraint_arguments(const std::vector<std::string>& texts);

}  // namespace boex::cli
