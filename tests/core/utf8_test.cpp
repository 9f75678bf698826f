// UTF-8 validation against RFC 3629's table and the classic malformed sequences (Markus Kuhn's
// decoder test): every well-formed class is accepted, every ill-formed one refused.
#include <catch2/catch.hpp>
#include <string>

#include "core/errors.h"
#include "core/utf8.h"

using namespace boex;

TEST_CASE("well-formed UTF-8 of every sequence length is valid, edges of the code space included", "[utf8]") {
  for (const std::string& text : {std::string(""), std::string("plain ascii"), std::string("\x7f"),
                                 std::string("\xc2\x80"),           // U+0080, first two-byte
                                 std::string("\xdf\xbf"),           // U+07FF
                                 std::string("\xe0\xa0\x80"),       // U+0800, first three-byte
                                 std::string("\xed\x9f\xbf"),       // U+D7FF, just below the surrogates
                                 std::string("\xee\x80\x80"),       // U+E000, just above
                                 std::string("\xef\xbf\xbf"),       // U+FFFF
                                 std::string("\xf0\x90\x80\x80"),   // U+10000, first four-byte
                                 std::string("\xf4\x8f\xbf\xbf"),   // U+10FFFF, the last code point
                                 std::string("temp\xc3\xa9rature \xe2\x82\xac \xf0\x9f\xa7\xaa")}) {
    INFO(printable(text));
    CHECK(is_valid_utf8(text));
    CHECK(printable(text) == text);
  }
  CHECK(is_valid_utf8(std::string("a\0b", 3)));  // NUL is a character
}

TEST_CASE("ill-formed UTF-8 is refused: stray, overlong, surrogate, beyond U+10FFFF, truncated", "[utf8]") {
  for (const std::string& text : {std::string("\xff"), std::string("\xfe"), std::string("nope\xff"),
                                 std::string("\x80"),                // continuation without a lead
                                 std::string("\xc0\xaf"),            // overlong '/'
                                 std::string("\xc1\xbf"),            // overlong
                                 std::string("\xe0\x80\xaf"),        // overlong three-byte
                                 std::string("\xf0\x80\x80\xaf"),    // overlong four-byte
                                 std::string("\xed\xa0\x80"),        // U+D800, a surrogate
                                 std::string("\xed\xbf\xbf"),        // U+DFFF
                                 std::string("\xf4\x90\x80\x80"),    // U+110000
                                 std::string("\xf5\x80\x80\x80"),    // lead byte beyond the range
                                 std::string("\xc3"),                // truncated at the end
                                 std::string("\xe2\x82"),
                                 std::string("\xe2\x82x"),           // continuation replaced
                                 std::string("\xf0\x9f\xa7")}) {
    INFO(printable(text));
    CHECK_FALSE(is_valid_utf8(text));
  }
}

TEST_CASE("printable escapes exactly the bytes that are not part of well-formed sequences", "[utf8]") {
  CHECK(printable("nope\xff") == "nope\\xff");
  CHECK(printable("\xc3\xa9\xc3") == "\xc3\xa9\\xc3");
  CHECK(printable("\xe2\x82x") == "\\xe2\\x82x");
  CHECK(is_valid_utf8(printable("\xf5\x80\xff\xc0\xaf")));
}

TEST_CASE("require_utf8 names what it checked and shows the bad bytes escaped", "[utf8]") {
  CHECK_NOTHROW(require_utf8("ok \xc3\xa9", "the study name"));
  CHECK_THROWS_AS(require_utf8("bad\xff", "the study name"), InvalidArgument);
  CHECK_THROWS_WITH(require_utf8("bad\xff", "the study name"), "the study name 'bad\\xff' is not valid UTF-8");
}
