// A surrogate whose posterior is given in closed form (mean and variance as smooth functions of
// x), so acquisitions are tested against exact numbers without fitting a GP (BoTorch's MockModel).
#pragma once

#include <functional>

#include "core/errors.h"
#include "surrogates/surrogate.h"

namespace boex::testing {

class FixedSurrogate final : public Surrogate {
 public:
  using Field = std::function<double(const Eigen::VectorXd&, Eigen::VectorXd*)>;  // value, gradient

  FixedSurrogate(int d, Field mean, Field variance) : mean_(std::move(mean)), variance_(std::move(variance)) {
    data_.X.resize(0, d);
  }

  // Constant mean and variance everywhere.
  static FixedSurrogate constant(int d, double mean, double variance) {
    return FixedSurrogate(
        d, [mean](const Eigen::VectorXd& x, Eigen::VectorXd* g) { if (g) g->setZero(x.size()); return mean; },
        [variance](const Eigen::VectorXd& x, Eigen::VectorXd* g) { if (g) g->setZero(x.size()); return variance; });
  }

  std::string name() const override { return "fixed"; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.gaussian_marginals = true;
    c.joint = joint_;
    return c;
  }
  // Declares marginals only, as a PFN or a BNN does (posterior() then refuses, as theirs do).
  FixedSurrogate& without_joint() {
    joint_ = false;
    return *this;
  }
  std::unique_ptr<Surrogate> clone() const override { return std::make_unique<FixedSurrogate>(*this); }
  FitSummary fit(const Dataset&) override { throw InvalidArgument("a FixedSurrogate is not fitted"); }
  const Dataset& data() const override { return data_; }
  double prior_scale() const override { return 1.0; }

  void predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const override {
    if (mean) mean->resize(X.rows());
    if (variance) variance->resize(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      if (mean) (*mean)(i) = mean_(X.row(i).transpose(), nullptr);
      if (variance) (*variance)(i) = variance_(X.row(i).transpose(), nullptr);
    }
  }
  void predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance, Eigen::VectorXd* dmean,
                             Eigen::VectorXd* dvariance) const override {
    *mean = mean_(x, dmean);
    *variance = variance_(x, dvariance);
  }
  Posterior posterior(const Eigen::MatrixXd& X) const override {
    if (!joint_) unsupported("joint posterior");
    Posterior p;
    Eigen::VectorXd v;
    predict(X, &p.mean, &v);
    p.covariance = v.asDiagonal();
    return p;
  }
  double noise_variance() const override { return 0.0; }
  // Independent marginals: no covariance between distinct points.
  std::unique_ptr<CrossCovariance> cross_covariance(const Eigen::MatrixXd& A) const override {
    struct Zero final : CrossCovariance {
      Eigen::Index m = 0;
      void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* cov, Eigen::MatrixXd* dcov) const override {
        cov->setZero(m);
        if (dcov) dcov->setZero(m, x.size());
      }
    };
    auto out = std::make_unique<Zero>();
    out->m = A.rows();
    return out;
  }

 private:
  Dataset data_;
  Field mean_, variance_;
  bool joint_ = true;
};

}  // namespace boex::testing
