#include "core/parse_number.h"

#include <charconv>
#include <limits>
#include <system_error>

#include "core/errors.h"
#include "core/utf8.h"

namespace boex {
namespace {

std::string quoted(std::string_view text) { return "'" + printable(text) + "'"; }

// from_chars takes no '+'; people do ("+3").
std::string_view without_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') return text.substr(1);
  return text;
}

template <class T>
T parse_integer(std::string_view text, const std::string& what) {
  const std::string_view digits = without_plus(text);
  T value{};
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 10);
  if (ec == std::errc::result_out_of_range)
    throw InvalidArgument(what + " = " + quoted(text) + " is out of range (" +
                          std::to_string(std::numeric_limits<T>::min()) + " to " +
                          std::to_string(std::numeric_limits<T>::max()) + ")");
  if (text.empty() || ec != std::errc() || end != digits.data() + digits.size())
    throw InvalidArgument(what + " = " + quoted(text) + " is not a decimal integer");
  return value;
}

}  // namespace

double parse_double(std::string_view text, const std::string& what) {
  const std::string_view number = without_plus(text);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec == std::errc::result_out_of_range)
    throw InvalidArgument(what + " = " + quoted(text) + " is beyond the range of a double (about 1e-324 to 1.8e308)");
  if (text.empty() || ec != std::errc() || end != number.data() + number.size())
    throw InvalidArgument(what + " = " + quoted(text) + " is not a decimal number");
  return value;
}

std::int64_t parse_int64(std::string_view text, const std::string& what) {
  return parse_integer<std::int64_t>(text, what);
}

std::uint64_t parse_uint64(std::string_view text, const std::string& what) {
  return parse_integer<std::uint64_t>(text, what);
}

int parse_int(std::string_view text, const std::string& what) { return parse_integer<int>(text, what); }

std::vector<double> parse_double_list(std::string_view text, const std::string& what) {
  std::vector<double> out;
  for (std::size_t start = 0;;) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty())
      throw InvalidArgument(what + " = " + quoted(text) + ": item " + std::to_string(out.size() + 1) +
                            " is empty (give comma-separated numbers)");
    out.push_back(parse_double(item, what + " item " + std::to_string(out.size() + 1)));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::string format_double(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

}  // namespace boex
