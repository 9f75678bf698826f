#include "engine/problems.h"

#include <cmath>
#include <map>
#include <numeric>
#include <regex>

#include "core/errors.h"
#include "core/registry.h"
#include "engine/input_constrained_problems.h"
#include "engine/landscape_problem.h"

namespace boex {
namespace {

using Vec = std::vector<double>;

SearchSpace box(const std::vector<std::pair<double, double>>& bounds) {
  std::vector<Parameter> params;
  for (std::size_t i = 0; i < bounds.size(); ++i)
    params.push_back(Parameter::Float("x" + std::to_string(i + 1), bounds[i].first, bounds[i].second));
  return SearchSpace(params);
}

SearchSpace cube(int d, double lo, double hi) { return box(std::vector<std::pair<double, double>>(d, {lo, hi})); }

Problem unconstrained(std::string name, SearchSpace space, double opt, std::vector<Vec> optimizers,
                      std::function<double(const Vec&)> f) {
  Problem p;
  p.name = std::move(name);
  p.space = std::move(space);
  p.optimal_value = opt;
  p.optimizers = std::move(optimizers);
  p.function = [f](const Vec& x) { return Evaluation{f(x), {}}; };
  return p;
}

// Branin with its quadratic coefficient lowered by `shift` (0: the classic function).
double shifted_branin(const Vec& x, double shift) {
  const double b = 5.1 / (4 * M_PI * M_PI) - shift, c = 5 / M_PI, t = 1 / (8 * M_PI);
  const double a = x[1] - b * x[0] * x[0] + c * x[0] - 6;
  return a * a + 10 * (1 - t) * std::cos(x[0]) + 10;
}

double branin(const Vec& x) { return shifted_branin(x, 0.0); }

// Hartmann6 with its first bump's weight lowered by `shift` (0: the classic function).
double shifted_hartmann6(const Vec& x, double shift) {
  const double alpha[4] = {1.0 - shift, 1.2, 3.0, 3.2};
  static const double A[4][6] = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
                                 {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
  static const double P[4][6] = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
                                 {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};
  double sum = 0;
  for (int i = 0; i < 4; ++i) {
    double inner = 0;
    for (int j = 0; j < 6; ++j) inner += A[i][j] * std::pow(x[j] - 1e-4 * P[i][j], 2);
    sum += alpha[i] * std::exp(-inner);
  }
  return -sum;
}

double hartmann6(const Vec& x) { return shifted_hartmann6(x, 0.0); }

// BoTorch's multi-fidelity Branin: the quadratic coefficient moves with the fidelity s = x[2],
// b - 0.1 (1 - s), so cheaper fidelities shift the optima.
double augmented_branin(const Vec& x) { return shifted_branin(x, 0.1 * (1 - x[2])); }

// BoTorch's multi-fidelity Hartmann6: the first bump's weight is alpha_1 - 0.1 (1 - s), s = x[6].
double augmented_hartmann(const Vec& x) { return shifted_hartmann6(x, 0.1 * (1 - x[6])); }

double ackley(const Vec& x) {
  const double d = static_cast<double>(x.size());
  double sq = 0, cs = 0;
  for (double v : x) {
    sq += v * v;
    cs += std::cos(2 * M_PI * v);
  }
  return -20 * std::exp(-0.2 * std::sqrt(sq / d)) - std::exp(cs / d) + 20 + M_E;
}

double rosenbrock(const Vec& x) {
  double s = 0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i)
    s += 100 * std::pow(x[i + 1] - x[i] * x[i], 2) + std::pow(1 - x[i], 2);
  return s;
}

// Goldstein and Price (1971), on [-2, 2]^2: values from 3 to about 1e6, spread like a log-normal
// (Picheny, Wagner and Ginsbourger 2013 model its logarithm for that reason).
double goldstein_price(const Vec& x) {
  const double x1 = x[0], x2 = x[1];
  const double a = 1 + std::pow(x1 + x2 + 1, 2) * (19 - 14 * x1 + 3 * x1 * x1 - 14 * x2 + 6 * x1 * x2 + 3 * x2 * x2);
  const double b = 30 + std::pow(2 * x1 - 3 * x2, 2) * (18 - 32 * x1 + 12 * x1 * x1 + 48 * x2 - 36 * x1 * x2 + 27 * x2 * x2);
  return a * b;
}

// Dixon and Price (1989): a curved valley x_i^2 = x_{i-1} / 2 like Rosenbrock's, on [-10, 10]^d,
// whose values span seven orders of magnitude over the box.
double dixon_price(const Vec& x) {
  double s = std::pow(x[0] - 1, 2);
  for (std::size_t i = 1; i < x.size(); ++i) s += (i + 1) * std::pow(2 * x[i] * x[i] - x[i - 1], 2);
  return s;
}

// Its minimisers: x_i = 2^-((2^i - 2) / 2^i), i = 1..d (either sign for i >= 2; the positive one).
Vec dixon_price_optimizer(int d) {
  Vec x(d);
  for (int i = 1; i <= d; ++i) x[i - 1] = std::pow(2.0, -(std::pow(2.0, i) - 2) / std::pow(2.0, i));
  return x;
}

double levy(const Vec& x) {
  const std::size_t d = x.size();
  Vec w(d);
  for (std::size_t i = 0; i < d; ++i) w[i] = 1 + (x[i] - 1) / 4;
  double s = std::pow(std::sin(M_PI * w[0]), 2);
  for (std::size_t i = 0; i + 1 < d; ++i)
    s += std::pow(w[i] - 1, 2) * (1 + 10 * std::pow(std::sin(M_PI * w[i] + 1), 2));
  return s + std::pow(w[d - 1] - 1, 2) * (1 + std::pow(std::sin(2 * M_PI * w[d - 1]), 2));
}

double styblinski_tang(const Vec& x) {
  double s = 0;
  for (double v : x) s += v * v * v * v - 16 * v * v + 5 * v;
  return 0.5 * s;
}

double michalewicz(const Vec& x) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    s += std::sin(x[i]) * std::pow(std::sin((i + 1) * x[i] * x[i] / M_PI), 20);
  return -s;
}

Evaluation tension_compression_string(const Vec& x) {
  const double x1 = x[0], x2 = x[1], x3 = x[2];
  return {x1 * x1 * x2 * (x3 + 2),
          {1 - x2 * x2 * x2 * x3 / (71785 * std::pow(x1, 4)),
           (4 * x2 * x2 - x1 * x2) / (12566 * std::pow(x1, 3) * (x2 - x1)) + 1 / (5108 * x1 * x1) - 1,
           1 - 140.45 * x1 / (x3 * x2 * x2), (x1 + x2) / 1.5 - 1}};
}

Evaluation pressure_vessel(const Vec& x) {
  const double x1 = std::round(x[0] / 0.0625) * 0.0625, x2 = std::round(x[1] / 0.0625) * 0.0625;
  const double x3 = x[2], x4 = x[3];
  return {0.6224 * x1 * x3 * x4 + 1.7781 * x2 * x3 * x3 + 3.1661 * x1 * x1 * x4 + 19.84 * x1 * x1 * x3,
          {-x1 + 0.0193 * x3, -x2 + 0.00954 * x3,
           -M_PI * x3 * x3 * x4 - (4.0 / 3.0) * M_PI * x3 * x3 * x3 + 1296000, x4 - 240}};
}

Evaluation welded_beam(const Vec& x) {
  const double x1 = x[0], x2 = x[1], x3 = x[2], x4 = x[3];
  const double P = 6000, L = 14, E = 30e6, G = 12e6, tau_max = 13600, sigma_max = 30000, delta_max = 0.25;
  const double M = P * (L + x2 / 2);
  const double R = std::sqrt(x2 * x2 / 4 + std::pow((x1 + x3) / 2, 2));
  const double J = 2 * std::sqrt(2.0) * x1 * x2 * (x2 * x2 / 12 + std::pow((x1 + x3) / 2, 2));
  const double Pc = 4.013 * E * x3 * std::pow(x4, 3) / (6 * L * L) * (1 - x3 / (4 * L) * std::sqrt(E / G));
  const double t1 = P / (std::sqrt(2.0) * x1 * x2), t2 = M * R / J;
  const double tau = std::sqrt(t1 * t1 + t1 * t2 * x2 / R + t2 * t2);
  const double sigma = 6 * P * L / (x4 * x3 * x3), delta = 4 * P * L * L * L / (E * x4 * x3 * x3 * x3);
  return {1.10471 * x1 * x1 * x2 + 0.04811 * x3 * x4 * (14 + x2),
          {tau - tau_max, sigma - sigma_max, x1 - x4, 0.10471 * x1 * x1 + 0.04811 * x3 * x4 * (14 + x2) - 5,
           0.125 - x1, delta - delta_max, P - Pc}};
}

Evaluation speed_reducer(const Vec& x) {
  const double x1 = x[0], x2 = x[1], x3 = x[2], x4 = x[3], x5 = x[4], x6 = x[5], x7 = x[6];
  const double f = 0.7854 * x1 * x2 * x2 * (3.3333 * x3 * x3 + 14.9334 * x3 - 43.0934) -
                   1.508 * x1 * (x6 * x6 + x7 * x7) + 7.4777 * (x6 * x6 * x6 + x7 * x7 * x7) +
                   0.7854 * (x4 * x6 * x6 + x5 * x7 * x7);
  return {f,
          {27 / (x1 * x2 * x2 * x3) - 1, 397.5 / (x1 * x2 * x2 * x3 * x3) - 1,
           1.93 * x4 * x4 * x4 / (x2 * x3 * std::pow(x6, 4)) - 1, 1.93 * x5 * x5 * x5 / (x2 * x3 * std::pow(x7, 4)) - 1,
           std::sqrt(std::pow(745 * x4 / (x2 * x3), 2) + 16.9e6) / (110 * x6 * x6 * x6) - 1,
           std::sqrt(std::pow(745 * x5 / (x2 * x3), 2) + 157.5e6) / (85 * x7 * x7 * x7) - 1, x2 * x3 / 40 - 1,
           5 * x2 / x1 - 1, x1 / (12 * x2) - 1, (1.5 * x6 + 1.9) / x4 - 1, (1.1 * x7 + 1.9) / x5 - 1}};
}

// Gramacy and Lee (2009), "Adaptive design and analysis of supercomputer experiments",
// Technometrics 51(2), eq. (6): f(x) = exp(sin((0.9 (x1 + 0.48))^10)) + x2 x3 + x4 on [0,1]^6, x5 and
// x6 inert. Flat in x1 below about 0.6, then oscillating ever faster towards 1: a standard test of
// non-stationary surrogates (one lengthscale cannot fit both regimes). Minimum exp(-1) where
// (0.9 (x1 + 0.48))^10 = 3 pi / 2, 7 pi / 2 or 11 pi / 2, x4 = 0 and x2 x3 = 0.
double gramacy_lee_2009(const Vec& x) {
  return std::exp(std::sin(std::pow(0.9 * (x[0] + 0.48), 10))) + x[1] * x[2] + x[3];
}

// x1 where (0.9 (x1 + 0.48))^10 = z.
double gramacy_lee_x1(double z) { return std::pow(z, 0.1) / 0.9 - 0.48; }

Problem constrained(std::string name, SearchSpace space, double opt, Vec optimizer, int n_constraints,
                    std::function<Evaluation(const Vec&)> f) {
  Problem p;
  p.name = std::move(name);
  p.space = std::move(space);
  p.optimal_value = opt;
  p.optimizers = {std::move(optimizer)};
  p.n_constraints = n_constraints;
  p.function = std::move(f);
  return p;
}

Problem scalable(const std::string& family, int d) {
  if (d < 1 || d > 100) throw InvalidArgument("problem dimension must be in [1, 100], got " + std::to_string(d));
  const std::string name = family + std::to_string(d);
  if (family == "Ackley") return unconstrained(name, cube(d, -32.768, 32.768), 0.0, {Vec(d, 0.0)}, ackley);
  if (family == "Rosenbrock") {
    if (d < 2) throw InvalidArgument("Rosenbrock needs d >= 2");
    return unconstrained(name, cube(d, -5, 10), 0.0, {Vec(d, 1.0)}, rosenbrock);
  }
  if (family == "DixonPrice") return unconstrained(name, cube(d, -10, 10), 0.0, {dixon_price_optimizer(d)}, dixon_price);
  if (family == "Levy") return unconstrained(name, cube(d, -10, 10), 0.0, {Vec(d, 1.0)}, levy);
  if (family == "StyblinskiTang")
    return unconstrained(name, cube(d, -5, 5), -39.16616570377142 * d, {Vec(d, -2.903534027771178)}, styblinski_tang);
  if (family == "Michalewicz") {
    static const std::map<int, double> optima = {{2, -1.80130341}, {5, -4.687658}, {10, -9.66015}};
    auto it = optima.find(d);
    if (it == optima.end()) throw NotFound("Michalewicz has a known optimum only for d = 2, 5, 10");
    std::vector<Vec> optimizers;
    if (d == 2) optimizers = {{2.20290552, 1.57079633}};
    return unconstrained(name, cube(d, 0, M_PI), it->second, optimizers, michalewicz);
  }
  throw NotFound("unknown problem family '" + family + "'");
}

}  // namespace

