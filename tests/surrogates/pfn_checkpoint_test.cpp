#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "core/errors.h"
#include "support/temp_path.h"
#include "surrogates/pfn_checkpoint.h"

using namespace boex;

namespace {

PfnCheckpoint sample_checkpoint() {
  PfnCheckpoint c;
  c.config = {{"d_model", 8}, {"n_layers", 1}};
  c.borders = {-1.5, -0.25, 0.0, 1.0 / 3.0, 2.0};
  c.recipe = {{"steps", 10}, {"lr", 1e-3}};
  c.tensors.push_back({"a.weight", {2, 3}, {1.f, -2.f, 3.5f, 1e-30f, -0.f, 7.25f}});
  c.tensors.push_back({"a.bias", {2}, {0.125f, -1e10f}});
  c.tensors.push_back({"scalar", {}, {42.f}});
  return c;
}

std::vector<char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("PFN checkpoint: write then read returns the same config, borders, recipe and tensors bit for bit",
          "[pfn_checkpoint]") {
  testing::TempPath file(".boexpfn");
  const PfnCheckpoint c = sample_checkpoint();
  write_pfn_checkpoint(file.path(), c);
  const PfnCheckpoint r = read_pfn_checkpoint(file.path());
  CHECK(r.config == c.config);
  CHECK(r.borders == c.borders);
  CHECK(r.recipe == c.recipe);
  REQUIRE(r.tensors.size() == c.tensors.size());
  for (std::size_t i = 0; i < c.tensors.size(); ++i) {
    CHECK(r.tensors[i].name == c.tensors[i].name);
    CHECK(r.tensors[i].shape == c.tensors[i].shape);
    CHECK(r.tensors[i].data == c.tensors[i].data);
  }
}

TEST_CASE("PFN checkpoint: the layout is magic, version, header length, JSON header, little-endian floats, checksum",
          "[pfn_checkpoint]") {
  testing::TempPath file(".boexpfn");
  write_pfn_checkpoint(file.path(), sample_checkpoint());
  const std::vector<char> b = read_bytes(file.path());
  CHECK(std::string(b.data(), 7) == "BOEXPFN");
  CHECK(b[7] == 0);
  CHECK(static_cast<unsigned char>(b[8]) == 1);
  std::uint64_t H = 0;
  for (int i = 7; i >= 0; --i) H = (H << 8) | static_cast<unsigned char>(b[12 + i]);
  const auto header = nlohmann::json::parse(b.begin() + 20, b.begin() + 20 + H);
  CHECK(header["tensors"][0]["dtype"] == "F32");
  CHECK(header["payload_bytes"] == 4 * 9);
  // The first payload float is 1.0f = 0x3f800000, little-endian.
  CHECK(static_cast<unsigned char>(b[20 + H + 3]) == 0x3f);
  CHECK(static_cast<unsigned char>(b[20 + H + 2]) == 0x80);
  CHECK(b.size() == 20 + H + 36 + 8);
  std::uint64_t stored = 0;
  for (int i = 7; i >= 0; --i) stored = (stored << 8) | static_cast<unsigned char>(b[b.size() - 8 + i]);
  CHECK(stored == fnv1a64(reinterpret_cast<const unsigned char*>(b.data()), b.size() - 8));
}

TEST_CASE("PFN checkpoint: a truncated file is refused as truncated, wherever it is cut", "[pfn_checkpoint]") {
  testing::TempPath file(".boexpfn");
  write_pfn_checkpoint(file.path(), sample_checkpoint());
  const std::vector<char> full = read_bytes(file.path());
  for (std::size_t keep : {std::size_t{10}, std::size_t{19}, std::size_t{40}, full.size() - 30, full.size() - 1}) {
    INFO("kept " << keep << " of " << full.size() << " bytes");
    write_bytes(file.path(), std::vector<char>(full.begin(), full.begin() + keep));
    CHECK_THROWS_AS(read_pfn_checkpoint(file.path()), StorageError);
    CHECK_THROWS_WITH(read_pfn_checkpoint(file.path()),
                      Catch::Matchers::Contains("truncated") || Catch::Matchers::Contains("corrupt"));
  }
  write_bytes(file.path(), std::vector<char>(full.begin(), full.end() - 1));
  CHECK_THROWS_WITH(read_pfn_checkpoint(file.path()), Catch::Matchers::Contains("truncated"));
}

TEST_CASE("PFN checkpoint: a flipped byte anywhere after the magic is caught (checksum or header)", "[pfn_checkpoint]") {
  testing::TempPath file(".boexpfn");
  write_pfn_checkpoint(file.path(), sample_checkpoint());
  const std::vector<char> full = read_bytes(file.path());
  for (std::size_t at = 20; at < full.size(); at += 7) {
    INFO("byte " << at);
    std::vector<char> bad = full;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    write_bytes(file.path(), bad);
    CHECK_THROWS_AS(read_pfn_checkpoint(file.path()), Error);
  }
  std::vector<char> bad = full;
  bad[full.size() - 12] ^= 0x01;  // inside the payload
  write_bytes(file.path(), bad);
  CHECK_THROWS_WITH(read_pfn_checkpoint(file.path()), Catch::Matchers::Contains("checksum"));
}

TEST_CASE("PFN checkpoint: not a checkpoint, a newer version, trailing bytes and a missing file are refused clearly",
          "[pfn_checkpoint]") {
  testing::TempPath file(".boexpfn");
  write_pfn_checkpoint(file.path(), sample_checkpoint());
  const std::vector<char> full = read_bytes(file.path());

  std::vector<char> bad = full;
  bad[0] = 'X';
  write_bytes(file.path(), bad);
  CHECK_THROWS_AS(read_pfn_checkpoint(file.path()), SchemaError);
  CHECK_THROWS_WITH(read_pfn_checkpoint(file.path()), Catch::Matchers::Contains("not a boex PFN checkpoint"));

  bad = full;
  bad[8] = 2;
  write_bytes(file.path(), bad);
  CHECK_THROWS_AS(read_pfn_checkpoint(file.path()), SchemaError);
  CHECK_THROWS_WITH(read_pfn_checkpoint(file.path()), Catch::Matchers::Contains("version 2"));

  bad = full;
  bad.push_back('x');
  write_bytes(file.path(), bad);
  CHECK_THROWS_WITH(read_pfn_checkpoint(file.path()), Catch::Matchers::Contains("trailing"));

  write_bytes(file.path(), {});
  CHECK_THROWS_AS(read_pfn_checkpoint(file.path()), SchemaError);
  CHECK_THROWS_AS(read_pfn_checkpoint(file.path() + ".missing"), StorageError);
}

TEST_CASE("PFN checkpoint: a tensor whose data does not match its shape is not written", "[pfn_checkpoint]") {
  testing::TempPath file(".boexpfn");
  PfnCheckpoint c = sample_checkpoint();
  c.tensors[0].shape = {4, 3};
  CHECK_THROWS_AS(write_pfn_checkpoint(file.path(), c), InvalidArgument);
}
