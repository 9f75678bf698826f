#include "surrogates/pfn_evaluation.h"

#include <string>

#include "core/errors.h"

namespace boex {

void PfnEvaluationOptions::validate() const {
  if (n_train.empty()) throw InvalidArgument("PfnEvaluationOptions::n_train is empty");
  for (int n : n_train)
    if (n < 1) throw InvalidArgument("PfnEvaluationOptions::n_train has " + std::to_string(n) + "; sizes must be >= 1");
  if (tasks_per_size < 1) throw InvalidArgument("PfnEvaluationOptions::tasks_per_size must be >= 1");
  if (n_test < 1) throw InvalidArgument("PfnEvaluationOptions::n_test must be >= 1");
  if (min_features < 1 || max_features < min_features)
    throw InvalidArgument("PfnEvaluationOptions::min_features/max_features = " + std::to_string(min_features) + "/" +
                          std::to_string(max_features) + "; need 1 <= min <= max");
  prior.validate();
}

std::vector<PfnEvaluationRow> evaluate_pfn_nll(const PfnModel& model, const PfnEvaluationOptions& options) {
  options.validate();
  const GpPriorSampler sampler(options.prior);
  std::vector<PfnEvaluationRow> rows;
  PfnEvaluationRow total;
  for (std::size_t size = 0; size < options.n_train.size(); ++size) {
    const int n = options.n_train[size];
    PfnEvaluationRow row;
    row.n_train = n;
    Rng rng(mix_seed(options.seed, static_cast<std::uint64_t>(n)));
    for (int t = 0; t < options.tasks_per_size; ++t) {
      const int d = options.min_features + static_cast<int>(rng.index(options.max_features - options.min_features + 1));
      const GpPriorTask task = sampler.sample(rng, n + options.n_test, d);
      const PfnConditioned pfn = model.condition(task.X.topRows(n), task.y.head(n));
      const Eigen::MatrixXd logits = pfn.logits(task.X.bottomRows(options.n_test)).front();
      double nll = 0;
      for (int i = 0; i < options.n_test; ++i)
        nll -= pfn.distribution(0).log_pdf(logits.row(i).transpose(), task.y(n + i));
      row.pfn_nll += nll / options.n_test;
      row.oracle_nll += oracle_gp_nll(task, n);
      ++row.tasks;
    }
    total.pfn_nll += row.pfn_nll;
    total.oracle_nll += row.oracle_nll;
    total.tasks += row.tasks;
    row.pfn_nll /= row.tasks;
    row.oracle_nll /= row.tasks;
    rows.push_back(row);
  }
  total.pfn_nll /= total.tasks;
  total.oracle_nll /= total.tasks;
  rows.push_back(total);
  return rows;
}

}  // namespace boex
