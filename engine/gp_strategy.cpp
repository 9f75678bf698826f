#include "engine/gp_strategy.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "acquisitions/log_composite_ei.h"
#include "acquisitions/log_constrained.h"
#include "acquisitions/posterior_mean.h"
#include "acquisitions/registry.h"
#include "core/errors.h"
#include "core/rng.h"

namespace boex {

GpStrategy::GpStrategy(std::string name, Options options) : name_(std::move(name)), options_(std::move(options)) {
  acquisition_traits(options_.acquisition);  // an unknown name fails here, not at the first ask
  options_.gp.validate();
  options_.optimizer.validate();
  options_.feasibility.validate();
}

void GpStrategy::Models::condition_on_means(const Eigen::MatrixXd& points) {
  auto believe = [&](ExactGP& model) {
    Eigen::VectorXd mean;
    model.predict(points, &mean, nullptr);
    model = model.condition_on(points, mean);
  };
  for (ExactGP& m : objective) believe(m);
  for (ExactGP& c : constraints) believe(c);
}

std::vector<const Surrogate*> GpStrategy::Models::constraint_pointers() const {
  std::vector<const Surrogate*> out;
  for (const ExactGP& c : constraints) out.push_back(&c);
  return out;
}

std::vector<ExactGP> GpStrategy::fit_objective(const History& h, std::uint64_t seed) const {
  ExactGP::Options gp_options = options_.gp;
  std::vector<ExactGP> models;
  const Eigen::Index k_max = h.is_composite() ? h.outputs.cols() : 1;
  for (Eigen::Index k = 0; k < k_max; ++k) {
    gp_options.seed = k == 0 ? seed : mix_seed(seed, 100 + static_cast<std::uint64_t>(k));
    models.emplace_back(gp_options);
    models.back().fit(h.X, h.is_composite() ? Eigen::VectorXd(h.outputs.col(k)) : h.y);
  }
  return models;
}

GpStrategy::Models GpStrategy::fit(const History& h, std::uint64_t seed) const {
  ExactGP::Options gp_options = options_.gp;
  Models models{fit_objective(h, seed), {}, Eigen::MatrixXd(h.X.rows(), h.C.cols())};
  for (Eigen::Index k = 0; k < h.C.cols(); ++k) {
    gp_options.seed = mix_seed(seed, static_cast<std::uint64_t>(k) + 1);
    models.constraints.emplace_back(gp_options);
    // Engineering constraints span orders of magnitude (ratios, poles); the sign-preserving
    // bilog(c / s) = sign(c) ln(1 + |c| / s) keeps c <= 0 exactly where it was and makes them
    // modellable (Eriksson and Poloczek's SCBO uses bilog); s, the median |c|, sets the scale
    // at which it turns from linear to logarithmic.
    Eigen::VectorXd magnitude = h.C.col(k).cwiseAbs();
    std::nth_element(magnitude.data(), magnitude.data() + magnitude.size() / 2, magnitude.data() + magnitude.size());
    const double s = magnitude(magnitude.size() / 2) > 0 ? magnitude(magnitude.size() / 2) : 1.0;
    const Eigen::VectorXd bilog = h.C.col(k).unaryExpr([s](double c) { return std::copysign(std::log1p(std::abs(c) / s), c); });
    models.constraints.back().fit(h.X, bilog);
    models.transformed_constraints.col(k) = bilog;
  }
  return models;
}

Eigen::MatrixXd GpStrategy::kg_discretization(const SearchSpace& space, const Models& models, const History& h,
                                              std::uint64_t seed) const {
  // The observed points, space-filling points and the posterior mean's maximiser.
  AcquisitionOptimizer::Options fast = options_.optimizer;
  fast.raw_samples = 256;
  fast.num_restarts = 4;
  const PosteriorMean mean(models.objective.front());
  const Eigen::VectorXd argmax = AcquisitionOptimizer(space, fast).maximize(mean, mix_seed(seed, 77)).best.x;
  const Eigen::MatrixXd sobol = space.sobol(options_.kg_sobol_points, mix_seed(seed, 78));
  Eigen::MatrixXd A(h.X.rows() + sobol.rows() + 1, space.dimension());
  A << h.X, sobol, argmax.transpose();
  return A;
}

std::vector<Eigen::VectorXd> GpStrategy::suggest(const SuggestRequest& request) const {
  const SearchSpace& space = *request.space;
  const History& h = request.history;
  if (h.y.size() < std::max(request.n_init, 1))
    return sobol_design(space, request.study_seed, h.num_trials, request.count);

  const std::uint64_t seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials));
  Models models;
  try {
    models = fit(h, seed);
  } catch (const NumericalError&) {
    // Data the GP cannot represent at all: keep the study moving with space-filling points.
    return sobol_design(space, request.study_seed, h.num_trials, request.count);
  }
  const AcquisitionTraits traits = acquisition_traits(options_.acquisition);
  AcquisitionInputs inputs;
  inputs.X_observed = h.X;
  inputs.beta = options_.ucb_beta;
  inputs.best = -std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < h.y.size(); ++i)
    if (h.feasible(i)) inputs.best = std::max(inputs.best, h.y(i));
  inputs.any_feasible = std::isfinite(inputs.best);
  if (!inputs.any_feasible) inputs.best = h.y.maxCoeff();
  // Failed points are believed at the model's mean like pending ones, so the acquisition does not
  // pull straight back to an experiment that just failed.
  if (h.X_failed.rows() > 0) models.condition_on_means(h.X_failed);
  // Composite studies always use EI-CF, which knows nothing of pending points: believe them.
  const bool acquisition_handles_pending = traits.handles_pending && !h.is_composite();
  if (acquisition_handles_pending)
    inputs.X_pending = h.X_pending;
  else if (h.X_pending.rows() > 0)
    models.condition_on_means(h.X_pending);

  // Never hand out a pending point; avoid repeating a finished or failed one exactly too (waste
  // for a deterministic experiment), unless a small discrete space has nothing else left.
  Eigen::MatrixXd taken = h.X_pending;
  Eigen::MatrixXd taken_or_done(h.X_pending.rows() + h.X.rows() + h.X_failed.rows(), space.dimension());
  taken_or_done << h.X_pending, h.X, h.X_failed;
  AcquisitionOptimizer optimizer(space, options_.optimizer);
  // While nothing is feasible, every point of the batch comes from the feasibility search.
  const bool searching_feasibility = !models.constraints.empty() && !inputs.any_feasible;
  FeasibilitySearchInputs search;
  if (searching_feasibility) {
    search.space = &space;
    search.constraints = models.constraint_pointers();
    // (A composite study's models are of outputs, not of something to maximise.)
    search.objective = h.is_composite() ? nullptr : &models.objective.front();
    search.X = h.X;
    // Violation on the models' (bilog) scale, so that no one constraint's units dominate.
    search.violation = models.transformed_constraints.cwiseMax(0.0).rowwise().sum();
    search.n_init = std::max(request.n_init, 1);
    search.duplicate_tolerance = options_.optimizer.duplicate_tolerance;
  }
  std::vector<Eigen::VectorXd> out;
  for (int j = 0; j < request.count; ++j) {
    inputs.objective = &models.objective.front();
    inputs.constraints = models.constraint_pointers();
    inputs.seed = mix_seed(seed, 1000 + j);
    Eigen::VectorXd x;
    if (searching_feasibility) {
      search.avoid = taken_or_done;
      search.duplicate_tolerance = options_.optimizer.duplicate_tolerance;
      search.seed = mix_seed(seed, 2000 + j);
      x = search_feasibility(search, options_.feasibility);
    } else {
      const std::unique_ptr<Acquisition> acq = make(models, h, inputs, space);
      auto result = optimizer.maximize(*acq, mix_seed(seed, j + 1), taken_or_done);
      if (result.exhausted) result = optimizer.maximize(*acq, mix_seed(seed, j + 1), taken);
      x = result.best.x;
    }
    out.push_back(x);
    for (Eigen::MatrixXd* m : {&taken, &taken_or_done}) {
      m->conservativeResize(m->rows() + 1, space.dimension());
      m->bottomRows(1) = x.transpose();
    }
    if (j + 1 == request.count) break;
    if (acquisition_handles_pending) {
      inputs.X_pending = taken;
    } else {
      models.condition_on_means(x.transpose());
    }
  }
  return out;
}

