#include "fits/csv_columns.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/errors.h"

namespace boex::fits {
namespace {

std::vector<std::string> split_fields(const std::string& line, int line_number) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) throw InvalidArgument("CSV line " + std::to_string(line_number) + " has an unterminated quote");
  return fields;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::vector<std::vector<double>> csv_columns(const std::string& text, const std::vector<std::string>& columns) {
  if (columns.empty()) throw InvalidArgument("csv_columns: no column requested");
  std::istringstream in(text);
  std::string line;
  int line_number = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(in, line)) {
    ++line_number;
    if (!trimmed(line).empty()) header = split_fields(line, line_number);
  }
  if (header.empty()) throw InvalidArgument("the CSV has no header line");
  std::vector<std::size_t> where;
  for (const auto& name : columns) {
    std::size_t k = 0;
    while (k < header.size() && trimmed(header[k]) != name) ++k;
    if (k == header.size()) throw InvalidArgument("the CSV has no column '" + name + "'");
    where.push_back(k);
  }
  std::vector<std::vector<double>> out(columns.size());
  while (std::getline(in, line)) {
    ++line_number;
    if (trimmed(line).empty()) continue;
    const auto fields = split_fields(line, line_number);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string where_text = "column '" + columns[c] + "', CSV line " + std::to_string(line_number);
      if (where[c] >= fields.size()) throw InvalidArgument(where_text + ": the row is too short");
      const std::string field = trimmed(fields[where[c]]);
      std::size_t used = 0;
      double value = std::nan("");
      try {
        value = std::stod(field, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (field.empty() || used != field.size() || !std::isfinite(value))
        throw InvalidArgument(where_text + ": '" + field + "' is not a finite number");
      out[c].push_back(value);
    }
  }
  return out;
}

std::vector<std::vector<double>> csv_file_columns(const std::string& path, const std::vector<std::string>& columns) {
  std::ifstream in(path);
  if (!in) throw InvalidArgument("cannot read the CSV file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return csv_columns(ss.str(), columns);
}

}  // namespace boex::fits
