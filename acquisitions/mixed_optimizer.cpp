#include "acquisitions/mixed_optimizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "core/errors.h"
#include "core/heap.h"
#include "core/lbfgs.h"
#include "core/rng.h"
#include "core/work_counters.h"

namespace boex {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

void require(bool ok, const std::string& field, const std::string& rule, double value) {
  if (ok) return;
  std::ostringstream os;
  os << "MixedOptimizer::Options::" << field << " = " << value << "; must be " << rule;
  throw InvalidArgument(os.str());
}

double finite_or_neg_inf(double v) { return std::isnan(v) ? kNegInf : v; }

}  // namespace

void MixedOptimizer::Options::validate() const {
  require(raw_samples >= 1, "raw_samples", ">= 1", raw_samples);
  require(num_restarts >= 1, "num_restarts", ">= 1", num_restarts);
  require(num_restarts <= raw_samples, "num_restarts", "<= raw_samples", num_restarts);
  require(max_evaluations >= 1, "max_evaluations", ">= 1", max_evaluations);
  require(max_discrete_rounds >= 1, "max_discrete_rounds", ">= 1", max_discrete_rounds);
  require(duplicate_tolerance >= 0, "duplicate_tolerance", ">= 0", duplicate_tolerance);
}

MixedOptimizer::MixedOptimizer(const SearchSpace& space, Options options)
    : space_(space), options_(std::move(options)) {
  options_.validate();
}

MixedOptimizer::MixedOptimizer(const SearchSpace& space) : MixedOptimizer(space, Options()) {}

std::vector<int> MixedOptimizer::choose_starts(const Eigen::VectorXd& values, std::uint64_t seed) const {
  // Boltzmann sampling on standardised values (BoTorch's initialize_q_batch): mostly the best
  // raw samples, with some diversity; the argmax is always kept.
  const int n = static_cast<int>(values.size());
  const int k = std::min(options_.num_restarts, n);
  std::vector<int> finite;
  for (int i = 0; i < n; ++i)
    if (std::isfinite(values(i))) finite.push_back(i);
  std::vector<int> chosen;
  if (finite.empty()) {
    for (int i = 0; i < k; ++i) chosen.push_back(i);
    return chosen;
  }
  double mean = 0.0, sq = 0.0;
  for (int i : finite) mean += values(i);
  mean /= finite.size();
  for (int i : finite) sq += (values(i) - mean) * (values(i) - mean);
  const double sd = std::sqrt(sq / finite.size());
  const int argmax = *std::max_element(finite.begin(), finite.end(),
                                       [&](int a, int b) { return values(a) < values(b); });
  chosen.push_back(argmax);
  std::vector<double> weight(n, 0.0);
  for (int i : finite) weight[i] = sd > 0 ? std::exp(std::min((values(i) - values(argmax)) / sd, 0.0)) : 1.0;
  weight[argmax] = 0.0;
  Rng rng(seed);
  while (static_cast<int>(chosen.size()) < k) {
    const double total = std::accumulate(weight.begin(), weight.end(), 0.0);
    if (!(total > 0)) break;
    double r = rng.uniform() * total;
    int pick = 0;
    for (; pick < n - 1; ++pick) {
      if (r < weight[pick]) break;
      r -= weight[pick];
    }
    if (weight[pick] == 0.0) continue;
    chosen.push_back(pick);
    weight[pick] = 0.0;
  }
  return chosen;
}

double MixedOptimizer::optimize_continuous(const Acquisition& acq, Eigen::VectorXd& x,
                                                 int* evaluations) const {
  const std::vector<int>& cols = space_.continuous_columns();
  const int m = static_cast<int>(cols.size());
  Eigen::VectorXd z(m);
  for (int i = 0; i < m; ++i) z(i) = x(cols[i]);
  Eigen::VectorXd full = x, full_grad;
  const Objective negative = [&](const Eigen::VectorXd& zz, Eigen::VectorXd& grad) {
    for (int i = 0; i < m; ++i) full(cols[i]) = zz(i);
    const double v = acq.value(full, &full_grad);
    for (int i = 0; i < m; ++i) grad(i) = -full_grad(cols[i]);
    return -v;
  };
  LbfgsOptions lbfgs;
  lbfgs.max_evaluations = options_.max_evaluations;
  if (space_.constrained()) return optimize_on_face(acq, negative, x, z, lbfgs, evaluations);
  const LbfgsResult r = minimize_lbfgs(negative, z, Eigen::VectorXd::Zero(m), Eigen::VectorXd::Ones(m), lbfgs);
  *evaluations += r.evaluations;
  for (int i = 0; i < m; ++i) x(cols[i]) = r.x(i);
  return std::isfinite(r.value) ? -r.value : acq.value(x, nullptr);
}

