#include "apps/cli_inputs.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/parse_number.h"
#include "core/utf8.h"

namespace boex::cli {

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw InvalidArgument("cannot read the " + what + " file '" + printable(path) + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string json_argument(const std::string& text, const std::string& what) {
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '{' ? text : read_text_file(text, what);
}

Params params_argument(const std::string& text, const SearchSpace& space) {
  return params_from_json(parse_json(text, "--params"), space);
}

std::vector<double> constraint_arguments(const std::vector<std::string>& texts) {
  std::vector<double> out;
  for (const std::string& text : texts) out.push_back(parse_double(text, "--constraint"));
  return out;
}

}  // namespace boex::cli
