// boex-pfn-nll: the PFN checkpoint's negative log-likelihood per test point on fresh prior tasks,
// next to the oracle bound (an exact GP given each task's true hyperparameters) and to the same
// network with untrained weights. The regression test asserts on the default table.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/rng.h"
#include "surrogates/pfn_evaluation.h"

int main(int argc, char** argv) {
  CLI::App app{"boex-pfn-nll: PFN NLL per point vs the oracle GP on fresh GP-prior tasks."};
  std::string checkpoint = "models/pfn-v1.boexpfn";
  boex::PfnEvaluationOptions options;
  std::vector<int> sizes = options.n_train;
  app.add_option("--checkpoint", checkpoint, "PFN checkpoint")->capture_default_str();
  app.add_option("--tasks-per-size", options.tasks_per_size, "tasks per training-set size")->capture_default_str();
  app.add_option("--n-train", sizes, "training-set sizes")->capture_default_str();
  app.add_option("--n-test", options.n_test, "test points per task")->capture_default_str();
  app.add_option("--max-features", options.max_features, "largest dimension (d ~ U{1..max})")->capture_default_str();
  app.add_option("--seed", options.seed, "seed of the tasks")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.n_train = sizes;
  try {
    nlohmann::json recipe;
    const boex::PfnModel model = boex::PfnModel::load(checkpoint, &recipe);
    const auto start = std::chrono::steady_clock::now();
    const auto rows = boex::evaluate_pfn_nll(model, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const boex::PfnModel untrained(model.config(), model.bar().borders(), 12345);
    const auto random_rows = boex::evaluate_pfn_nll(untrained, options);
    std::printf("%s: %lld parameters, trained %s steps\n", checkpoint.c_str(),
                static_cast<long long>(model.parameter_count()),
                recipe.contains("progress") ? recipe["progress"]["step"].dump().c_str() : "?");
    std::printf("| n train | tasks | PFN NLL | oracle GP NLL | gap | untrained PFN |\n|---|---|---|---|---|---|\n");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      std::printf("| %s | %d | %.3f | %.3f | %.3f | %.3f |\n",
                  r.n_train == 0 ? "all" : std::to_string(r.n_train).c_str(), r.tasks, r.pfn_nll, r.oracle_nll,
                  r.gap(), random_rows[i].pfn_nll);
    }
    std::printf("PFN scoring time: %.2f s for %d tasks (one thread)\n", seconds, rows.back().tasks);

    // What one acquisition step costs at the largest training set: conditioning, scoring 1000
    // candidates in one pass, and a forward + backward pass for 10 L-BFGS points.
    const int n = model.config().max_train_points, d = model.config().max_features;
    boex::Rng rng(7);
    const boex::GpPriorTask task = boex::GpPriorSampler().sample(rng, n + 1000, d);
    const auto time = [](auto&& f) {
      const auto t0 = std::chrono::steady_clock::now();
      for (int r = 0; r < 5; ++r) f();
      return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 5;
    };
    const Eigen::MatrixXd X = task.X.topRows(n), candidates = task.X.bottomRows(1000), starts = candidates.topRows(10);
    const Eigen::VectorXd y = task.y.head(n);
    const double condition_ms = time([&] { model.condition(X, y); });
    const boex::PfnConditioned pfn = model.condition(X, y);
    const double score_ms = time([&] { pfn.logits(candidates); });
    const double gradient_ms = time([&] {
      const boex::PfnPrediction p = pfn.predict(starts);
      p.input_gradient({Eigen::MatrixXd::Constant(10, model.config().n_buckets, 1e-3)});
    });
    const auto one_point = [&] {
      const boex::PfnPrediction p = pfn.predict(starts.topRows(1));
      p.input_gradient({Eigen::MatrixXd::Constant(1, model.config().n_buckets, 1e-3)});
    };
    const double one_ms = time(one_point);
    boex::PfnModel frozen = boex::PfnModel::load(checkpoint);
    frozen.freeze();
    const boex::PfnConditioned frozen_pfn = frozen.condition(X, y);
    const double frozen_ms = time([&] {
      const boex::PfnPrediction p = frozen_pfn.predict(starts.topRows(1));
      p.input_gradient({Eigen::MatrixXd::Constant(1, model.config().n_buckets, 1e-3)});
    });
    std::printf("n = %d, d = %d: condition %.1f ms, 1000 candidates %.1f ms, 10 points with input gradients %.1f ms, "
                "one point %.2f ms (frozen weights %.2f ms)\n",
                n, d, condition_ms, score_ms, gradient_ms, one_ms, frozen_ms);
    return 0;
  } catch (const boex::Error& e) {
    std::fprintf(stderr, "boex-pfn-nll: %s\n", e.what());
    return 2;
  }
}
