// How long a report page takes to open in a real browser: launches headless Chromium, drives it
// over the DevTools protocol on a pipe, and reads back the times the page itself recorded.
#pragma once

#include <string>

namespace boex::bench {

// What one opening of a page measured, in seconds from the moment the browser was launched.
struct PageOpen {
  // The page's document began to load (browser start-up and navigation).
  double navigation_s = 0.0;
  // "Opened": the page says its first screen is drawn and painted (window.boexOpened resolved,
  // report.js) and its script has returned, so it answers input. For a page without that
  // promise (a report from before lazy drawing), once it marks every plot drawn and a frame
  // has been painted after that.
  double opened_s = 0.0;
  // Every plot and the whole trial table drawn (the page's data-rendered).
  double all_drawn_s = 0.0;
  // JavaScript errors the page recorded (window.boexErrors).
  int errors = 0;
};

struct PageOpenOptions {
  // The browser window's size in CSS pixels: what "the first screen" is. Default: a laptop's.
  int width = 1280;
  int height = 800;
  // Give up (an error) when the page has not drawn everything by then.
  double timeout_s = 120.0;
};

// Opens file `page` (an absolute path) in the `chromium` binary and measures it; throws
// boex::StateError when the browser cannot be started, breaks off, or runs past the timeout.
PageOpen open_page(const std::string& chromium, const std::string& page, const PageOpenOptions& options = {});

}  // namespace boex::bench
