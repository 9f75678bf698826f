// Every bad input gets a clear error and leaves the database exactly as it was.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.h"
#include "engine/study.h"
#include "support/dump.h"
#include "support/temp_path.h"

using namespace boex;
using namespace boex::testing;

TEST_CASE("bad values, ids, repeated tells and out-of-bounds points leave the database unchanged", "[bad_input]") {
  TempPath file;
  Study::Options o;
  o.n_constraints = 1;
  Study study = Study::open(file.url(), "s", SearchSpace({Parameter::Float("x", 0, 1), Parameter::Int("k", 1, 4)}), o);
  const Trial done = study.ask();
  study.tell(done.id, 0.5, {-1.0});
  const Trial open = study.ask();
  const std::string before = dump(*open_storage(file.url()));
  const Params out_of_bounds = {{"x", 1.5}, {"k", std::int64_t{2}}};
  CHECK_THROWS_AS(study.tell(open.id, NAN, {0.0}), InvalidArgument);
  CHECK_THROWS_AS(study.tell(open.id, -INFINITY, {0.0}), InvalidArgument);
  CHECK_THROWS_AS(study.tell(open.id, 1.0, {INFINITY}), InvalidArgument);
  CHECK_THROWS_AS(study.tell(open.id, 1.0, {}), InvalidArgument);
  CHECK_THROWS_AS(study.tell(123456, 1.0, {0.0}), NotFound);
  CHECK_THROWS_AS(study.tell(done.id, 0.7, {-1.0}), StateError);
  CHECK_THROWS_AS(study.tell_failed(done.id), StateError);
  CHECK_THROWS_AS(study.enqueue(out_of_bounds), InvalidArgument);
  CHECK_THROWS_AS(study.add_measured(out_of_bounds, 1.0, {0.0}), InvalidArgument);
  CHECK_THROWS_AS(study.add_measured({{"x", 0.5}, {"k", 2.5}}, 1.0, {0.0}), InvalidArgument);
  CHECK_THROWS_AS(study.add_measured({{"x", 0.5}}, 1.0, {0.0}), InvalidArgument);
  CHECK_THROWS_AS(study.set_trial_attribute(99999, "operator", "ana"), NotFound);
  CHECK(dump(*open_storage(file.url())) == before);
}
