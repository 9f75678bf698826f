#include "fits/scaling_csv.h"

#include "fits/csv_columns.h"

namespace boex::fits {

ChinchillaData chinchilla_data_from_csv(const std::string& path, const ChinchillaColumns& columns) {
  auto c = csv_file_columns(path, {columns.N, columns.D, columns.loss});
  ChinchillaData data{std::move(c[0]), std::move(c[1]), std::move(c[2])};
  if (columns.d_is_flops) data.convert_flops_to_tokens();
  return data;
}

StepLawData step_law_data_from_csv(const std::string& path, const StepLawColumns& columns) {
  auto c = csv_file_columns(path, {columns.N, columns.D, columns.lr, columns.batch, columns.loss});
  return {std::move(c[0]), std::move(c[1]), std::move(c[2]), std::move(c[3]), std::move(c[4])};
}

}  // namespace boex::fits
