#include "core/progress_line.h"

#include <unistd.h>

#include <cmath>

namespace boex {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0.0) return "?";
  const long s = std::lround(seconds);
  char text[32];
  if (s < 60) std::snprintf(text, sizeof(text), "%lds", s);
  else if (s < 3600) std::snprintf(text, sizeof(text), "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(text, sizeof(text), "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  return text;
}

ProgressLine::ProgressLine(std::string label, int total, std::string best_label, std::FILE* stream,
                           std::optional<bool> enabled)
    : label_(std::move(label)), best_label_(std::move(best_label)), total_(total), stream_(stream),
      enabled_(enabled ? *enabled : (stream && ::isatty(::fileno(stream)))), start_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() {
  if (open_) finish();
}

std::string ProgressLine::format(const std::string& label, int done, int total, const std::string& best_label,
                                 std::optional<double> best, double elapsed_seconds) {
  std::string line = std::to_string(done) + "/" + std::to_string(total) + " " + label;
  if (best && std::isfinite(*best)) {
    char value[32];
    std::snprintf(value, sizeof(value), "%.6g", *best);
    line += "  " + best_label + " " + value;
  }
  line += "  elapsed " + format_duration(elapsed_seconds);
  if (done > 0 && done < total) line += "  ETA " + format_duration(elapsed_seconds / done * (total - done));
  return line;
}

void ProgressLine::update(int done, std::optional<double> best) {
  if (!enabled_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::string line = format(label_, done, total_, best_label_, best, elapsed);
  // Pad over a longer previous line; \r returns to its start.
  const std::size_t pad = last_line_.size() > line.size() ? last_line_.size() - line.size() : 0;
  std::fprintf(stream_, "\r%s%s", line.c_str(), std::string(pad, ' ').c_str());
  std::fflush(stream_);
  last_line_ = line;
  open_ = true;
}

void ProgressLine::print_above(std::FILE* out, const std::string& text) {
  if (open_) {
    std::fprintf(stream_, "\r%s\r", std::string(last_line_.size(), ' ').c_str());
    std::fflush(stream_);
  }
  std::fprintf(out, "%s\n", text.c_str());
  std::fflush(out);
  if (open_) {
    std::fprintf(stream_, "%s", last_line_.c_str());
    std::fflush(stream_);
  }
}

void ProgressLine::finish() {
  if (!enabled_ || !open_) return;
  std::fprintf(stream_, "\n");
  std::fflush(stream_);
  open_ = false;
}

}  // namespace boex
