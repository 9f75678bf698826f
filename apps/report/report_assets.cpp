#include "apps/report/report_assets.h"

// The assets are assembled in with .incbin (GNU as): no multi-megabyte string literal for the
// compiler to parse. CMake passes their paths and makes this file depend on them.
#define BOEX_EMBED(symbol, path)                                       \
  asm(".section .rodata\n"                                             \
      ".global " #symbol "_begin\n" #symbol "_begin:\n"                \
      ".incbin \"" path "\"\n"                                         \
      ".global " #symbol "_end\n" #symbol "_end:\n"                    \
      ".previous\n");                                                  \
  extern "C" const char symbol##_begin[];                              \
  extern "C" const char symbol##_end[];

BOEX_EMBED(boex_report_css, BOEX_REPORT_CSS)
BOEX_EMBED(boex_report_js, BOEX_REPORT_JS)
#ifdef BOEX_PLOTLY_JS
BOEX_EMBED(boex_plotly_js, BOEX_PLOTLY_JS)
#endif

namespace boex::report {

std::string_view report_css() { return {boex_report_css_begin, static_cast<std::size_t>(boex_report_css_end - boex_report_css_begin)}; }
std::string_view report_js() { return {boex_report_js_begin, static_cast<std::size_t>(boex_report_js_end - boex_report_js_begin)}; }
std::string_view plotly_js() {
#ifdef BOEX_PLOTLY_JS
  return {boex_plotly_js_begin, static_cast<std::size_t>(boex_plotly_js_end - boex_plotly_js_begin)};
#else
  return {};
#endif
}

}  // namespace boex::report
