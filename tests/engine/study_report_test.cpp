// Intermediate values (learning curves): Study::report stores them on running trials, they come
// back with the trial, and bad reports leave the database as it was.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "engine/study.h"
#include "support/dump.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

TEST_CASE("a running trial's reported learning curve is stored by step and survives reopening", "[report]") {
  TempPath file;
  const SearchSpace space({Parameter::Float("log_lr", -5, 0)});
  Study study = Study::open(file.url(), "s", space);
  const Trial t = study.ask();
  // Out of order on purpose: the curve is kept by step, not by arrival.
  study.report(t.id, 20, 0.5);
  study.report(t.id, 0, 2.0);
  study.report(t.id, 10, 1.0);
  const std::map<std::int64_t, double> curve{{0, 2.0}, {10, 1.0}, {20, 0.5}};
  CHECK(study.trial(t.id).reports == curve);
  study.tell(t.id, 0.4);
  const Study reopened = Study::load(file.url(), "s");
  CHECK(reopened.trial(t.id).reports == curve);
  CHECK(reopened.trial(t.id).value == 0.4);
}

TEST_CASE("bad reports (NaN, infinite, negative step, repeated step, unknown or finished trial) change nothing",
          "[report][bad_input]") {
  TempPath file;
  Study study = Study::open(file.url(), "s", SearchSpace({Parameter::Float("x", 0, 1)}));
  const Trial done = study.ask();
  study.tell(done.id, 1.0);
  const Trial running = study.ask();
  study.report(running.id, 5, 0.25);
  const std::string before = dump(*open_storage(file.url()));
  CHECK_THROWS_AS(study.report(running.id, 6, NAN), InvalidArgument);
  CHECK_THROWS_AS(study.report(running.id, 6, INFINITY), InvalidArgument);
  CHECK_THROWS_AS(study.report(running.id, -1, 0.5), InvalidArgument);
  CHECK_THROWS_AS(study.report(running.id, 5, 0.5), StateError);
  CHECK_THROWS_AS(study.report(done.id, 6, 0.5), StateError);
  CHECK_THROWS_AS(study.report(987654, 6, 0.5), NotFound);
  CHECK(dump(*open_storage(file.url())) == before);
}
