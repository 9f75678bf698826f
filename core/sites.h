// The finite-choice coordinates of a search space, "sites": a categorical parameter, an int
// parameter, or one position of a sequence. Combinatorial optimisers (GameOpt) make each site a
// player choosing among its values; kernels for categorical inputs weigh each site's columns as one.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "core/search_space.h"

namespace boex {

// Encoded columns [offset, offset + width) that describe one coordinate together: a site's block
// (one-hot, or a sequence site's embedding) or a single float or int column.
struct ColumnGroup {
  int offset = 0;
  int width = 1;
  bool operator==(const ColumnGroup& other) const { return offset == other.offset && width == other.width; }
};

// Every column of `space` in exactly one group, in column order: a group per categorical parameter
// and per sequence site, one per float or int column.
std::vector<ColumnGroup> column_groups(const SearchSpace& space);

struct Site {
  int parameter = 0;      // index into SearchSpace::parameters()
  int position = 0;       // the site's position within a sequence parameter (0 otherwise)
  int offset = 0;         // first encoded column
  Eigen::MatrixXd codes;  // a row per choice: the site's encoded columns when it takes that choice

  int num_choices() const { return static_cast<int>(codes.rows()); }
  int width() const { return static_cast<int>(codes.cols()); }
};

// A space every parameter of which is a finite choice, as a product of sites: points <-> one choice
// index per site (a "profile").
class Sites {
 public:
  // Int parameters with more values than this are too wide to be one player's actions.
  static constexpr int kMaxIntChoices = 1024;

  // Throws InvalidArgument naming the first parameter that is a float or an int wider than
  // kMaxIntChoices (see combinatorial()).
  explicit Sites(const SearchSpace& space);
  // Whether Sites(space) succeeds; otherwise `why` (when non-null) says which parameter is not a
  // finite choice.
  static bool combinatorial(const SearchSpace& space, std::string* why = nullptr);

  int size() const { return static_cast<int>(sites_.size()); }
  const Site& operator[](int i) const { return sites_[static_cast<std::size_t>(i)]; }
  int dimension() const { return dimension_; }
  // The sum over sites of their choices: the unilateral deviations of one profile, plus one.
  int total_choices() const;
  // ln of the number of points of the space.
  double log_size() const;

  // The choice of every site at an encodable point (its nearest code).
  std::vector<int> profile(const Eigen::VectorXd& x) const;
  Eigen::VectorXd point(const std::vector<int>& profile) const;
  // Writes choice `choice` into site `site`'s columns of x.
  void assign(Eigen::VectorXd& x, int site, int choice) const;
  // Writes the same into row `row` of X.
  void assign(Eigen::MatrixXd& X, Eigen::Index row, int site, int choice) const;

 private:
  std::vector<Site> sites_;
  int dimension_ = 0;
};

}  // namespace boex
