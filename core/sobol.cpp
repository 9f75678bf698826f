#include "core/sobol.h"

#include <boost/random/sobol.hpp>

#include "core/errors.h"
#include "core/normal.h"
#include "core/rng.h"

namespace boex {
namespace {

std::uint32_t reverse_bits(std::uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
  x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
  return (x >> 16) | (x << 16);
}

// A permutation of 32-bit integers in which each bit depends only on the bits below it; applied
// to the bit-reversed coordinate it permutes every dyadic sub-interval independently (Owen).
std::uint32_t laine_karras(std::uint32_t x, std::uint32_t seed) {
  x += seed;
  x ^= x * 0x6c50b47cu;
  x ^= x * 0xb82f1e52u;
  x ^= x * 0xc7afe638u;
  x ^= x * 0x8d22f6e6u;
  return x;
}

std::uint32_t owen_scramble(std::uint32_t x, std::uint32_t seed) {
  return reverse_bits(laine_karras(reverse_bits(x), seed));
}

}  // namespace

int sobol_max_dimension() { return BOOST_RANDOM_SOBOL_MAX_DIMENSION; }

Eigen::MatrixXd sobol_points(int n, int dimension, std::uint64_t seed, std::uint64_t start) {
  if (n < 0 || dimension < 1 || dimension > sobol_max_dimension())
    throw InvalidArgument("sobol_points: need n >= 0 and dimension in 1.." + std::to_string(sobol_max_dimension()) +
                          ", got n = " + std::to_string(n) + ", dimension = " + std::to_string(dimension));
  Eigen::MatrixXd points(n, dimension);
  if (n == 0) return points;
  boost::random::sobol_engine<std::uint32_t, 32> engine(static_cast<unsigned>(dimension));
  // Boost's engine starts after the all-zero point; index 0 is that point.
  std::vector<std::uint32_t> seeds(dimension);
  for (int j = 0; j < dimension; ++j) seeds[j] = static_cast<std::uint32_t>(mix_seed(seed, j + 1));
  std::uint64_t first_from_engine = start;
  int row = 0;
  if (start == 0) {
    for (int j = 0; j < dimension; ++j)
      points(0, j) = (static_cast<double>(owen_scramble(0u, seeds[j])) + 0.5) * 0x1.0p-32;
    row = 1;
  } else {
    first_from_engine = start - 1;
  }
  if (first_from_engine > 0) engine.discard(first_from_engine * static_cast<std::uint64_t>(dimension));
  for (; row < n; ++row)
    for (int j = 0; j < dimension; ++j)
      points(row, j) = (static_cast<double>(owen_scramble(engine(), seeds[j])) + 0.5) * 0x1.0p-32;
  return points;
}

Eigen::MatrixXd sobol_normal(int n, int dimension, std::uint64_t seed) {
  Eigen::MatrixXd u = sobol_points(n, dimension, seed);
  return u.unaryExpr([](double p) { return normal::quantile(p); });
}

}  // namespace boex
