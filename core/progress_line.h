// A one-line progress display for a person waiting on a terminal: done/total, the best value so
// far and an estimate of the time left, redrawn in place. Silent when the stream is not a
// terminal (piped or redirected output stays clean).
#pragma once

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

namespace boex {

class ProgressLine {
 public:
  // `label` starts the line ("runs", "trials"); `best_label` names the best value ("best",
  // "best gap"). Draws only when `stream` is a terminal, unless `enabled` says otherwise.
  ProgressLine(std::string label, int total, std::string best_label = "best", std::FILE* stream = stderr,
               std::optional<bool> enabled = std::nullopt);
  ~ProgressLine();  // ends the line if it was drawn and not finished

  bool enabled() const { return enabled_; }
  // Redraws the line: `done` of the total, with the best value when there is one.
  void update(int done, std::optional<double> best = std::nullopt);
  // Ends the line with a newline (once).
  void finish();
  // Writes `text` and a newline to `out` above the live line: the line is cleared first and
  // redrawn after, so a log of items and the progress share one terminal. Just the text when the
  // line is not drawn.
  void print_above(std::FILE* out, const std::string& text);

  // The line's text: "12/40 runs  best gap 0.0132  elapsed 8s  ETA 19s" (ETA from the mean time
  // per item so far; absent before the first item).
  static std::string format(const std::string& label, int done, int total, const std::string& best_label,
                            std::optional<double> best, double elapsed_seconds);

 private:
  std::string label_, best_label_;
  int total_ = 0;
  std::FILE* stream_ = nullptr;
  bool enabled_ = false, open_ = false;
  std::string last_line_;
  std::chrono::steady_clock::time_point start_;
};

// "42s", "3m07s", "2h05m": a duration for a person.
std::string format_duration(double seconds);

}  // namespace boex
