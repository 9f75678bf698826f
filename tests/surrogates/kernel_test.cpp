#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "surrogates/kernel.h"

using namespace boex;

TEST_CASE("every registered kernel is 1 at r = 0, decreasing, with a derivative matching finite differences",
          "[kernel]") {
  for (const std::string& name : kernel_names()) {
    INFO(name);
    const auto k = make_kernel(name);
    CHECK(k->value(0.0) == Approx(1.0));
    double previous = 1.0;
    for (double r2 = 0.05; r2 < 20; r2 *= 1.7) {
      const double h = 1e-6 * r2;
      CHECK(k->derivative(r2) == Approx((k->value(r2 + h) - k->value(r2 - h)) / (2 * h)).epsilon(1e-6));
      CHECK(k->value(r2) < previous);
      previous = k->value(r2);
    }
    CHECK(std::isfinite(k->derivative(0.0)));
  }
}

TEST_CASE("Matern-5/2 takes its closed form value", "[kernel]") {
  const auto k = make_kernel("matern52");
  const double r = 0.7;
  CHECK(k->value(r * r) == Approx((1 + std::sqrt(5.0) * r + 5 * r * r / 3) * std::exp(-std::sqrt(5.0) * r)));
  CHECK(k->derivative(0.0) == Approx(-5.0 / 6.0));
}

TEST_CASE("an unknown kernel name lists the known ones", "[kernel]") {
  CHECK_THROWS_WITH(make_kernel("periodic"), Catch::Matchers::Contains("matern52") && Catch::Matchers::Contains("rbf"));
}
