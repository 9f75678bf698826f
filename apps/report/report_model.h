// What `boex report` shows, as data: a study snapshot reduced to the series the page plots
// (history, best so far, parallel coordinates, feasibility, learning curves, the trial table) plus
// a GP fitted to it for posterior slices and parameter importance. report_html.h renders it.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/trial.h"
#include "storage/storage.h"

namespace boex::report {

struct ReportOptions {
  // Largest number of trials the report's GP is fitted to: the best quarter of them by value and
  // an even spread over the rest. An exact GP costs O(n^3), and a 10,000-trial study must still
  // report in about a second; 300 points pin a posterior slice down well.
  int max_model_points = 300;
  // Points of each one-parameter slice (continuous parameters; integers use each value up to this
  // many) and per axis of the two-parameter slice.
  int slice_points = 60;
  int contour_points = 30;
  // A sequence of at most this many sites gets a slice per site (a bar per letter); longer ones,
  // whose pages would be all bars, get none.
  int max_sequence_slices = 8;
  // Starts of the GP's hyperparameter fit (ExactGP::Options::num_restarts). One start, from the
  // prior mode, is what a picture needs and keeps a 300-point fit well under a second; studies
  // whose marginal likelihood has competing optima may want more.
  int fit_restarts = 1;
  // Seed of the GP fit's extra starts: the same study gives the same report.
  std::uint64_t seed = 0;

  void validate() const;  // throws InvalidArgument naming the field
};

// The report's data as one JSON object (see report.js for how each key is drawn). Numbers that
// are not finite are written as null. Works for any study, including one without trials.
nlohmann::json report_model(const StudyRecord& study, const std::vector<Trial>& trials,
                            const ReportOptions& options = ReportOptions());

}  // namespace boex::report
