#include <catch2/catch.hpp>

#include "core/errors.h"
#include "support/error_matchers.h"
#include "fits/csv_columns.h"
#include "support/scaling_datasets.h"

using boex::fits::csv_columns;

TEST_CASE("CSV columns are picked by header name, with quoted fields, blank lines and CRLF endings") {
  const std::string text = "name,N, loss ,note\r\n\"a, b\",1e9,2.5,\"say \"\"hi\"\"\"\r\n\nc,2e9, 2.25 ,x\r\n";
  const auto c = csv_columns(text, {"loss", "N"});
  REQUIRE(c.size() == 2);
  CHECK(c[0] == std::vector<double>{2.5, 2.25});
  CHECK(c[1] == std::vector<double>{1e9, 2e9});
}

TEST_CASE("CSV problems are refused naming the column and line") {
  const auto refused = [](const std::string& text, const std::string& words) {
    CHECK_THROWS_MATCHES(csv_columns(text, {"N", "loss"}), boex::InvalidArgument, boex::testing::MessageContains(words));
  };
  refused("N,L\n1,2\n", "no column 'loss'");
  refused("N,loss\n1,2\n3\n", "line 3: the row is too short");
  refused("N,loss\n1,nan\n", "column 'loss', CSV line 2: 'nan' is not a finite number");
  refused("N,loss\n1,2x\n", "'2x' is not a finite number");
  refused("N,loss\n,2\n", "column 'N', CSV line 2");
  refused("", "no header");
  refused("N,loss\n\"1,2\n", "unterminated quote");
  CHECK_THROWS_MATCHES(boex::fits::csv_file_columns("/nonexistent/file.csv", {"N"}), boex::InvalidArgument,
                       boex::testing::MessageContains("cannot read"));
}

TEST_CASE("The shipped data sets load in full: 245 Chinchilla points and 1911 Step Law runs") {
  const auto chinchilla = boex::testing::epoch_chinchilla_points();
  CHECK(chinchilla.size() == 245);
  chinchilla.validate(1);
  // Section 5.3's ranges: N 5.7e7-1.6e10, D 2.5e8-3.2e11 (D = FLOP / 6N), loss 2.077-5.006.
  const auto [n_lo, n_hi] = std::minmax_element(chinchilla.N.begin(), chinchilla.N.end());
  const auto [d_lo, d_hi] = std::minmax_element(chinchilla.D.begin(), chinchilla.D.end());
  CHECK(*n_lo > 5.6e7);
  CHECK(*n_hi < 1.7e10);
  CHECK(*d_lo > 2.4e8);
  CHECK(*d_hi < 3.3e11);
  const auto steps = boex::testing::step_law_runs();
  CHECK(steps.size() == 1911);
  steps.validate();
}
