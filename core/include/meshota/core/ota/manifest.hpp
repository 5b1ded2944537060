#pragma once
// What identifies and authorises an image: a fixed 192-byte header followed
// by a page table with one entry per page. The header is small enough to keep
// in RAM; the table (several KB) is received in pieces, kept in persistent
// storage and read one entry at a time (page_entry_offset + decode_page_entry),
// because the header's page_table_sha256 authenticates all of it.
// Byte layout and the reasons for each choice: docs/wire-format.md.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/fixed_string.hpp"
#include "meshota/core/hal/sha256_hasher.hpp"
#include "meshota/core/ota/image_id.hpp"

namespace meshota::core {

inline constexpr uint8_t kManifestMagic[4] = {'M', 'O', 'T', 'A'};
inline constexpr uint8_t kManifestFormatVersion = 1;
/// Header bytes covered by image_id and (later) by the signature.
inline constexpr uint32_t kManifestSignedBytes = 128;
inline constexpr uint32_t kManifestSignatureBytes = 64;
inline constexpr uint32_t kManifestHeaderBytes = kManifestSignedBytes + kManifestSignatureBytes;
inline constexpr uint32_t kManifestTextBytes = 16;
inline constexpr uint32_t kMinPageBytes = 256;
inline constexpr uint32_t kMaxPageBytes = 32768;  ///< keeps a unit size within the u16 entry field
inline constexpr uint32_t kMaxPages = 0xFFFF;     ///< pages are u16 on the wire
inline constexpr uint8_t kMinWindowBits = 9;
inline constexpr uint8_t kMaxWindowBits = 15;
/// How much larger than its page a compressed unit may be. The packer falls
/// back to stored deflate blocks (+5 bytes per block) for a page deflate would
/// grow, so a unit never needs more; receivers size their buffers with it.
inline constexpr uint32_t kUnitMarginBytes = 64;

/// How the transferred units encode the image's pages.
enum class Compression : uint8_t {
  kNone = 0,        ///< unit k is page k itself
  kRawDeflate = 1,  ///< unit k is the raw-deflate bytes that inflate to page k (sync flush per page)
};

/// The bytes Z_SYNC_FLUSH ends with (an empty stored block): every deflate
/// unit but the last ends with them, the last ends the stream instead.
inline constexpr uint8_t kSyncFlushMarker[4] = {0x00, 0x00, 0xFF, 0xFF};

/// Why a manifest (header or page table) was refused.
enum class ManifestStatus : uint8_t {
  kOk,
  kTruncated,          ///< fewer bytes than the header or the entry needs
  kBadMagic,           ///< not "MOTA"
  kBadVersion,         ///< a format_version this build does not know
  kBadText,            ///< product/hardware not zero padded after the first zero
  kBadCompression,     ///< unknown method
  kBadWindowBits,      ///< not 9..15 with deflate, not 0 without
  kBadHashSize,        ///< page_hash_bytes not 16 or 32
  kBadImageSize,       ///< image_size_bytes is 0
  kBadPageSize,        ///< not a power of two in 256..32768
  kBadPageCount,       ///< not ceil(image_size / page_size), or over 65535
  kBadChunkSize,       ///< chunk_size_bytes is 0
  kTooManyChunks,      ///< a unit of max_unit_bytes would need more than 64 chunks
  kBadCompressedSize,  ///< transfer size impossible for the page count (or != image size uncompressed)
  kBadIndex,           ///< page index >= page_count
  kBadEntry,           ///< a unit size of 0 or above max_unit_bytes
  kBadPageTable,       ///< table size, unit-size sum or page_table_sha256 does not match
};

/// One page-table entry: the unit's truncated SHA-256 and its size in bytes.
struct PageEntry {
  std::array<uint8_t, 32> hash{};  ///< first page_hash_bytes are meaningful, the rest zero
  uint32_t unit_bytes = 0;         ///< bytes transferred and hashed for the page
};

/// The fixed-size manifest header (192 bytes encoded); sizes in bytes, little-endian on the wire.
struct ManifestHeader {
  uint8_t format_version = kManifestFormatVersion;
  FixedString<kManifestTextBytes> product;
  FixedString<kManifestTextBytes> hardware;  ///< e.g. "ESP32"
  uint32_t image_version = 0;
  uint32_t image_size_bytes = 0;
  /// Bytes of all units together: image_size_bytes when uncompressed.
  uint32_t compressed_size_bytes = 0;
  uint32_t page_size_bytes = 4096;  ///< one flash sector by default
  uint16_t chunk_size_bytes = 0;
  uint16_t page_count = 0;
  Compression compression = Compression::kNone;
  uint8_t window_bits = 0;  ///< deflate history is 2^window_bits bytes; 0 when uncompressed
  /// 16: SHA-256 truncated to 128 bits, which keeps 128-bit second-preimage
  /// resistance per page (what an outsider would have to break) at 16 B per
  /// page instead of 32; docs/wire-format.md has the argument. 32 is allowed.
  uint8_t page_hash_bytes = 16;
  uint32_t security_counter = 0;  ///< anti-rollback; encoded, not yet enforced
  std::array<uint8_t, 32> image_sha256{};       ///< of the whole uncompressed image
  std::array<uint8_t, 32> page_table_sha256{};  ///< of the encoded page table
  std::array<uint8_t, 64> signature{};          ///< reserved for Ed25519 over bytes [0, 128); zero for now

