// The PFN checkpoint file (".boexpfn"): a versioned, self-describing layout that any language reads
// without Python or torch, in the spirit of safetensors. Loading a damaged file fails loudly.
//
// Layout (all integers little-endian):
//   bytes 0..7    magic "BOEXPFN" followed by a zero byte
//   bytes 8..11   uint32 format version (1)
//   bytes 12..19  uint64 H, the length of the JSON header
//   next H bytes  JSON header, UTF-8:
//                 {"config": {...model...}, "borders": [K + 1 doubles], "recipe": {...training...},
//                  "tensors": [{"name", "dtype": "F32", "shape": [...], "offset", "bytes"}, ...],
//                  "payload_bytes": P}
//   next P bytes  payload: each tensor's row-major little-endian float32 values at its offset
//   last 8 bytes  uint64 FNV-1a (64-bit) checksum of every byte before it
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace boex {

// A named float32 array in row-major order.
struct NamedArray {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<float> data;
};

struct PfnCheckpoint {
  nlohmann::json config;         // the model's PfnConfig as JSON
  std::vector<double> borders;   // bucket borders, normalised units
  nlohmann::json recipe;         // how the weights were made (prior, schedule, steps, loss)
  std::vector<NamedArray> tensors;
};

constexpr std::uint32_t kPfnCheckpointVersion = 1;

// Writes to a temporary file next to path, then renames it over path: a crash mid-write never
// leaves a half-written checkpoint under the final name. Throws StorageError on I/O failure and
// InvalidArgument when a tensor's data does not match its shape.
void write_pfn_checkpoint(const std::string& path, const PfnCheckpoint& checkpoint);

// Throws StorageError for a missing, truncated or corrupt (checksum) file and SchemaError for a
// file that is not a boex PFN checkpoint, has a newer version, or an inconsistent header.
PfnCheckpoint read_pfn_checkpoint(const std::string& path);

// FNV-1a 64 of a byte range (exposed for tests that damage files on purpose).
std::uint64_t fnv1a64(const unsigned char* data, std::size_t size);

}  // namespace boex
