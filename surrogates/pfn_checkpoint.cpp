#include "surrogates/pfn_checkpoint.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/errors.h"

namespace boex {

namespace {

constexpr char kMagic[8] = {'B', 'O', 'E', 'X', 'P', 'F', 'N', '\0'};
constexpr std::size_t kPrefixBytes = 20;  // magic + version + header length
constexpr std::size_t kChecksumBytes = 8;

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::uint32_t get_u32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

std::int64_t element_count(const std::vector<std::int64_t>& shape) {
  std::int64_t count = 1;
  for (std::int64_t s : shape) {
    if (s < 0) return -1;
    count *= s;
  }
  return count;
}

}  // namespace

std::uint64_t fnv1a64(const unsigned char* data, std::size_t size) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void write_pfn_checkpoint(const std::string& path, const PfnCheckpoint& checkpoint) {
  nlohmann::json header;
  header["config"] = checkpoint.config;
  header["borders"] = checkpoint.borders;
  header["recipe"] = checkpoint.recipe;
  header["tensors"] = nlohmann::json::array();
  std::string payload;
  for (const NamedArray& t : checkpoint.tensors) {
    if (element_count(t.shape) != static_cast<std::int64_t>(t.data.size()))
      throw InvalidArgument("write_pfn_checkpoint: tensor '" + t.name + "' has " + std::to_string(t.data.size()) +
                            " values, not what its shape says");
    const std::size_t offset = payload.size();
    for (float f : t.data) {
      std::uint32_t bits;
      std::memcpy(&bits, &f, 4);
      for (int i = 0; i < 4; ++i) payload.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
    }
    header["tensors"].push_back(
        {{"name", t.name}, {"dtype", "F32"}, {"shape", t.shape}, {"offset", offset}, {"bytes", 4 * t.data.size()}});
  }
  header["payload_bytes"] = payload.size();
  const std::string header_text = header.dump();

  std::string file(kMagic, kMagic + 8);
  for (int i = 0; i < 4; ++i) file.push_back(static_cast<char>((kPfnCheckpointVersion >> (8 * i)) & 0xff));
  put_u64(file, header_text.size());
  file += header_text;
  file += payload;
  put_u64(file, fnv1a64(reinterpret_cast<const unsigned char*>(file.data()), file.size()));

  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw StorageError("cannot write PFN checkpoint '" + temp + "'");
    out.write(file.data(), static_cast<std::streamsize>(file.size()));
    out.flush();
    if (!out) throw StorageError("writing PFN checkpoint '" + temp + "' failed");
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0)
    throw StorageError("cannot move PFN checkpoint '" + temp + "' to '" + path + "'");
}

PfnCheckpoint read_pfn_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StorageError("cannot open PFN checkpoint '" + path + "'");
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string where = "PFN checkpoint '" + path + "'";
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 8) != 0)
    throw SchemaError(where + " is not a boex PFN checkpoint (bad magic)");
  if (bytes.size() < kPrefixBytes) throw StorageError(where + " is truncated (" + std::to_string(bytes.size()) + " bytes)");
  const std::uint32_t version = get_u32(bytes.data() + 8);
  if (version == 0 || version > kPfnCheckpointVersion)
    throw SchemaError(where + " has format version " + std::to_string(version) + "; this build reads up to " +
                      std::to_string(kPfnCheckpointVersion));
  const std::uint64_t header_bytes = get_u64(bytes.data() + 12);
  if (header_bytes > bytes.size() || kPrefixBytes + header_bytes + kChecksumBytes > bytes.size())
    throw StorageError(where + " is truncated: its header alone needs " + std::to_string(header_bytes) +
                       " bytes, the file has " + std::to_string(bytes.size()));
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.begin() + kPrefixBytes, bytes.begin() + kPrefixBytes + header_bytes);
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(where + " is corrupt: its JSON header does not parse (" + e.what() + ")");
  }
  if (!header.is_object() || !header.contains("payload_bytes") || !header["payload_bytes"].is_number_unsigned())
    throw SchemaError(where + ": the header has no payload_bytes");
  const std::uint64_t payload_bytes = header["payload_bytes"].get<std::uint64_t>();
  const std::uint64_t expected = kPrefixBytes + header_bytes + payload_bytes + kChecksumBytes;
  if (payload_bytes > bytes.size() || bytes.size() < expected)
    throw StorageError(where + " is truncated: " + std::to_string(bytes.size()) + " bytes of " + std::to_string(expected));
  if (bytes.size() > expected)
    throw StorageError(where + " is corrupt: " + std::to_string(bytes.size() - expected) + " unexpected trailing bytes");
  const std::size_t body = bytes.size() - kChecksumBytes;
  if (fnv1a64(bytes.data(), body) != get_u64(bytes.data() + body))
    throw StorageError(where + " is corrupt: checksum mismatch");

  PfnCheckpoint checkpoint;
  try {
    checkpoint.config = header.at("config");
    checkpoint.borders = header.at("borders").get<std::vector<double>>();
    checkpoint.recipe = header.value("recipe", nlohmann::json::object());
    const unsigned char* payload = bytes.data() + kPrefixBytes + header_bytes;
    for (const auto& entry : header.at("tensors")) {
      NamedArray t;
      t.name = entry.at("name").get<std::string>();
      const std::string dtype = entry.at("dtype").get<std::string>();
      if (dtype != "F32") throw SchemaError(where + ": tensor '" + t.name + "' has unsupported dtype '" + dtype + "'");
      t.shape = entry.at("shape").get<std::vector<std::int64_t>>();
      const std::uint64_t offset = entry.at("offset").get<std::uint64_t>(), size = entry.at("bytes").get<std::uint64_t>();
      const std::int64_t count = element_count(t.shape);
      if (count < 0 || static_cast<std::uint64_t>(count) * 4 != size)
        throw SchemaError(where + ": tensor '" + t.name + "' has " + std::to_string(size) + " bytes for its shape");
      if (offset > payload_bytes || size > payload_bytes - offset)
        throw SchemaError(where + ": tensor '" + t.name + "' lies outside the payload");
      t.data.resize(count);
      for (std::int64_t i = 0; i < count; ++i) {
        const unsigned char* p = payload + offset + 4 * i;
        const std::uint32_t bits = get_u32(p);
        std::memcpy(&t.data[i], &bits, 4);
      }
      checkpoint.tensors.push_back(std::move(t));
    }
  } catch (const nlohmann::json::exception& e) {
    throw SchemaError(where + ": malformed header (" + e.what() + ")");
  }
  return checkpoint;
}

}  // namespace boex
