// Numeric columns of a CSV file, picked by header name: how scaling-law data measured outside boex
// (Epoch's Chinchilla points, Step Law's training runs, a lab's own sheet) reach the fitters.
#pragma once

#include <string>
#include <vector>

namespace boex::fits {

// Reads `columns` (header names, case-sensitive) from CSV text with a header line. Fields are
// separated by commas; a field may be double-quoted ("" inside is a quote). Other columns may hold
// anything. Throws InvalidArgument naming the column and line for a missing column, a short row or
// a requested field that is not a finite number. Result: one vector per requested column.
std::vector<std::vector<double>> csv_columns(const std::string& text, const std::vector<std::string>& columns);
// The same from a file; throws InvalidArgument when it cannot be read.
std::vector<std::vector<double>> csv_file_columns(const std::string& path, const std::vector<std::string>& columns);

}  // namespace boex::fits
