// Strict number parsing and round-trip printing, checked against exact decimal expansions and the
// neighbours of doubles (std::nextafter), not against another parser.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/errors.h"
#include "core/parse_number.h"

using namespace boex;
using Catch::Matchers::Contains;

TEST_CASE("parse_double reads decimal numbers exactly, including where a long-double detour rounds twice", "[numbers]") {
  CHECK(parse_double("0.1", "v") == 0.1);
  CHECK(parse_double("-2.5e-3", "v") == -0.0025);
  CHECK(parse_double("+3", "v") == 3.0);
  CHECK(parse_double("1.", "v") == 1.0);
  CHECK(parse_double(".5", "v") == 0.5);
  CHECK(std::signbit(parse_double("-0", "v")));
  CHECK(parse_double("1.7976931348623157e308", "v") == std::numeric_limits<double>::max());
  CHECK(parse_double("4.9406564584124654e-324", "v") == std::numeric_limits<double>::denorm_min());
  // 1 + 2^-53 (exactly halfway between 1 and its successor) plus 1e-40: correctly rounded it is
  // the successor; rounded first to 64 bits and then to 53 (what CLI11 did) it ties down to 1.
  CHECK(parse_double("1.00000000000000011102230246251565404236316680908203125000000000000000000000001", "v") ==
        std::nextafter(1.0, 2.0));
  CHECK(parse_double("1.00000000000000011102230246251565404236316680908203125", "v") == 1.0);  // the tie: even
  CHECK(std::isinf(parse_double("inf", "v")));
  CHECK(std::isnan(parse_double("nan", "v")));
}

TEST_CASE("parse_double refuses empty, partial, hexadecimal and out-of-range text, naming the flag", "[numbers]") {
  for (const char* text : {"", " ", " 1", "1 ", "0x10", "1e", "1,5", "1_0", "--1", "+-1", "++1", "abc", "1e5x"}) {
    INFO("'" << text << "'");
    CHECK_THROWS_AS(parse_double(text, "--value"), InvalidArgument);
    CHECK_THROWS_WITH(parse_double(text, "--value"), Contains("--value"));
  }
  CHECK_THROWS_WITH(parse_double("1e309", "--value"), Contains("beyond the range"));
  CHECK_THROWS_WITH(parse_double("-1e309", "--value"), Contains("beyond the range"));
  CHECK_THROWS_WITH(parse_double("1e-400", "--value"), Contains("beyond the range"));
}

TEST_CASE("integers are decimal and in range: no hex, octal, sign wrap-around or fractions", "[numbers]") {
  CHECK(parse_int64("-9223372036854775808", "t") == std::numeric_limits<std::int64_t>::min());
  CHECK(parse_int64("010", "t") == 10);  // decimal, not octal
  CHECK(parse_uint64("18446744073709551615", "s") == std::numeric_limits<std::uint64_t>::max());
  CHECK(parse_int("+7", "n") == 7);
  CHECK_THROWS_WITH(parse_uint64("-1", "--seed"), Contains("--seed") && Contains("not a decimal integer"));
  CHECK_THROWS_WITH(parse_uint64("18446744073709551616", "--seed"), Contains("out of range"));
  CHECK_THROWS_WITH(parse_int64("9223372036854775808", "--trial"), Contains("out of range"));
  CHECK_THROWS_WITH(parse_int("2147483648", "--n"), Contains("out of range"));
  for (const char* text : {"", "0x10", "1.5", "1e3", "12abc", " 3", "3 "}) {
    INFO("'" << text << "'");
    CHECK_THROWS_AS(parse_int64(text, "--trial"), InvalidArgument);
  }
}

TEST_CASE("comma lists refuse empty items and read each item strictly", "[numbers]") {
  CHECK(parse_double_list("1,2.5,-3", "--target") == std::vector<double>{1.0, 2.5, -3.0});
  CHECK(parse_double_list("4", "--target") == std::vector<double>{4.0});
  for (const char* text : {"", ",", "1,,2", "1,", ",1"})
    CHECK_THROWS_WITH(parse_double_list(text, "--target"), Contains("empty"));
  CHECK_THROWS_WITH(parse_double_list("1,0x2", "--target"), Contains("item 2"));
}

TEST_CASE("format_double prints the shortest text that reads back as the same double", "[numbers]") {
  CHECK(format_double(0.1) == "0.1");
  CHECK(format_double(1e300) == "1e+300");
  CHECK(format_double(-0.0) == "-0");
  const double values[] = {1.0 / 3.0, std::nextafter(1.0, 2.0), std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::max(), 123456789.12345678, -2.5e-10};
  for (double v : values) {
    INFO(v);
    CHECK(parse_double(format_double(v), "v") == v);
  }
}
