// The progress line: its text, its ETA, and its silence when the stream is not a terminal.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "core/progress_line.h"

using boex::ProgressLine;

namespace {

std::string contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  for (int c; (c = std::fgetc(file)) != EOF;) text += static_cast<char>(c);
  return text;
}

}  // namespace

TEST_CASE("progress line: done/total, best and an ETA from the mean time per item", "[progress]") {
  // 5 of 10 after 10 s: 2 s per item, 5 items left.
  CHECK(ProgressLine::format("runs", 5, 10, "best gap", 0.25, 10.0) == "5/10 runs  best gap 0.25  elapsed 10s  ETA 10s");
  // No ETA before the first item or after the last; no best before there is one.
  CHECK(ProgressLine::format("trials", 0, 3, "best", std::nullopt, 1.0) == "0/3 trials  elapsed 1s");
  CHECK(ProgressLine::format("trials", 3, 3, "best", -1.5, 200.0) == "3/3 trials  best -1.5  elapsed 3m20s");
  CHECK(boex::format_duration(187.0) == "3m07s");
  CHECK(boex::format_duration(7500.0) == "2h05m");
  CHECK(boex::format_duration(-1.0) == "?");
}

TEST_CASE("progress line: silent on a stream that is not a terminal, redrawn in place when enabled", "[progress]") {
  std::FILE* piped = std::tmpfile();
  REQUIRE(piped);
  {
    ProgressLine line("runs", 4, "best", piped);  // a file is not a terminal: quiet by default
    CHECK_FALSE(line.enabled());
    line.update(1, 2.0);
    line.finish();
  }
  CHECK(contents(piped).empty());
  std::fclose(piped);

  std::FILE* shown = std::tmpfile();
  REQUIRE(shown);
  {
    ProgressLine line("runs", 2, "best", shown, true);
    line.update(1, 2.0);
    line.update(2, 1.0);
  }  // the destructor ends the line
  const std::string text = contents(shown);
  CHECK(text.rfind("\r1/2 runs  best 2  elapsed ", 0) == 0);
  CHECK(text.find("ETA ") != std::string::npos);
  CHECK(text.find("\r2/2 runs  best 1  elapsed ") != std::string::npos);
  CHECK(text.back() == '\n');
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
  std::fclose(shown);
}

TEST_CASE("progress line: log lines printed above it clear it and redraw it; plain when it is not drawn", "[progress]") {
  std::FILE* shown = std::tmpfile();
  REQUIRE(shown);
  {
    ProgressLine line("trials", 3, "best", shown, true);
    line.print_above(shown, "before any update");
    line.update(1, 2.0);
    line.print_above(shown, "trial 1");
  }
  const std::string text = contents(shown);
  const std::string first = "\r1/3 trials  best 2  elapsed ";
  REQUIRE(text.rfind("before any update\n" + first, 0) == 0);
  const std::size_t drawn_end = text.find("\r", first.size());
  const std::string drawn = text.substr(18 + 1, drawn_end - 19);  // the line as drawn, after its \r
  // Cleared with as many blanks as it had, the log line, then the same line again.
  CHECK(text.substr(drawn_end) == "\r" + std::string(drawn.size(), ' ') + "\rtrial 1\n" + drawn + "\n");
  std::fclose(shown);

  std::FILE* piped = std::tmpfile();
  REQUIRE(piped);
  ProgressLine quiet("trials", 3, "best", piped);
  quiet.update(1, 2.0);
  quiet.print_above(piped, "trial 1");
  CHECK(contents(piped) == "trial 1\n");
  std::fclose(piped);
}