std::unique_ptr<Acquisition> GpStrategy::make(const Models& models, const History& h, AcquisitionInputs& inputs,
                                              const SearchSpace& space) const {
  if (!h.is_composite()) {
    if (acquisition_traits(options_.acquisition).needs_discretization)
      inputs.discretization = kg_discretization(space, models, h, inputs.seed);
    return make_acquisition(options_.acquisition, inputs);
  }
  std::vector<const Surrogate*> outputs;
  for (const ExactGP& m : models.objective) outputs.push_back(&m);
  std::unique_ptr<Acquisition> composite =
      std::make_unique<LogCompositeExpectedImprovement>(outputs, h.composite, inputs.best, 256, inputs.seed);
  if (inputs.constraints.empty()) return composite;
  return std::make_unique<LogConstrainedAcquisition>(std::move(composite), inputs.constraints);
}

bool GpStrategy::supports_constraints() const { return acquisition_traits(options_.acquisition).log_space; }

std::optional<Eigen::Index> GpStrategy::recommend(const SuggestRequest& request) const {
  const History& h = request.history;
  if (h.y.size() < 2) return Strategy::recommend(request);
  Eigen::VectorXd mean;
  try {
    const std::vector<ExactGP> models =
        fit_objective(h, mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials)));
    if (!h.is_composite()) {
      models.front().predict(h.X, &mean, nullptr);
    } else {
      // Composite: g of the outputs' posterior means (a plug-in estimate of the utility).
      Eigen::MatrixXd means(h.X.rows(), static_cast<Eigen::Index>(models.size()));
      for (std::size_t k = 0; k < models.size(); ++k) {
        Eigen::VectorXd m;
        models[k].predict(h.X, &m, nullptr);
        means.col(static_cast<Eigen::Index>(k)) = m;
      }
      mean.resize(h.X.rows());
      for (Eigen::Index i = 0; i < h.X.rows(); ++i) mean(i) = h.composite(means.row(i).transpose(), nullptr);
    }
  } catch (const NumericalError&) {
    return Strategy::recommend(request);
  }
  std::optional<Eigen::Index> best;
  for (Eigen::Index i = 0; i < h.y.size(); ++i)
    if (h.feasible(i) && (!best || mean(i) > mean(*best))) best = i;
  return best;
}

}  // namespace boex
