// The PFN as a boex surrogate: "fitting" is one forward pass of the pre-trained transformer over
// the study's data (PFNs4BO), and every acquisition quantity comes from its bar distribution.
//
// Units. The network sees t = T(y), T a Yeo-Johnson transform fitted by maximum likelihood and
// standardised (or a linear standardisation), and predicts a bar distribution over t. Because T is
// increasing, probabilities and quantiles are exact in the data's units: P(y > a) = P(t > T(a)),
// q_y = T^-1(q_t). Expected improvement is taken in t, over the transformed incumbent T(best), as
// PFNs4BO does: E[(t - T(best))+] ranks candidates like the data-unit EI wherever T is near linear
// and is what the network was trained to represent. The moments predict() returns are those of
// T^-1(t): each bucket's mean and variance mapped through T^-1 to second order (exact when T is
// linear). Known noise variances are not used: the network's prior has its own noise level.
//
// The network has limits: at most max_features encoded columns and max_train_points observations
// (pfn-v1: 6 and 100). Beyond them fit() refuses with a message that says so.
#pragma once

#include <memory>

#include "core/power_transform.h"
#include "surrogates/pfn_options.h"
#include "surrogates/surrogate.h"

namespace boex {

class BarDistribution;
class PfnModel;
class PfnConditioned;

class PfnSurrogate final : public Surrogate {
 public:
  using Options = PfnSurrogateOptions;

  PfnSurrogate();
  explicit PfnSurrogate(Options options);
  ~PfnSurrogate() override;
  PfnSurrogate(const PfnSurrogate&);
  PfnSurrogate& operator=(const PfnSurrogate&);

  std::string name() const override { return "pfn"; }
  Capabilities capabilities() const override { return pfn_capabilities(); }
  std::unique_ptr<Surrogate> clone() const override { return std::make_unique<PfnSurrogate>(*this); }
  FitSummary fit(const Dataset& data) override;
  const Dataset& data() const override { return data_; }

  void predict(const Eigen::MatrixXd& X, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const override;
  void predict_with_gradient(const Eigen::VectorXd& x, double* mean, double* variance, Eigen::VectorXd* dmean,
                             Eigen::VectorXd* dvariance) const override;
  // The bar distribution includes the observation noise the network inferred; it has no separate
  // noise estimate.
  double noise_variance() const override { return 0.0; }
  double prior_scale() const override { return y_scale_; }
  // Keeps the fitted transform and appends the new points (believed pending trials): one more
  // forward pass, no refit of T.
  std::unique_ptr<Surrogate> condition_on(const Eigen::MatrixXd& X_new, const Eigen::VectorXd& y_new) const override;

  double log_expected_improvement(const Eigen::VectorXd& x, double best, Eigen::VectorXd* gradient) const override;
  Eigen::VectorXd log_expected_improvements(const Eigen::MatrixXd& X, double best,
                                           Eigen::MatrixXd* gradients = nullptr) const override;
  double log_probability_above(const Eigen::VectorXd& x, double threshold, Eigen::VectorXd* gradient) const override;
  double log_probability_below(const Eigen::VectorXd& x, double threshold, Eigen::VectorXd* gradient) const override;
  Eigen::VectorXd log_probabilities_below(const Eigen::MatrixXd& X, double threshold,
                                        Eigen::MatrixXd* gradients = nullptr) const override;
  double quantile(const Eigen::VectorXd& x, double level, Eigen::VectorXd* gradient) const override;
  Eigen::VectorXd quantiles(const Eigen::MatrixXd& X, double level, Eigen::MatrixXd* gradients = nullptr) const override;

  // The fitted output transform T (identity before fit).
  const PowerTransform& output_transform() const { return transform_; }
  // The loaded network (after fit).
  const PfnModel& model() const { return *model_; }

 private:
  // Conditions the network on data_ with t_ = T(data_.y) and maps the buckets to data units.
  void condition();
  // The value of a per-point functional f(bar, z, dz) of the logits z (bar: the distribution in
  // t; its gradient df/dz in *dz), and d f / d x through the network when `gradient` is set.
  template <class Functional>
  double at_point(const Eigen::VectorXd& x, Eigen::VectorXd* gradient, Functional f) const;
  // f(bar, z, dz) at every row of X from one batched forward pass (bar: the distribution in t),
  // and with `gradients` d f / d x of every row from one backward pass.
  template <class Functional>
  Eigen::VectorXd over_rows(const Eigen::MatrixXd& X, Eigen::MatrixXd* gradients, Functional f) const;
  // T^-1(t), extended linearly past the transform's range (a Yeo-Johnson lambda < 0 bounds t).
  double to_data_units(double t, double* dy_dt) const;

  Options options_;
  std::shared_ptr<const PfnModel> model_;
  std::shared_ptr<const PfnConditioned> conditioned_;
  Dataset data_;
  PowerTransform transform_;
  Eigen::VectorXd t_;                           // T(data_.y)
  double y_scale_ = 1.0;                        // standard deviation of the data's y
  Eigen::VectorXd bucket_mean_, bucket_second_;  // per bucket, in data units
};

}  // namespace boex
