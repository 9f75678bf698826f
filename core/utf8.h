// UTF-8 checks for text that comes from users (names, choices, attribute keys): every name boex
// stores or prints in JSON must be valid UTF-8, so a bad byte is refused where it comes in.
#pragma once

#include <string>
#include <string_view>

namespace boex {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF, no truncated sequence).
bool is_valid_utf8(std::string_view text);

// `text` with every byte that is not part of well-formed UTF-8 written as \xNN, for messages.
std::string printable(std::string_view text);

// Throws InvalidArgument "<what> '<printable text>' is not valid UTF-8" unless it is.
void require_utf8(std::string_view text, const std::string& what);

}  // namespace boex
