// A Catch2 matcher for boex errors whose message contains some words, so a test can check the kind
// of error and that its message names the problem in one CHECK_THROWS_MATCHES.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "core/errors.h"

namespace boex::testing {

class MessageContains : public Catch::MatcherBase<boex::Error> {
 public:
  explicit MessageContains(std::string words) : words_(std::move(words)) {}
  bool match(const boex::Error& e) const override { return std::string(e.what()).find(words_) != std::string::npos; }
  std::string describe() const override { return "has a message containing \"" + words_ + "\""; }

 private:
  std::string words_;
};

}  // namespace boex::testing
