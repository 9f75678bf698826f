#include "core/sites.h"

#include <cmath>

#include "core/errors.h"

namespace boex {
namespace {

// Why parameter p cannot be a site ("" when it can).
std::string not_a_site(const Parameter& p) {
  if (p.type == ParameterType::kFloat) return "parameter '" + p.name + "' is a float, not a finite choice";
  if (p.type == ParameterType::kInt && p.high - p.low + 1 > Sites::kMaxIntChoices)
    return "int parameter '" + p.name + "' has " + std::to_string(static_cast<long long>(p.high - p.low + 1)) +
           " values, more than " + std::to_string(Sites::kMaxIntChoices) + " a site may take";
  return "";
}

}  // namespace

std::vector<ColumnGroup> column_groups(const SearchSpace& space) {
  std::vector<ColumnGroup> groups;
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space.parameters()[i];
    const int offset = space.offset(i);
    switch (p.type) {
      case ParameterType::kFloat:
      case ParameterType::kInt:
        groups.push_back({offset, 1});
        break;
      case ParameterType::kCategorical:
        groups.push_back({offset, p.encoded_width()});
        break;
      case ParameterType::kSequence: {
        const int w = static_cast<int>(space.letter_codes(i).cols());
        for (int j = 0; j < p.length; ++j) groups.push_back({offset + j * w, w});
        break;
      }
    }
  }
  return groups;
}

bool Sites::combinatorial(const SearchSpace& space, std::string* why) {
  for (const Parameter& p : space.parameters()) {
    const std::string problem = not_a_site(p);
    if (problem.empty()) continue;
    if (why) *why = problem;
    return false;
  }
  return true;
}

Sites::Sites(const SearchSpace& space) : dimension_(space.dimension()) {
  std::string why;
  if (!combinatorial(space, &why)) throw InvalidArgument("not a combinatorial space: " + why);
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space.parameters()[i];
    const int offset = space.offset(i);
    if (p.type == ParameterType::kSequence) {
      const Eigen::MatrixXd& codes = space.letter_codes(i);
      for (int j = 0; j < p.length; ++j)
        sites_.push_back({static_cast<int>(i), j, offset + j * static_cast<int>(codes.cols()), codes});
      continue;
    }
    Site site{static_cast<int>(i), 0, offset, Eigen::MatrixXd()};
    if (p.type == ParameterType::kCategorical) {
      site.codes = Eigen::MatrixXd::Identity(p.encoded_width(), p.encoded_width());
    } else {
      // An int's column for each value, as the space encodes it (log scale included).
      Params reference = space.decode(Eigen::VectorXd::Zero(space.dimension()));
      const auto low = static_cast<std::int64_t>(p.low), count = static_cast<std::int64_t>(p.high - p.low + 1);
      site.codes.resize(count, 1);
      for (std::int64_t v = 0; v < count; ++v) {
        reference[p.name] = low + v;
        site.codes(v, 0) = space.encode(reference)(offset);
      }
    }
    sites_.push_back(std::move(site));
  }
}

int Sites::total_choices() const {
  int total = 1;
  for (const Site& s : sites_) total += s.num_choices();
  return total;
}

double Sites::log_size() const {
  double out = 0.0;
  for (const Site& s : sites_) out += std::log(static_cast<double>(s.num_choices()));
  return out;
}

std::vector<int> Sites::profile(const Eigen::VectorXd& x) const {
  if (x.size() != dimension_) throw InvalidArgument("Sites::profile: point has the wrong dimension");
  std::vector<int> out(sites_.size());
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    const Site& s = sites_[i];
    Eigen::Index k = 0;
    (s.codes.rowwise() - x.segment(s.offset, s.width()).transpose()).rowwise().squaredNorm().minCoeff(&k);
    out[i] = static_cast<int>(k);
  }
  return out;
}

Eigen::VectorXd Sites::point(const std::vector<int>& profile) const {
  if (profile.size() != sites_.size()) throw InvalidArgument("Sites::point: one choice per site needed");
  Eigen::VectorXd x = Eigen::VectorXd::Zero(dimension_);
  for (std::size_t i = 0; i < sites_.size(); ++i) assign(x, static_cast<int>(i), profile[i]);
  return x;
}

void Sites::assign(Eigen::VectorXd& x, int site, int choice) const {
  const Site& s = sites_[static_cast<std::size_t>(site)];
  x.segment(s.offset, s.width()) = s.codes.row(choice).transpose();
}

void Sites::assign(Eigen::MatrixXd& X, Eigen::Index row, int site, int choice) const {
  const Site& s = sites_[static_cast<std::size_t>(site)];
  X.row(row).segment(s.offset, s.width()) = s.codes.row(choice);
}

}  // namespace boex
