#include "fits/column_checks.h"

#include <cmath>

#include "core/errors.h"

namespace boex::fits {

void check_positive_finite(const std::vector<double>& values, const std::string& what) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]) || values[i] <= 0.0)
      throw InvalidArgument(what + " of row " + std::to_string(i) + " is " + std::to_string(values[i]) +
                            "; it must be positive and finite");
}

void check_equal_lengths(const std::vector<const std::vector<double>*>& columns, const std::string& what,
                         const std::string& names) {
  std::string sizes;
  bool equal = true;
  for (const auto* c : columns) {
    sizes += (sizes.empty() ? "" : ", ") + std::to_string(c->size());
    equal = equal && c->size() == columns.front()->size();
  }
  if (!equal) throw InvalidArgument(what + ": " + names + " have different lengths (" + sizes + ")");
}

}  // namespace boex::fits
