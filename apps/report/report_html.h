// The page of `boex report`: one self-contained HTML file (styles, the report's data, its renderer
// and, when this build has it, Plotly's minified JS, all inline) that opens offline, and writing
// it so that a failed write never leaves a half-written report behind.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace boex::report {

// Whether this build embeds Plotly (fetched with npm at configure time). Without it the page
// still shows the study, the best trial, the model's summary and the trial table, and says that
// the plots are missing from this build.
bool has_plotly();

// The page for a report_model() object.
std::string report_html(const nlohmann::json& model);

// Writes `text` to `path` atomically: a temporary file in the same directory, flushed, then
// renamed over the path. Throws InvalidArgument naming the path (and the system's reason) when
// it cannot be written; nothing is left behind then.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace boex::report
