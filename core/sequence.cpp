#include "core/sequence.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <sstream>

#include "core/errors.h"

namespace boex {
namespace {

// BLOSUM62 in NCBI's row and column order (ARNDCQEGHILKMFPSTWYV), half-bit units; see blosum62().
constexpr const char* kBlosumOrder = "ARNDCQEGHILKMFPSTWYV";
constexpr int kBlosum62[20][20] = {
    {4, -1, -2, -2, 0, -1, -1, 0, -2, -1, -1, -1, -1, -2, -1, 1, 0, -3, -2, 0},
    {-1, 5, 0, -2, -3, 1, 0, -2, 0, -3, -2, 2, -1, -3, -2, -1, -1, -3, -2, -3},
    {-2, 0, 6, 1, -3, 0, 0, 0, 1, -3, -3, 0, -2, -3, -2, 1, 0, -4, -2, -3},
    {-2, -2, 1, 6, -3, 0, 2, -1, -1, -3, -4, -1, -3, -3, -1, 0, -1, -4, -3, -3},
    {0, -3, -3, -3, 9, -3, -4, -3, -3, -1, -1, -3, -1, -2, -3, -1, -1, -2, -2, -1},
    {-1, 1, 0, 0, -3, 5, 2, -2, 0, -3, -2, 1, 0, -3, -1, 0, -1, -2, -1, -2},
    {-1, 0, 0, 2, -4, 2, 5, -2, 0, -3, -3, 1, -2, -3, -1, 0, -1, -3, -2, -2},
    {0, -2, 0, -1, -3, -2, -2, 6, -2, -4, -4, -2, -3, -3, -2, 0, -2, -2, -3, -3},
    {-2, 0, 1, -1, -3, 0, 0, -2, 8, -3, -3, -1, -2, -1, -2, -1, -2, -2, 2, -3},
    {-1, -3, -3, -3, -1, -3, -3, -4, -3, 4, 2, -3, 1, 0, -3, -2, -1, -3, -1, 3},
    {-1, -2, -3, -4, -1, -2, -3, -4, -3, 2, 4, -2, 2, 0, -3, -2, -1, -2, -1, 1},
    {-1, 2, 0, -1, -3, 1, 1, -2, -1, -3, -2, 5, -1, -3, -1, 0, -1, -3, -2, -2},
    {-1, -1, -2, -3, -1, 0, -2, -3, -2, 1, 2, -1, 5, 0, -2, -1, -1, -1, -1, 1},
    {-2, -3, -3, -3, -2, -3, -3, -3, -1, 0, 0, -3, 0, 6, -4, -2, -2, 1, 3, -1},
    {-1, -2, -2, -1, -3, -1, -1, -2, -2, -3, -3, -1, -2, -4, 7, -1, -1, -4, -3, -2},
    {1, -1, 1, 0, -1, 0, 0, 0, -1, -2, -2, 0, -1, -2, -1, 4, 1, -3, -2, -2},
    {0, -1, 0, -1, -1, -1, -1, -2, -2, -1, -1, -1, -1, -2, -1, 1, 5, -2, -2, 0},
    {-3, -3, -4, -4, -2, -2, -3, -2, -2, -3, -2, -3, -1, 1, -4, -3, -2, 11, 2, -3},
    {-2, -2, -2, -3, -2, -1, -2, -3, 2, -1, -1, -2, -1, 3, -3, -2, -2, 2, 7, -1},
    {0, -3, -3, -3, -1, -2, -2, -3, -3, 3, 1, -2, 1, -1, -2, -2, 0, -3, -1, 4},
};

std::string quoted(char c) { return std::string("'") + c + "'"; }

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

void validate_alphabet(const std::string& alphabet, const std::string& where) {
  if (alphabet.size() < 2) throw InvalidArgument(where + ": the alphabet needs at least two letters");
  std::set<char> seen;
  for (char c : alphabet) {
    if (!std::isgraph(static_cast<unsigned char>(c)) || c == ',')
      throw InvalidArgument(where + ": alphabet letters must be printable characters other than space and comma");
    if (!seen.insert(c).second) throw InvalidArgument(where + ": the alphabet lists " + quoted(c) + " twice");
  }
}

SiteEmbedding SiteEmbedding::one_hot() { return SiteEmbedding(); }

SiteEmbedding SiteEmbedding::blosum62() {
  SiteEmbedding e;
  e.name_ = "blosum62";
  return e;
}

SiteEmbedding SiteEmbedding::table(std::map<char, std::vector<double>> rows) {
  if (rows.empty()) throw InvalidArgument("embedding table: needs a row per letter");
  const std::size_t width = rows.begin()->second.size();
  for (const auto& [letter, features] : rows) {
    if (features.empty() || features.size() != width)
      throw InvalidArgument("embedding table: every letter needs the same number (>= 1) of features; " + quoted(letter) +
                            " has " + std::to_string(features.size()) + ", " + quoted(rows.begin()->first) + " has " +
                            std::to_string(width));
    for (double f : features)
      if (!std::isfinite(f)) throw InvalidArgument("embedding table: the features of " + quoted(letter) + " must be finite");
  }
  SiteEmbedding e;
  e.name_ = "table";
  e.rows_ = std::move(rows);
  return e;
}

SiteEmbedding SiteEmbedding::table_from_csv(const std::string& text) {
  std::map<char, std::vector<double>> rows;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  bool first = true;
  while (std::getline(lines, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, ',');) fields.push_back(trim(field));
    const bool header = first && fields[0].size() != 1;
    first = false;
    if (header) continue;
    const std::string where = "embedding CSV line " + std::to_string(number);
    if (fields[0].size() != 1) throw InvalidArgument(where + ": the first field must be one letter, got '" + fields[0] + "'");
    if (fields.size() < 2) throw InvalidArgument(where + ": needs the letter and at least one feature");
    std::vector<double> features;
    for (std::size_t i = 1; i < fields.size(); ++i) {
      std::size_t used = 0;
      double v = NAN;
      try {
        v = std::stod(fields[i], &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != fields[i].size())
        throw InvalidArgument(where + ": feature " + std::to_string(i) + " ('" + fields[i] + "') is not a number");
      features.push_back(v);
    }
    if (!rows.emplace(fields[0][0], std::move(features)).second)
      throw InvalidArgument(where + ": letter '" + fields[0] + "' appears twice");
  }
  return table(std::move(rows));
}

SiteEmbedding SiteEmbedding::named(const std::string& name) {
  if (name == "onehot") return one_hot();
  if (name == "blosum62") return blosum62();
  throw InvalidArgument("unknown embedding '" + name + "' (known: onehot, blosum62, or a table of features per letter)");
}

Eigen::MatrixXd SiteEmbedding::codes(const std::string& alphabet) const {
  const Eigen::Index k = static_cast<Eigen::Index>(alphabet.size());
  if (name_ == "onehot") return Eigen::MatrixXd::Identity(k, k);
  Eigen::MatrixXd raw;
  if (name_ == "blosum62") {
    raw.resize(k, 20);
    const std::string order = kBlosumOrder;
    for (Eigen::Index i = 0; i < k; ++i) {
      const auto row = order.find(alphabet[i]);
      if (row == std::string::npos)
        throw InvalidArgument("embedding 'blosum62' knows the 20 standard amino acids (" + std::string(kAminoAcids) +
                              "), not " + quoted(alphabet[i]));
      for (int j = 0; j < 20; ++j) raw(i, j) = kBlosum62[row][j];
    }
  } else {
    raw.resize(k, static_cast<Eigen::Index>(rows_.begin()->second.size()));
    for (Eigen::Index i = 0; i < k; ++i) {
      auto it = rows_.find(alphabet[i]);
      if (it == rows_.end()) throw InvalidArgument("embedding table has no features for letter " + quoted(alphabet[i]));
      raw.row(i) = Eigen::Map<const Eigen::RowVectorXd>(it->second.data(), raw.cols());
    }
  }
  // Min-max scale each feature over the alphabet; a feature constant over it tells no letters apart.
  std::vector<Eigen::Index> kept;
  for (Eigen::Index j = 0; j < raw.cols(); ++j)
    if (raw.col(j).maxCoeff() > raw.col(j).minCoeff()) kept.push_back(j);
  Eigen::MatrixXd out(k, static_cast<Eigen::Index>(kept.size()));
  for (std::size_t c = 0; c < kept.size(); ++c) {
    const auto col = raw.col(kept[c]);
    out.col(static_cast<Eigen::Index>(c)) = (col.array() - col.minCoeff()) / (col.maxCoeff() - col.minCoeff());
  }
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < i; ++j)
      if (out.row(i) == out.row(j))
        throw InvalidArgument("embedding '" + name_ + "' encodes letters " + quoted(alphabet[j]) + " and " +
                              quoted(alphabet[i]) + " alike, so they could not be told apart");
  return out;
}

std::string sequence_problem(const std::string& value, int length, const std::string& alphabet) {
  if (static_cast<int>(value.size()) != length)
    return "'" + value + "' has " + std::to_string(value.size()) + " letters, the sequence has " + std::to_string(length) +
           " sites";
  for (std::size_t i = 0; i < value.size(); ++i)
    if (alphabet.find(value[i]) == std::string::npos)
      return "'" + value + "' has " + quoted(value[i]) + " at site " + std::to_string(i + 1) + ", which is not in the alphabet " +
             alphabet;
  return "";
}

}  // namespace boex
