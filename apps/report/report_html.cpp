#include "apps/report/report_html.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "apps/report/report_assets.h"
#include "core/errors.h"

namespace boex::report {
namespace {

// Text placed inside a <script> element must not close it early.
std::string script_safe(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Runs before anything else on the page: every uncaught error and console.error lands in an
// element of the DOM, so a headless browser's DOM dump shows whether the page broke.
constexpr const char* kConsoleHook = R"(
window.boexErrors = [];
(function () {
  function record(message) {
    window.boexErrors.push(String(message));
    var sink = document.getElementById('boex-console');
    if (sink) { sink.setAttribute('data-errors', String(window.boexErrors.length)); sink.textContent = window.boexErrors.join('\n'); }
  }
  window.addEventListener('error', function (e) { record('error: ' + e.message); });
  window.addEventListener('unhandledrejection', function (e) { record('rejection: ' + e.reason); });
  var original = console.error;
  console.error = function () { record('console.error: ' + Array.prototype.join.call(arguments, ' ')); original.apply(console, arguments); };
})();
)";

}  // namespace

bool has_plotly() { return plotly_js().size() > 0; }

std::string report_html(const nlohmann::json& model) {
  const std::string title = "boex report: " + model.at("study").at("name").get<std::string>();
  std::string page;
  const std::string_view plotly = plotly_js();
  page.reserve(plotly.size() + 1024 * 1024);
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
  page += html_escape(title);
  page += "</title>\n<style>\n";
  page += report_css();
  page += "</style>\n<script>";
  page += kConsoleHook;
  page += "</script>\n";
  if (!plotly.empty()) {
    page += "<script>\n";
    page += plotly;  // checked at build time to hold no "</script"
    page += "\n</script>\n";
  }
  page += "</head>\n<body>\n<main id=\"boex-report\"><h1>";
  page += html_escape(title);
  page += "</h1><noscript>This report draws itself with JavaScript; enable it to see the study.</noscript></main>\n";
  page += "<pre id=\"boex-console\" data-errors=\"0\"></pre>\n";
  page += "<script type=\"application/json\" id=\"boex-data\">";
  page += script_safe(model.dump());
  page += "</script>\n<script>\n";
  page += report_js();
  page += "\n</script>\n</body>\n</html>\n";
  return page;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  const auto fail = [&](const std::string& what, int error) {
    ::unlink(temporary.c_str());
    throw InvalidArgument("cannot write the report to '" + path + "': " + what + " (" + std::strerror(error) + ")");
  };
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw InvalidArgument("cannot write the report to '" + path + "' (" + std::strerror(errno) + ")");
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      fail("write failed", error);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) fail("flush failed", errno);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("rename failed", errno);
}

}  // namespace boex::report
