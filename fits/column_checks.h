// Input checks shared by the fitters: every scale, hyperparameter and loss column must hold
// positive, finite numbers, and the columns of one data set must have one entry per run.
#pragma once

#include <string>
#include <vector>

namespace boex::fits {

// Throws InvalidArgument "<what> of row i is v; it must be positive and finite" for the first bad
// entry (what: e.g. "scaling data: N").
void check_positive_finite(const std::vector<double>& values, const std::string& what);

// Throws InvalidArgument "<what>: <names> have different lengths (...)" unless all sizes agree.
void check_equal_lengths(const std::vector<const std::vector<double>*>& columns, const std::string& what,
                         const std::string& names);

}  // namespace boex::fits