double MixedOptimizer::optimize_on_face(const Acquisition& acq, const Objective& negative, Eigen::VectorXd& x,
                                        const Eigen::VectorXd& z, const LbfgsOptions& lbfgs, int* evaluations) const {
  // Known input constraints: SLSQP with the linear rows of x's face (its cardinality support kept),
  // so every iterate stays feasible; the result's round-off is repaired into the face.
  const std::vector<int>& cols = space_.continuous_columns();
  const ConstraintGeometry& geometry = *space_.geometry();
  const std::shared_ptr<const Polytope> face = geometry.face_of(x);
  const auto m = static_cast<Eigen::Index>(cols.size());
  const std::vector<int>& involved = geometry.columns();
  std::vector<Eigen::Index> position(involved.size());  // involved column -> index among cols
  for (std::size_t j = 0; j < involved.size(); ++j)
    position[j] = std::lower_bound(cols.begin(), cols.end(), involved[j]) - cols.begin();
  const auto widen = [&](const Eigen::MatrixXd& M) {
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(M.rows(), m);
    for (std::size_t j = 0; j < involved.size(); ++j) out.col(position[j]) = M.col(static_cast<Eigen::Index>(j));
    return out;
  };
  const LbfgsResult r = minimize_linear_constrained(negative, z, Eigen::VectorXd::Zero(m), Eigen::VectorXd::Ones(m),
                                                    widen(face->G()), face->h(), widen(face->E()), face->e(), lbfgs);
  *evaluations += r.evaluations;
  Eigen::VectorXd u(static_cast<Eigen::Index>(involved.size()));
  for (std::size_t j = 0; j < involved.size(); ++j) u(static_cast<Eigen::Index>(j)) = r.x(position[j]);
  const Eigen::VectorXd inside = face->repair(u);
  Eigen::VectorXd y = x;
  for (Eigen::Index i = 0; i < m; ++i) y(cols[i]) = r.x(i);
  for (std::size_t j = 0; j < involved.size(); ++j) y(involved[j]) = inside(static_cast<Eigen::Index>(j));
  y = geometry.project(y);  // (feasible already: this sets members at zero exactly to zero)
  ++*evaluations;
  const double value = acq.value(y, nullptr);
  if (!(value >= acq.value(x, nullptr))) return acq.value(x, nullptr);  // keep the feasible start
  x = y;
  return value;
}

bool MixedOptimizer::discrete_step(const Acquisition& acq, Eigen::VectorXd& x, double& value,
                                   int* evaluations) const {
  // Best single move: an int parameter by +-1, +-2, +-4 ... grid steps; a categorical to any other
  // choice; one letter of a sequence to any other. Continuous columns stay where L-BFGS left them.
  const Params current = space_.decode(x);
  Eigen::VectorXd best_x = x;
  double best_value = value;
  auto consider = [&](Params trial) {
    Eigen::VectorXd y = space_.encode(trial);
    for (int c : space_.continuous_columns()) y(c) = x(c);
    const double v = finite_or_neg_inf(acq.value(y, nullptr));
    ++*evaluations;
    if (v > best_value) {
      best_value = v;
      best_x = y;
    }
  };
  for (const DiscreteBlock& block : space_.discrete_blocks()) {
    const Parameter& p = space_.parameters()[block.parameter];
    if (p.type == ParameterType::kSequence) {
      // Every single-letter change.
      const std::string& value = std::get<std::string>(current.at(p.name));
      for (std::size_t j = 0; j < value.size(); ++j) {
        for (char letter : p.alphabet) {
          if (letter == value[j]) continue;
          std::string changed = value;
          changed[j] = letter;
          Params trial = current;
          trial[p.name] = changed;
          consider(trial);
        }
      }
      continue;
    }
    if (p.type == ParameterType::kCategorical) {
      for (const std::string& choice : p.choices) {
        if (choice == std::get<std::string>(current.at(p.name))) continue;
        Params trial = current;
        trial[p.name] = choice;
        consider(trial);
      }
      continue;
    }
    const auto v = std::get<std::int64_t>(current.at(p.name));
    const auto range = static_cast<std::int64_t>(p.high - p.low);
    for (std::int64_t step = 1; step <= std::max<std::int64_t>(range / 2, 1); step *= 2) {
      for (std::int64_t sign : {-1, 1}) {
        const std::int64_t w = v + sign * step;
        if (w < p.low || w > p.high) continue;
        Params trial = current;
        trial[p.name] = w;
        consider(trial);
      }
    }
  }
  if (best_value > value) {
    x = best_x;
    value = best_value;
    return true;
  }
  return false;
}