Evaluation Problem::evaluate(const Params& params) const {
  space.validate(params);
  if (evaluate_params) return evaluate_params(params);
  Vec x;
  for (const Parameter& p : space.parameters()) x.push_back(as_double(params.at(p.name)));
  return function(x);
}

std::vector<std::string> problem_names() {
  std::vector<std::string> names = {"Branin", "Hartmann6", "GramacyLee6", "GoldsteinPrice", "TensionCompressionString",
                                    "PressureVessel", "WeldedBeamSO", "SpeedReducer", "AugmentedBranin",
                                    "AugmentedHartmann"};
  for (const char* family : {"Ackley", "Rosenbrock", "DixonPrice", "Levy", "StyblinskiTang", "Michalewicz"})
    for (int d : {2, 5, 10}) names.push_back(std::string(family) + std::to_string(d));
  for (const std::string& n : input_constrained_problem_names()) names.push_back(n);
  return names;
}

Problem make_problem(const std::string& name) {
  if (is_landscape_name(name)) return make_landscape_problem(name);
  if (name == "Branin")
    return unconstrained(name, box({{-5, 10}, {0, 15}}), 0.397887357729739,
                         {{-M_PI, 12.275}, {M_PI, 2.275}, {9.42477796, 2.475}}, branin);
  if (name == "Hartmann6")
    return unconstrained(name, cube(6, 0, 1), -3.32236801141551,
                         {{0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054}}, hartmann6);
  if (name == "GramacyLee6") {
    std::vector<Vec> optimizers;
    for (double z : {1.5 * M_PI, 3.5 * M_PI, 5.5 * M_PI}) optimizers.push_back({gramacy_lee_x1(z), 0.0, 0.5, 0.0, 0.5, 0.5});
    return unconstrained(name, cube(6, 0, 1), std::exp(-1.0), optimizers, gramacy_lee_2009);
  }
  if (name == "AugmentedBranin" || name == "AugmentedHartmann") {
    const bool branin_like = name == "AugmentedBranin";
    std::vector<Parameter> params;
    const std::vector<std::pair<double, double>> bounds =
        branin_like ? std::vector<std::pair<double, double>>{{-5, 10}, {0, 15}} : std::vector<std::pair<double, double>>(6, {0, 1});
    for (std::size_t i = 0; i < bounds.size(); ++i)
      params.push_back(Parameter::Float("x" + std::to_string(i + 1), bounds[i].first, bounds[i].second));
    params.push_back(Parameter::Float("s", 0, 1).as_fidelity(1.0));
    Problem p = branin_like ? unconstrained(name, SearchSpace(params), 0.397887357729739,
                                            {{-M_PI, 12.275, 1}, {M_PI, 2.275, 1}, {9.42477796, 2.475, 1}}, augmented_branin)
                            : unconstrained(name, SearchSpace(params), -3.32236801141551,
                                            {{0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054, 1}},
                                            augmented_hartmann);
    p.cost = AffineCost{5.0, 1.0};
    return p;
  }
  if (name == "GoldsteinPrice") return unconstrained(name, cube(2, -2, 2), 3.0, {{0.0, -1.0}}, goldstein_price);
  if (name == "TensionCompressionString")
    return constrained(name, box({{0.01, 1}, {0.01, 1}, {0.01, 20}}), 0.012665, {0.051689, 0.356718, 11.288966}, 4,
                       tension_compression_string);
  if (name == "PressureVessel")
    return constrained(name, box({{0, 10}, {0, 10}, {10, 50}, {150, 200}}), 6059.714335,
                       {0.8125, 0.4375, 42.0984456, 176.6365958}, 4, pressure_vessel);
  if (name == "WeldedBeamSO")
    return constrained(name, box({{0.125, 10}, {0.1, 15}, {0.1, 10}, {0.1, 10}}), 1.724852,
                       {0.20573, 3.47049, 9.03662, 0.20573}, 7, welded_beam);
  if (name == "SpeedReducer")
    return constrained(name, box({{2.6, 3.6}, {0.7, 0.8}, {17, 28}, {7.3, 8.3}, {7.8, 8.3}, {2.9, 3.9}, {5.0, 5.5}}),
                       2996.3482, {3.5, 0.7, 17, 7.3, 7.8, 3.350215, 5.286683}, 11, speed_reducer);
  static const std::regex scalable_name("(Ackley|Rosenbrock|DixonPrice|Levy|StyblinskiTang|Michalewicz)([0-9]+)");
  std::smatch m;
  if (std::regex_match(name, m, scalable_name)) return scalable(m[1], std::stoi(m[2]));
  if (std::optional<Problem> p = make_input_constrained_problem(name)) return *p;
  throw NotFound("unknown problem '" + name + "' (known: " + join(problem_names()) + "; any d for the scalable families; landscape:FILE.csv; NK{sites})");
}

}  // namespace boex
