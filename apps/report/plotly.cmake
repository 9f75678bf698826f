# Plotly for `boex report`, fetched once with npm into the build tree at configure time (a pinned
# version; the page inlines it, so reports open offline and nothing is loaded from a CDN). The
# cartesian bundle has every trace type the page draws (scatter, bar, contour) at a third of the
# full bundle's size, which a browser must parse before the page shows (its MIT notice stays at
# the top of the inlined file). Without
# npm, or offline on a first configure, boex still builds and its reports say that plots are
# missing from this build: set BOEX_REPORT_REQUIRE_PLOTLY=ON to make that an error instead.
option(BOEX_REPORT_REQUIRE_PLOTLY "Fail the configure when Plotly cannot be fetched with npm" OFF)
set(BOEX_PLOTLY_PACKAGE plotly.js-cartesian-dist-min)
set(BOEX_PLOTLY_VERSION 4.1.1)
set(plotly_prefix ${PROJECT_BINARY_DIR}/npm)
set(BOEX_PLOTLY_JS ${plotly_prefix}/node_modules/${BOEX_PLOTLY_PACKAGE}/plotly-cartesian.min.js)
set(plotly_stamp ${plotly_prefix}/${BOEX_PLOTLY_PACKAGE}-${BOEX_PLOTLY_VERSION}.stamp)
if(NOT EXISTS ${plotly_stamp})
  find_program(NPM_EXECUTABLE npm)
  if(NPM_EXECUTABLE)
    message(STATUS "boex: fetching ${BOEX_PLOTLY_PACKAGE}@${BOEX_PLOTLY_VERSION} with npm for reports")
    file(MAKE_DIRECTORY ${plotly_prefix})
    execute_process(COMMAND ${NPM_EXECUTABLE} install --prefix ${plotly_prefix} --no-audit --no-fund
                            --no-save --silent ${BOEX_PLOTLY_PACKAGE}@${BOEX_PLOTLY_VERSION}
                    RESULT_VARIABLE npm_result OUTPUT_QUIET ERROR_VARIABLE npm_error TIMEOUT 300)
    if(npm_result EQUAL 0 AND EXISTS ${BOEX_PLOTLY_JS})
      file(READ ${BOEX_PLOTLY_JS} plotly_text)
      string(FIND "${plotly_text}" "</script" closing)
      if(closing EQUAL -1)  # inlined in a <script> element, which that would close
        file(WRITE ${plotly_stamp} "${BOEX_PLOTLY_VERSION}\n")
      endif()
      unset(plotly_text)
    else()
      string(REGEX REPLACE "\n.*" "" npm_error "${npm_error}")
      message(STATUS "boex: npm failed (${npm_error})")
    endif()
  endif()
endif()
if(EXISTS ${plotly_stamp})
  set(BOEX_HAVE_PLOTLY ON)
  message(STATUS "boex: reports embed ${BOEX_PLOTLY_PACKAGE} ${BOEX_PLOTLY_VERSION}")
elseif(BOEX_REPORT_REQUIRE_PLOTLY)
  message(FATAL_ERROR "boex: Plotly could not be fetched with npm (install nodejs and npm, be online once)")
else()
  set(BOEX_HAVE_PLOTLY OFF)
  message(WARNING "boex: Plotly could not be fetched with npm (install nodejs and npm): `boex report` "
                  "writes pages without plots")
endif()

add_library(boex_report report/report_assets.cpp report/report_html.cpp report/report_model.cpp)
target_link_libraries(boex_report PUBLIC boex_engine)
set(report_assets ${CMAKE_CURRENT_SOURCE_DIR}/report/report.css ${CMAKE_CURRENT_SOURCE_DIR}/report/report.js)
target_compile_definitions(boex_report PRIVATE BOEX_REPORT_CSS="${CMAKE_CURRENT_SOURCE_DIR}/report/report.css"
                           BOEX_REPORT_JS="${CMAKE_CURRENT_SOURCE_DIR}/report/report.js")
if(BOEX_HAVE_PLOTLY)
  target_compile_definitions(boex_report PRIVATE BOEX_PLOTLY_JS="${BOEX_PLOTLY_JS}")
  list(APPEND report_assets ${BOEX_PLOTLY_JS})
endif()
set_source_files_properties(report/report_assets.cpp PROPERTIES OBJECT_DEPENDS "${report_assets}")
