#include "apps/cli_inputs.h"

#include <algorithm>
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

namespace {

// One CSV line's fields; quotes as RFC 4180 (a quoted field may hold commas and "" for a quote).
std::vector<std::string> csv_fields(const std::string& line, const std::string& where) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"' && (quoted || out.back().empty())) {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  if (quoted) throw InvalidArgument(where + ": a quoted field is not closed");
  return out;
}

}  // namespace

std::vector<Params> params_from_csv(const std::string& text, const SearchSpace& space, const std::string& where) {
  std::istringstream in(text);
  std::string line;
  std::vector<int> column_parameter;  // header column -> index into space.parameters()
  std::vector<Params> out;
  for (int row = 1; std::getline(in, line); ++row) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string at = where + " line " + std::to_string(row);
    const std::vector<std::string> fields = csv_fields(line, at);
    if (column_parameter.empty()) {
      for (const std::string& name : fields) {
        int index = -1;
        for (std::size_t p = 0; p < space.parameters().size(); ++p)
          if (space.parameters()[p].name == name) index = static_cast<int>(p);
        if (index < 0) throw InvalidArgument(at + ": the header names '" + printable(name) + "', not a parameter of the study");
        if (std::find(column_parameter.begin(), column_parameter.end(), index) != column_parameter.end())
          throw InvalidArgument(at + ": the header names '" + name + "' twice");
        column_parameter.push_back(index);
      }
      if (column_parameter.size() != space.parameters().size())
        throw InvalidArgument(at + ": the header must name every parameter of the study (" + std::to_string(space.parameters().size()) +
                              "), it names " + std::to_string(column_parameter.size()));
      continue;
    }
    if (fields.size() != column_parameter.size())
      throw InvalidArgument(at + " has " + std::to_string(fields.size()) + " fields, the header " +
                            std::to_string(column_parameter.size()));
    Params point;
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const Parameter& p = space.parameters()[static_cast<std::size_t>(column_parameter[c])];
      const std::string what = at + " '" + p.name + "'";
      if (p.type == ParameterType::kFloat) point[p.name] = parse_double(fields[c], what);
      else if (p.type == ParameterType::kInt) point[p.name] = parse_int64(fields[c], what);
      else point[p.name] = fields[c];
    }
    try {
      space.validate(point);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(at + ": " + e.what());
    }
    out.push_back(std::move(point));
  }
  if (column_parameter.empty()) throw InvalidArgument(where + ": no header line");
  return out;
}

void read_embedding_files(nlohmann::json& space, const std::string& base_directory) {
  auto parameters = space.find("parameters");
  if (parameters == space.end() || !parameters->is_array()) return;  // space_from_json says what is wrong
  for (nlohmann::json& p : *parameters) {
    if (!p.is_object()) continue;
    auto embedding = p.find("embedding");
    if (embedding == p.end() || !embedding->is_object() || !embedding->contains("csv")) continue;
    const nlohmann::json& file = (*embedding)["csv"];
    if (!file.is_string() || embedding->size() != 1)
      throw InvalidArgument("space: an embedding file is given as {\"csv\": \"path/to/letters.csv\"}");
    std::string path = file.get<std::string>();
    if (!path.empty() && path.front() != '/') path = base_directory + "/" + path;
    const SiteEmbedding table = SiteEmbedding::table_from_csv(read_text_file(path, "embedding"));
    nlohmann::json rows = nlohmann::json::object();
    for (const auto& [letter, features] : table.rows()) rows[std::string(1, letter)] = features;
    *embedding = {{"table", rows}};
  }
}

std::string json_argument_directory(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] == '{') return ".";
  const auto slash = text.find_last_of('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : text.substr(0, slash);
}

std::vector<double> constraint_arguments(const std::vector<std::string>& texts) {
  std::vector<double> out;
  for (const std::string& text : texts) out.push_back(parse_double(text, "--constraint"));
  return out;
}

}  // namespace boex::cli
