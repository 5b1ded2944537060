#pragma once
// The file `meshota pack` writes and `meshota sign` / `verify` read
// (docs/signing.md): one file, so an image is copied, signed and replaced as a
// unit. Layout, little-endian:
//   [0, 8)   "MOTAPACK"
//   [8, 12)  format version (1)
//   [12, 16) manifest length in bytes (header + page table)
//   [16, 16 + manifest length)  the manifest, exactly as nodes exchange it
//   then     the units of pages 0, 1, ... back to back
// No index of the units: their sizes are in the signed page table, so an index
// would be one more thing to keep consistent and could not be trusted anyway.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace meshota::sim {

inline constexpr uint8_t kPackMagic[8] = {'M', 'O', 'T', 'A', 'P', 'A', 'C', 'K'};
inline constexpr uint32_t kPackFormatVersion = 1;
/// Bytes before the manifest: magic, version, manifest length.
inline constexpr uint32_t kPackPreambleBytes = 16;

/// A pack file split into its parts; offsets are into the file.
struct PackFile {
  std::vector<uint8_t> manifest;
  std::vector<uint8_t> units;  ///< every unit, in page order
  uint64_t manifest_offset() const { return kPackPreambleBytes; }
  uint64_t units_offset() const { return kPackPreambleBytes + manifest.size(); }
};

/// The bytes of a pack file holding `manifest` and `units`.
std::vector<uint8_t> encode_pack_file(std::span<const uint8_t> manifest, const std::vector<std::vector<uint8_t>>& units);
/// Reads and splits a pack file; throws InputError ("path: byte N: ...") when it is not one or is cut short.
/// Whether the manifest inside is valid is for decode_manifest_header to say.
PackFile read_pack_file(const std::string& path);

/// A whole file's bytes; throws InputError naming the file when it cannot be read.
std::vector<uint8_t> read_binary_file(const std::string& path);
/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it over
/// `path`, so a crash leaves the old file or the new one, never half of one. Throws on failure.
void write_file_atomically(const std::string& path, std::span<const uint8_t> bytes);

}  // namespace meshota::sim
