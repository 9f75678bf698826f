// The files the report page inlines, compiled into the program (report_assets.cpp) so that an
// installed boex needs nothing beside itself: the page's styles and renderer, and Plotly.
#pragma once

#include <string_view>

namespace boex::report {

std::string_view report_css();
std::string_view report_js();
// Empty when this build has no Plotly (npm was unavailable at configure time).
std::string_view plotly_js();

}  // namespace boex::report
