// Fitness landscapes over fixed-length variants (protein sequences and the like) as test problems:
// a measured `variant,fitness` table (e.g. GB1, data/landscapes/) or a seeded NK landscape.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/problems.h"

namespace boex {

struct Landscape {
  std::map<std::string, double> fitness;  // variant -> fitness (maximised)
  std::string alphabet;                   // every letter seen, sorted
  int length = 0;                         // sites per variant

  // A `variant,fitness` CSV (an optional header line starting with "variant"; blank lines skipped).
  // Every variant must have the same length. InvalidArgument naming the file and line otherwise.
  static Landscape from_csv(const std::string& text, const std::string& where);
  static Landscape from_csv_file(const std::string& path);
  // Kauffman's NK model (Kauffman and Weinberger, J. Theor. Biol. 141:211, 1989): site i adds a
  // uniform(0, 1) value drawn for each combination of its letter and those of the k sites after it
  // (cyclically); fitness is their mean. k = 0 is additive, k = sites - 1 fully rugged. Every
  // variant is tabulated, so sites * log(letters) is kept to a million variants.
  static Landscape nk(int sites, const std::string& alphabet, int k, std::uint64_t seed);

  double maximum() const;
  // The n fittest variants, best first (ties by variant).
  std::vector<std::string> top(std::size_t n) const;
};

// The landscape as a minimisation problem over one sequence parameter "variant": the value is
// -fitness and a variant absent from the table evaluates to NaN (told as failed, like a synthesis
// that did not work).
Problem landscape_problem(const std::string& name, const Landscape& landscape);

// "landscape:FILE.csv" (a measured table) and "NK{sites}" (sites over ACGT, k = 2, seed 0) name
// landscape problems; make_problem dispatches them here.
bool is_landscape_name(const std::string& name);
Problem make_landscape_problem(const std::string& name);

}  // namespace boex
