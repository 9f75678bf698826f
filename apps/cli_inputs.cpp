#include "apps/cli_inputs.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/errors.h"
#include "core/json_io.h"

namespace boex::cli {

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw InvalidArgument("cannot read the " + what + " file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string json_argument(const std::string& text, const std::string& what) {
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '{' ? text : read_text_file(text, what);
}

Params params_argument(const std::string& text, const SearchSpace& space) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InvalidArgument(std::string("--params is not valid JSON: ") + e.what());
  }
  return params_from_json(doc, space);
}

}  // namespace boex::cli
