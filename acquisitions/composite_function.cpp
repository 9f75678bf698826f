#include "acquisitions/composite_function.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"

namespace boex {

CompositeFunction target_value(std::vector<double> targets) {
  if (targets.empty()) throw InvalidArgument("target_value needs at least one target");
  const Eigen::VectorXd t = Eigen::Map<const Eigen::VectorXd>(targets.data(), static_cast<Eigen::Index>(targets.size()));
  return [t](const Eigen::VectorXd& h, Eigen::VectorXd* gradient) {
    if (h.size() != t.size()) throw InvalidArgument("target_value: outputs and targets differ in number");
    if (gradient) *gradient = -2.0 * (h - t);
    return -(h - t).squaredNorm();
  };
}

CompositeFunction with_numerical_gradient(std::function<double(const Eigen::VectorXd& h)> g) {
  if (!g) throw InvalidArgument("with_numerical_gradient needs a function");
  return [g = std::move(g)](const Eigen::VectorXd& h, Eigen::VectorXd* gradient) {
    if (gradient) {
      gradient->resize(h.size());
      Eigen::VectorXd probe = h;
      for (Eigen::Index k = 0; k < h.size(); ++k) {
        // eps^(1/3) relative steps balance truncation and rounding error of central differences.
        const double step = 6e-6 * std::max(1.0, std::abs(h(k)));
        probe(k) = h(k) + step;
        const double up = g(probe);
        probe(k) = h(k) - step;
        const double down = g(probe);
        probe(k) = h(k);
        (*gradient)(k) = (up - down) / (2.0 * step);
      }
    }
    return g(h);
  };
}

}  // namespace boex