MixedOptimizer::Candidate MixedOptimizer::local_search(const Acquisition& acq, Eigen::VectorXd x,
                                                 int* evaluations) const {
  x = space_.project(x);
  double value = finite_or_neg_inf(acq.value(x, nullptr));
  ++*evaluations;
  const bool has_continuous = !space_.continuous_columns().empty();
  const bool has_discrete = !space_.discrete_blocks().empty();
  for (int round = 0; round < options_.max_discrete_rounds; ++round) {
    if (has_continuous) {
      Eigen::VectorXd y = x;
      const double v = finite_or_neg_inf(optimize_continuous(acq, y, evaluations));
      if (v >= value) {
        x = y;
        value = v;
      }
    }
    if (!has_discrete || !discrete_step(acq, x, value, evaluations)) break;
  }
  return {x, value};
}

std::vector<MixedOptimizer::Candidate> MixedOptimizer::joint_local_search(const Acquisition& acq, const Eigen::MatrixXd& raw,
                                                                          const std::vector<int>& starts,
                                                                          int* evaluations) const {
  const Eigen::Index k = static_cast<Eigen::Index>(starts.size()), d = raw.cols();
  Eigen::MatrixXd X(k, d);
  for (Eigen::Index i = 0; i < k; ++i) X.row(i) = space_.project(raw.row(starts[i]).transpose()).transpose();
  const Eigen::VectorXd start_values = acq.values(X).unaryExpr(&finite_or_neg_inf);
  *evaluations += static_cast<int>(k);
  Eigen::VectorXd z(k * d);
  for (Eigen::Index i = 0; i < k; ++i) z.segment(i * d, d) = X.row(i).transpose();
  Eigen::MatrixXd at(k, d), G;
  const Objective negative_sum = [&](const Eigen::VectorXd& zz, Eigen::VectorXd& grad) {
    for (Eigen::Index i = 0; i < k; ++i) at.row(i) = zz.segment(i * d, d).transpose();
    const Eigen::VectorXd v = acq.values_with_gradients(at, &G);
    double total = 0.0;
    for (Eigen::Index i = 0; i < k; ++i) {
      // A start whose value is not finite does not steer the others (it keeps its place).
      const bool ok = std::isfinite(v(i)) && G.row(i).allFinite();
      total -= ok ? v(i) : 0.0;
      grad.segment(i * d, d) = ok ? Eigen::VectorXd(-G.row(i).transpose()) : Eigen::VectorXd::Zero(d);
    }
    return total;
  };
  LbfgsOptions lbfgs;
  lbfgs.max_evaluations = options_.max_evaluations;
  const LbfgsResult r = minimize_lbfgs(negative_sum, z, Eigen::VectorXd::Zero(k * d), Eigen::VectorXd::Ones(k * d), lbfgs);
  *evaluations += r.evaluations * static_cast<int>(k);
  for (Eigen::Index i = 0; i < k; ++i) at.row(i) = space_.project(r.x.segment(i * d, d)).transpose();
  const Eigen::VectorXd end_values = acq.values(at).unaryExpr(&finite_or_neg_inf);
  *evaluations += static_cast<int>(k);
  std::vector<Candidate> out;
  for (Eigen::Index i = 0; i < k; ++i) {
    if (end_values(i) >= start_values(i)) out.push_back({at.row(i).transpose(), end_values(i)});
    else out.push_back({X.row(i).transpose(), start_values(i)});
  }
  return out;
}

bool MixedOptimizer::is_avoided(const Eigen::VectorXd& x, const Eigen::MatrixXd& avoid) const {
  for (Eigen::Index i = 0; i < avoid.rows(); ++i)
    if ((avoid.row(i).transpose() - x).cwiseAbs().maxCoeff() <= options_.duplicate_tolerance) return true;
  return false;
}

