#include <catch2/catch.hpp>

#ifdef BOEX_PFN_TRAIN  // built with the apps

#include <filesystem>

#include "support/process.h"
#include "support/temp_path.h"
#include "surrogates/pfn_model.h"

using namespace boex;

namespace {

// A network small enough to train a dozen steps in a second.
std::vector<std::string> tiny_run(const std::string& out) {
  return {BOEX_PFN_TRAIN, "--out", out, "--d-model", "16", "--layers", "1", "--heads", "2", "--d-ff", "16",
          "--decoder-hidden", "16", "--buckets", "16", "--max-features", "2", "--max-train", "8", "--seq-len", "12",
          "--min-test", "4", "--batch-size", "4", "--steps", "12", "--warmup", "3", "--border-tasks", "50",
          "--eval-every", "0", "--seed", "5"};
}

// The trainer's resumable state next to a checkpoint, removed with the test.
struct StateFile {
  explicit StateFile(const testing::TempPath& out) : path(out.path() + ".resume") {}
  ~StateFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    std::filesystem::remove(path + ".tmp", ec);
  }
  std::string path;
};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_CASE("boex-pfn-train: a run stopped and resumed ends with the same weights as an uninterrupted one", "[pfn_train]") {
  testing::TempPath straight(".boexpfn"), resumed(".boexpfn");
  const StateFile straight_state(straight), resumed_state(resumed);
  REQUIRE(testing::run(tiny_run(straight.path())).exit_code == 0);
  const testing::ProcessResult first = testing::run(with(tiny_run(resumed.path()), {"--session-steps", "5"}));
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find(".resume") != std::string::npos);  // stopped early: only the resumable state
  const testing::ProcessResult second = testing::run(with(tiny_run(resumed.path()), {"--resume"}));
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(second.err.find("at step 5") != std::string::npos);

  const PfnCheckpoint a = read_pfn_checkpoint(straight.path()), b = read_pfn_checkpoint(resumed.path());
  CHECK(a.recipe["progress"]["step"] == 12);
  CHECK(b.recipe["progress"]["step"] == 12);
  CHECK(a.borders == b.borders);
  REQUIRE(a.tensors.size() == b.tensors.size());
  for (std::size_t i = 0; i < a.tensors.size(); ++i) CHECK(a.tensors[i].data == b.tensors[i].data);
  // The shipped file holds weights only; the model loads from it.
  const PfnModel model = PfnModel::load(straight.path());
  CHECK(model.config().d_model == 16);
}

TEST_CASE("boex-pfn-train: resuming with another recipe is refused", "[pfn_train]") {
  testing::TempPath out(".boexpfn");
  const StateFile state(out);
  REQUIRE(testing::run(with(tiny_run(out.path()), {"--session-steps", "2"})).exit_code == 0);
  const testing::ProcessResult r = testing::run(with(tiny_run(out.path()), {"--resume", "--lr", "0.5"}));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("recipe differs") != std::string::npos);
  const testing::ProcessResult missing = testing::run(with(tiny_run(out.path() + ".x"), {"--resume"}));
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("cannot open") != std::string::npos);
}

TEST_CASE("boex-pfn-train: a further stage starts from a checkpoint's weights and records the earlier recipe",
          "[pfn_train]") {
  testing::TempPath first(".boexpfn"), second(".boexpfn");
  const StateFile first_state(first), second_state(second);
  REQUIRE(testing::run(tiny_run(first.path())).exit_code == 0);
  std::vector<std::string> args = with(tiny_run(second.path()), {"--init-from", first.path(), "--lr", "1e-4"});
  REQUIRE(testing::run(args).exit_code == 0);
  const PfnCheckpoint a = read_pfn_checkpoint(first.path()), b = read_pfn_checkpoint(second.path());
  CHECK(b.borders == a.borders);
  CHECK(b.recipe["training"]["init_from"]["training"] == a.recipe["training"]);
  CHECK(b.recipe["training"]["lr"] == 1e-4);
  CHECK(a.tensors.front().data != b.tensors.front().data);
  // A checkpoint of another configuration cannot seed a stage.
  args = with(tiny_run(second.path() + ".x"), {"--init-from", first.path(), "--d-model", "8"});
  CHECK(testing::run(args).exit_code != 0);
}

#endif
