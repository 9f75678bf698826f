// Sequence parameters (a protein's N mutated sites over the 20 amino acids, a DNA stretch over ACGT):
// their alphabet of one-character letters and the site embedding that encodes each letter as columns.
#pragma once

#include <Eigen/Dense>
#include <map>
#include <string>
#include <vector>

namespace boex {

// The 20 standard amino acids by one-letter code, in alphabetical order (the default alphabet).
inline constexpr const char* kAminoAcids = "ACDEFGHIKLMNPQRSTVWY";

// Throws InvalidArgument (prefixed by `where`) unless `alphabet` holds at least two distinct
// printable, non-space, non-comma characters.
void validate_alphabet(const std::string& alphabet, const std::string& where);

// How one site's letter becomes encoded columns: one-hot (the default; letters are unrelated), the
// letter's row of the BLOSUM62 substitution matrix (amino acids only; substitutable letters get
// similar columns), or a user's table of features per letter. Every feature is min-max scaled to
// [0, 1] over the alphabet, and features constant over it are dropped, so the models see columns
// of the unit cube whatever the table's units.
class SiteEmbedding {
 public:
  SiteEmbedding() = default;  // one-hot
  static SiteEmbedding one_hot();
  // BLOSUM62 (Henikoff and Henikoff, PNAS 89:10915, 1992) as NCBI distributes it
  // (ftp.ncbi.nih.gov/blast/matrices/BLOSUM62, a US government work in the public domain): each
  // amino acid is described by its 20 substitution scores against the standard amino acids.
  static SiteEmbedding blosum62();
  // Letter -> features; every row must have the same number (>= 1) of finite values.
  static SiteEmbedding table(std::map<char, std::vector<double>> rows);
  // A table from CSV text, one line per letter: "A,1.8,-0.3,...". A first line whose first field
  // is not a single character is a header and skipped; blank lines and lines starting with '#' too.
  static SiteEmbedding table_from_csv(const std::string& text);
  // "onehot" or "blosum62"; InvalidArgument listing the names otherwise.
  static SiteEmbedding named(const std::string& name);

  // "onehot", "blosum62" or "table".
  const std::string& name() const { return name_; }
  // A table's rows (empty for the built-in embeddings).
  const std::map<char, std::vector<double>>& rows() const { return rows_; }

  // The encoded columns of every letter of `alphabet`, in its order (letters x width, entries in
  // [0, 1]). InvalidArgument when a letter has no features, or when two letters encode alike
  // (they could not be told apart).
  Eigen::MatrixXd codes(const std::string& alphabet) const;

  bool operator==(const SiteEmbedding& other) const { return name_ == other.name_ && rows_ == other.rows_; }

 private:
  std::string name_ = "onehot";
  std::map<char, std::vector<double>> rows_;
};

// Why `value` is not a sequence of `length` letters of `alphabet` ("" when it is one), for the
// messages of SearchSpace::validate.
std::string sequence_problem(const std::string& value, int length, const std::string& alphabet);

}  // namespace boex