MixedOptimizer::Search MixedOptimizer::search(const Acquisition& acq, std::uint64_t seed,
                                               const Eigen::MatrixXd& avoid) const {
  retain_freed_memory();
  const int d = space_.dimension();
  if (avoid.size() != 0 && avoid.cols() != d)
    throw InvalidArgument("MixedOptimizer: points to avoid must have the space's dimension");
  ++this_thread_work().acquisition_searches;
  Search out;
  out.raw = space_.sobol(options_.raw_samples, seed);
  out.raw_values = acq.values(out.raw).unaryExpr(&finite_or_neg_inf);
  out.evaluations += static_cast<int>(out.raw.rows());
  const std::vector<int> starts = choose_starts(out.raw_values, mix_seed(seed, 0x5eed));
  const bool joint = options_.joint_local_search && space_.discrete_blocks().empty() && !space_.constrained() &&
                     static_cast<int>(space_.continuous_columns().size()) == d;
  if (joint) {
    out.local_optima = joint_local_search(acq, out.raw, starts, &out.evaluations);
  } else {
    for (int start : starts)
      out.local_optima.push_back(local_search(acq, out.raw.row(start).transpose(), &out.evaluations));
  }
  std::stable_sort(out.local_optima.begin(), out.local_optima.end(),
                   [](const Candidate& a, const Candidate& b) { return a.value > b.value; });
  return out;
}

std::vector<int> MixedOptimizer::raw_order(const Search& found) const {
  std::vector<int> order(found.raw.rows());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return found.raw_values(a) > found.raw_values(b); });
  return order;
}

MixedOptimizer::SearchResult MixedOptimizer::maximize(const Acquisition& acq, std::uint64_t seed,
                                                      const Eigen::MatrixXd& avoid) const {
  const Search found = search(acq, seed, avoid);
  SearchResult result;
  result.evaluations = found.evaluations;
  for (std::size_t i = 0; i < found.local_optima.size(); ++i) {
    if (is_avoided(found.local_optima[i].x, avoid)) continue;
    result.best = found.local_optima[i];
    // The runners-up: the other local optima, then as many of the best raw samples.
    Eigen::MatrixXd taken(avoid.rows() + 1, space_.dimension());
    taken << avoid, result.best.x.transpose();
    const auto keep = [&](const Candidate& c) {
      if (is_avoided(c.x, taken)) return;
      result.alternatives.push_back(c);
      taken.conservativeResize(taken.rows() + 1, Eigen::NoChange);
      taken.bottomRows(1) = c.x.transpose();
    };
    for (std::size_t k = i + 1; k < found.local_optima.size(); ++k) keep(found.local_optima[k]);
    const std::vector<int> order = raw_order(found);
    for (std::size_t k = 0; k < order.size() && k < found.local_optima.size(); ++k)
      keep({found.raw.row(order[k]).transpose(), found.raw_values(order[k])});
    return result;
  }
  // Every local optimum is a point to avoid: take the best raw sample that is not.
  result.fell_back_to_raw = true;
  for (int i : raw_order(found)) {
    if (!is_avoided(found.raw.row(i).transpose(), avoid)) {
      result.best = {found.raw.row(i).transpose(), found.raw_values(i)};
      return result;
    }
  }
  result.best = found.local_optima.front();
  result.exhausted = true;
  return result;
}

std::optional<AcquisitionOptimizer::Candidate> MixedOptimizer::rescore(const Acquisition& acq,
                                                                      const std::vector<Eigen::VectorXd>& candidates,
                                                                      const Eigen::MatrixXd& avoid) const {
  std::optional<Candidate> best;
  for (const Eigen::VectorXd& x : candidates) {
    if (is_avoided(x, avoid)) continue;
    const double v = finite_or_neg_inf(acq.value(x, nullptr));
    if (!best || v > best->value) best = Candidate{x, v};
  }
  return best;
}

AcquisitionOptimizer::Result MixedOptimizer::maximize(const Acquisition& acq, const Request& request) const {
  if (request.count == 1) {
    const SearchResult one = maximize(acq, request.seed, request.avoid);
    return {{one.best}, one.evaluations, one.exhausted};
  }
  // Several: the distinct local optima outside `avoid`, then the best raw samples.
  const Search found = search(acq, request.seed, request.avoid);
  Result result;
  result.evaluations = found.evaluations;
  Eigen::MatrixXd taken = request.avoid;
  auto take = [&](const Candidate& c) {
    if (static_cast<int>(result.points.size()) >= request.count || is_avoided(c.x, taken)) return;
    result.points.push_back(c);
    taken.conservativeResize(taken.rows() + 1, space_.dimension());
    taken.bottomRows(1) = c.x.transpose();
  };
  for (const Candidate& c : found.local_optima) take(c);
  for (int i : raw_order(found)) take({found.raw.row(i).transpose(), found.raw_values(i)});
  for (const Candidate& c : found.local_optima) {
    if (static_cast<int>(result.points.size()) >= request.count) break;
    result.exhausted = true;
    result.points.push_back(c);
  }
  return result;
}

}  // namespace boex
