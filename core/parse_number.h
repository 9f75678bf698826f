// Numbers from text as people type them (command-line flags, stored attributes): the whole text,
// decimal only, correctly rounded (std::from_chars), so '' is never 0, '0x10' never 16 and
// '1e309' never infinity; and doubles printed so that they read back bit for bit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace boex {

// A decimal floating-point number ("0.1", "-2.5e-3", "inf", "nan"; an optional leading '+').
// Throws InvalidArgument naming `what` for an empty text, trailing characters, hexadecimal, or a
// number beyond the range of a double (overflow, or underflow past the smallest subnormal).
double parse_double(std::string_view text, const std::string& what);
// Decimal integers; InvalidArgument naming `what` outside the type's range (a '-' is refused by
// parse_uint64).
std::int64_t parse_int64(std::string_view text, const std::string& what);
std::uint64_t parse_uint64(std::string_view text, const std::string& what);
int parse_int(std::string_view text, const std::string& what);
// "1,2.5,-3": comma-separated parse_double items; an empty item ("1,,2", "1,") is refused.
std::vector<double> parse_double_list(std::string_view text, const std::string& what);

// The shortest decimal text that reads back as exactly `value` ("0.1", "1e+300", "inf", "nan").
std::string format_double(double value);

}  // namespace boex
