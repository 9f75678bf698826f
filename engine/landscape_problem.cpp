#include "engine/landscape_problem.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/errors.h"
#include "core/parse_number.h"
#include "core/rng.h"

namespace boex {

Landscape Landscape::from_csv(const std::string& text, const std::string& where) {
  Landscape out;
  std::istringstream in(text);
  std::set<char> letters;
  std::string line;
  for (int row = 1; std::getline(in, line); ++row) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || (out.fitness.empty() && line.rfind("variant", 0) == 0)) continue;
    const std::string at = where + ": line " + std::to_string(row);
    const auto comma = line.find(',');
    if (comma == std::string::npos || comma == 0) throw InvalidArgument(at + " is not 'variant,fitness'");
    const std::string variant = line.substr(0, comma);
    if (out.length == 0) out.length = static_cast<int>(variant.size());
    if (static_cast<int>(variant.size()) != out.length)
      throw InvalidArgument(at + ": variant '" + variant + "' has " + std::to_string(variant.size()) + " sites, the first had " +
                            std::to_string(out.length));
    const double f = parse_double(line.substr(comma + 1), at + " fitness");
    if (!std::isfinite(f)) throw InvalidArgument(at + ": the fitness must be finite");
    if (!out.fitness.emplace(variant, f).second) throw InvalidArgument(at + ": variant '" + variant + "' appears twice");
    letters.insert(variant.begin(), variant.end());
  }
  if (out.fitness.empty()) throw InvalidArgument(where + ": no variants");
  out.alphabet.assign(letters.begin(), letters.end());
  return out;
}

Landscape Landscape::from_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidArgument("cannot read the landscape '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return from_csv(text.str(), path);
}

Landscape Landscape::nk(int sites, const std::string& alphabet, int k, std::uint64_t seed) {
  const std::size_t a = alphabet.size();
  if (sites < 1 || a < 2 || k < 0 || k >= sites)
    throw InvalidArgument("NK landscape: need sites >= 1, at least 2 letters and 0 <= k < sites");
  if (sites * std::log(static_cast<double>(a)) > std::log(1e6))
    throw InvalidArgument("NK landscape: " + std::to_string(a) + "^" + std::to_string(sites) + " variants is beyond a million");
  std::size_t table = 1;
  for (int j = 0; j <= k; ++j) table *= a;
  Rng rng(mix_seed(seed, 0x4e4b));
  std::vector<std::vector<double>> contribution(static_cast<std::size_t>(sites), std::vector<double>(table));
  for (auto& site : contribution)
    for (double& v : site) v = rng.uniform();
  Landscape out;
  out.alphabet = alphabet;
  std::sort(out.alphabet.begin(), out.alphabet.end());
  out.length = sites;
  std::vector<std::size_t> code(static_cast<std::size_t>(sites), 0);  // letter indices, an odometer
  std::string variant(static_cast<std::size_t>(sites), out.alphabet[0]);
  for (bool more = true; more;) {
    double sum = 0.0;
    for (int i = 0; i < sites; ++i) {
      std::size_t index = 0;
      for (int j = 0; j <= k; ++j) index = index * a + code[static_cast<std::size_t>((i + j) % sites)];
      sum += contribution[static_cast<std::size_t>(i)][index];
    }
    out.fitness.emplace(variant, sum / sites);
    more = false;
    for (int i = sites - 1; i >= 0 && !more; --i) {
      auto& c = code[static_cast<std::size_t>(i)];
      c = (c + 1) % a;
      variant[static_cast<std::size_t>(i)] = out.alphabet[c];
      more = c != 0;
    }
  }
  return out;
}

double Landscape::maximum() const {
  double best = -INFINITY;
  for (const auto& [variant, f] : fitness) best = std::max(best, f);
  return best;
}

std::vector<std::string> Landscape::top(std::size_t n) const {
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [variant, f] : fitness) ranked.push_back({-f, variant});
  n = std::min(n, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(ranked[i].second);
  return out;
}

Problem landscape_problem(const std::string& name, const Landscape& landscape) {
  Problem p;
  p.name = name;
  p.space = SearchSpace({Parameter::Sequence("variant", landscape.length, landscape.alphabet)});
  p.optimal_value = -landscape.maximum();
  auto table = std::make_shared<const std::map<std::string, double>>(landscape.fitness);
  p.evaluate_params = [table](const Params& params) {
    const auto it = table->find(std::get<std::string>(params.at("variant")));
    return Evaluation{it == table->end() ? NAN : -it->second, {}};
  };
  return p;
}

bool is_landscape_name(const std::string& name) {
  static const std::regex nk("NK[0-9]+");
  return name.rfind("landscape:", 0) == 0 || std::regex_match(name, nk);
}

Problem make_landscape_problem(const std::string& name) {
  if (name.rfind("landscape:", 0) == 0) return landscape_problem(name, Landscape::from_csv_file(name.substr(10)));
  if (!is_landscape_name(name)) throw NotFound("'" + name + "' is not a landscape problem (landscape:FILE.csv or NK{sites})");
  return landscape_problem(name, Landscape::nk(parse_int(name.substr(2), "NK sites"), "ACGT", 2, 0));
}

}  // namespace boex
