#include "engine/gp_strategy.h"

#include "acquisitions/registry.h"
#include "core/errors.h"
#include "core/rng.h"

namespace boex {

GpStrategy::GpStrategy(std::string name, Options options) : name_(std::move(name)), options_(std::move(options)) {
  options_.gp.validate();
  options_.optimizer.validate();
}

std::vector<Eigen::VectorXd> GpStrategy::suggest(const SuggestRequest& request) const {
  const SearchSpace& space = *request.space;
  const History& h = request.history;
  if (h.y.size() < std::max(request.n_init, 1))
    return sobol_design(space, request.study_seed, h.num_trials, request.count);

  const std::uint64_t seed = mix_seed(request.study_seed, static_cast<std::uint64_t>(h.num_trials));
  ExactGP::Options gp_options = options_.gp;
  gp_options.seed = seed;
  ExactGP gp(gp_options);
  try {
    gp.fit(h.X, h.y);
  } catch (const NumericalError&) {
    // Data the GP cannot represent at all: keep the study moving with space-filling points.
    return sobol_design(space, request.study_seed, h.num_trials, request.count);
  }
  const double best = h.y.maxCoeff();

  ExactGP model = gp;
  auto believe = [&](const Eigen::MatrixXd& points) {
    Eigen::VectorXd mean;
    model.predict(points, &mean, nullptr);
    model = model.condition_on(points, mean);
  };
  if (h.X_pending.rows() > 0) believe(h.X_pending);
  // Never hand out a pending point; avoid repeating a finished one exactly too (pure waste for
  // a deterministic experiment), unless a small discrete space has nothing else left.
  Eigen::MatrixXd taken = h.X_pending;
  Eigen::MatrixXd taken_or_done(h.X_pending.rows() + h.X.rows(), space.dimension());
  taken_or_done.topRows(h.X_pending.rows()) = h.X_pending;
  taken_or_done.bottomRows(h.X.rows()) = h.X;

  AcquisitionOptimizer optimizer(space, options_.optimizer);
  std::vector<Eigen::VectorXd> out;
  for (int j = 0; j < request.count; ++j) {
    AcquisitionContext context;
    context.best = best;
    context.beta = options_.ucb_beta;
    const auto acq = make_acquisition(options_.acquisition, model, context);
    auto result = optimizer.maximize(*acq, mix_seed(seed, j + 1), taken_or_done);
    if (result.exhausted) result = optimizer.maximize(*acq, mix_seed(seed, j + 1), taken);
    out.push_back(result.best.x);
    for (Eigen::MatrixXd* m : {&taken, &taken_or_done}) {
      m->conservativeResize(m->rows() + 1, space.dimension());
      m->bottomRows(1) = result.best.x.transpose();
    }
    if (j + 1 < request.count) believe(result.best.x.transpose());
  }
  return out;
}

}  // namespace boex
