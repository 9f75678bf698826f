// The cheap, known function g of a composite objective g(h(x)) (Astudillo and Frazier 2019): h are
// measured outputs with a model each, g turns them into the utility to maximise.
#pragma once

#include <Eigen/Dense>
#include <functional>
#include <vector>

namespace boex {

// g(h) to maximise, writing dg/dh (m values) into gradient when it is non-null.
using CompositeFunction = std::function<double(const Eigen::VectorXd& h, Eigen::VectorXd* gradient)>;

// -sum_k (h_k - target_k)^2: the measured outputs should hit their targets.
CompositeFunction target_value(std::vector<double> targets);

// A g known only by its value: dg/dh by central differences (2m extra calls of g per gradient).
CompositeFunction with_numerical_gradient(std::function<double(const Eigen::VectorXd& h)> g);

}  // namespace boex