  bool compressed() const { return compression != Compression::kNone; }
  uint32_t page_entry_bytes() const { return page_hash_bytes + (compressed() ? 2u : 0u); }
  uint32_t page_table_bytes() const { return page_entry_bytes() * page_count; }
  /// Header plus page table: what ManifestData offsets address.
  uint32_t manifest_bytes() const { return kManifestHeaderBytes + page_table_bytes(); }
  /// Where entry k starts within the whole manifest.
  uint32_t page_entry_offset(uint32_t k) const { return kManifestHeaderBytes + k * page_entry_bytes(); }
  /// Image bytes page k holds once written (the last page may be short).
  uint32_t page_output_bytes(uint32_t k) const;
  /// Largest unit a valid manifest allows: sizes the assembler's buffer.
  uint32_t max_unit_bytes() const { return page_size_bytes + (compressed() ? kUnitMarginBytes : 0u); }
  /// Chunks a unit of `unit_bytes` is cut into.
  uint32_t chunk_count(uint32_t unit_bytes) const {
    return chunk_size_bytes == 0 ? 0 : (unit_bytes + chunk_size_bytes - 1) / chunk_size_bytes;
  }
};

/// Checks that the fields are consistent with each other (see ManifestStatus).
ManifestStatus validate_manifest_header(const ManifestHeader& h);
/// Serialises `h` as is (no validation) into `out`; returns 192, or 0 when `out` is smaller.
size_t encode_manifest_header(const ManifestHeader& h, std::span<uint8_t> out);
/// Parses and validates the first 192 bytes of `in` (the rest is the page table).
ManifestStatus decode_manifest_header(std::span<const uint8_t> in, ManifestHeader& out);

/// image_id of an encoded header: SHA-256 of its first 128 bytes, cut to 8. False when `encoded` is shorter.
bool compute_image_id(std::span<const uint8_t> encoded, Sha256Hasher& sha, ImageId& id);
/// image_id of a header struct (encodes it first).
ImageId compute_image_id(const ManifestHeader& h, Sha256Hasher& sha);

/// Entry k from its page_entry_bytes() encoded bytes; fills unit_bytes for uncompressed images too.
ManifestStatus decode_page_entry(const ManifestHeader& h, uint32_t k, std::span<const uint8_t> entry,
                                 PageEntry& out);
/// Entry k read in place from the encoded page table (`table` starts at entry 0), no copy of the table.
ManifestStatus read_page_entry(const ManifestHeader& h, std::span<const uint8_t> table, uint32_t k,
                               PageEntry& out);
/// Writes entry `e` (page_entry_bytes() bytes); returns the size, 0 when `out` is too small.
size_t encode_page_entry(const ManifestHeader& h, const PageEntry& e, std::span<uint8_t> out);

}  // namespace meshota::core
