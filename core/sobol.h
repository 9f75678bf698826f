// Scrambled Sobol points in [0,1)^d: Boost's Sobol sequence (Joe-Kuo direction numbers) with an
// Owen-style nested uniform scramble per dimension (hash-based, Burley 2020), seeded.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

namespace boex {

// Rows are points. Point i of a (dimension, seed) sequence is always the same, so drawing
// points [start, start + n) continues an earlier draw exactly. The first 2^m points form a
// (t, m, d)-net: in every dimension each of the 2^m equal intervals holds exactly one point.
// Throws InvalidArgument for n < 0 or a dimension outside 1..sobol_max_dimension().
Eigen::MatrixXd sobol_points(int n, int dimension, std::uint64_t seed, std::uint64_t start = 0);

// The most dimensions the generator has direction numbers for (3667 with Boost's tables).
int sobol_max_dimension();

// Standard-normal quasi-random base samples (inverse CDF of scrambled Sobol), n x dimension;
// the fixed base samples of sample-average-approximation acquisitions and joint GP samples.
Eigen::MatrixXd sobol_normal(int n, int dimension, std::uint64_t seed);

}  // namespace boex
