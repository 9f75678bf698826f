#include "engine/multi_fidelity.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/errors.h"
#include "surrogates/exact_gp.h"

namespace boex {
namespace {

constexpr const char* kCostKey = "cost";

nlohmann::json parse_settings(const std::string& settings) {
  if (settings.empty()) return nlohmann::json::object();
  nlohmann::json doc = nlohmann::json::parse(settings, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) throw SchemaError("study settings are not a JSON object: " + settings);
  return doc;
}

}  // namespace

void AffineCost::validate(const SearchSpace& space) const {
  if (!std::isfinite(fixed)) throw InvalidArgument("cost: 'fixed' must be a finite number");
  if (!std::isfinite(weight)) throw InvalidArgument("cost: 'weight' must be a finite number");
  if (!space.fidelity_index())
    throw InvalidArgument("cost: a declared cost is affine in the fidelity, and the search space has no fidelity "
                          "parameter (\"fidelity\": true)");
  const Parameter& p = space.parameters()[static_cast<std::size_t>(*space.fidelity_index())];
  for (double s : {p.low, p.high}) {
    if (!(at(s) > 0.0)) {
      std::ostringstream os;
      os << "cost: fixed + weight * " << p.name << " = " << fixed << " + " << weight << " * " << s << " = " << at(s)
         << " at " << p.name << " = " << s << "; an experiment must cost more than 0 over the fidelity's range";
      throw InvalidArgument(os.str());
    }
  }
}

std::optional<AffineCost> cost_from_settings(const std::string& settings) {
  const nlohmann::json doc = parse_settings(settings);
  auto it = doc.find(kCostKey);
  if (it == doc.end()) return std::nullopt;
  if (!it->is_object() || !it->contains("fixed") || !it->contains("weight") || !(*it)["fixed"].is_number() ||
      !(*it)["weight"].is_number())
    throw SchemaError("study settings: 'cost' must be {\"fixed\": number, \"weight\": number}, got " + it->dump());
  return AffineCost{(*it)["fixed"].get<double>(), (*it)["weight"].get<double>()};
}

std::string settings_with_cost(const std::string& settings, const AffineCost& cost) {
  nlohmann::json doc = parse_settings(settings);
  doc[kCostKey] = {{"fixed", cost.fixed}, {"weight", cost.weight}};
  return doc.dump();
}

void validate_cost(double cost) {
  if (!std::isfinite(cost) || cost < 0.0)
    throw InvalidArgument("the cost must be a finite number >= 0, got " + nlohmann::json(cost).dump());
}

FidelityColumn fidelity_column(const SearchSpace& space) {
  const Parameter& p = space.parameters()[static_cast<std::size_t>(space.fidelity_index().value())];
  FidelityColumn f;
  f.column = space.fidelity_column();
  f.target = space.fidelity_target();
  f.levels = p.type == ParameterType::kInt ? static_cast<int>(p.high - p.low) + 1 : 0;
  return f;
}

CostFunction cost_function(const SearchSpace& space, const std::optional<AffineCost>& declared, const Eigen::MatrixXd& X,
                           const Eigen::VectorXd& costs, std::uint64_t seed) {
  if (declared) {
    // The fidelity's value is linear in its column: s = low + u (high - low).
    const Parameter& p = space.parameters()[static_cast<std::size_t>(space.fidelity_index().value())];
    const int column = space.fidelity_column();
    return [cost = *declared, column, low = p.low, span = p.high - p.low](const Eigen::VectorXd& x, Eigen::VectorXd* gradient) {
      if (gradient) {
        gradient->setZero(x.size());
        (*gradient)(column) = cost.weight * span;
      }
      return cost.at(low + std::clamp(x(column), 0.0, 1.0) * span);
    };
  }
  std::vector<Eigen::Index> told;
  for (Eigen::Index i = 0; i < costs.size(); ++i)
    if (std::isfinite(costs(i))) told.push_back(i);
  if (told.empty())
    return [](const Eigen::VectorXd& x, Eigen::VectorXd* gradient) {
      if (gradient) gradient->setZero(x.size());
      return 1.0;
    };
  Eigen::MatrixXd Xc(static_cast<Eigen::Index>(told.size()), X.cols());
  Eigen::VectorXd log_cost(Xc.rows());
  // A free experiment has no logarithm: floor it a million times below the dearest one.
  double largest = 1e-300;
  for (Eigen::Index i : told) largest = std::max(largest, costs(i));
  for (std::size_t r = 0; r < told.size(); ++r) {
    Xc.row(static_cast<Eigen::Index>(r)) = X.row(told[r]);
    log_cost(static_cast<Eigen::Index>(r)) = std::log(std::max(costs(told[r]), 1e-6 * largest));
  }
  ExactGP::Options options;
  options.seed = seed;
  auto model = std::make_shared<ExactGP>(options);
  model->fit(Xc, log_cost);
  return [model](const Eigen::VectorXd& x, Eigen::VectorXd* gradient) {
    double mean = 0.0, variance = 0.0;
    Eigen::VectorXd dmean;
    model->predict_with_gradient(x, &mean, &variance, gradient ? &dmean : nullptr, nullptr);
    const double cost = std::exp(mean);
    if (gradient) *gradient = cost * dmean;
    return cost;
  };
}

}  // namespace boex
