#pragma once
// meshota's compact binary OTA messages, sized for ESP-NOW (250-byte payload
// in v1, 1470 in v2). Every frame is
//   [magic|version u8][type u8][length u16][body ...][CRC-16/CCITT u16]
// little-endian, where length counts the whole frame and the CRC covers every
// byte before it. The length field makes every truncation detectable for
// certain and the CRC every single-bit flip, so a decoder answers each
// damaged frame with a Status, never a crash or an out-of-bounds read.
// Byte layouts: docs/wire-format.md.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/ota/chunk_bitmap.hpp"
#include "meshota/core/ota/image_id.hpp"

namespace meshota::core::wire {

inline constexpr uint8_t kMagic = 0xD0;   ///< high nibble of byte 0 ('{' of painlessMesh JSON is 0x7B)
inline constexpr uint8_t kVersion = 1;    ///< low nibble of byte 0
inline constexpr uint8_t kMagicVersion = kMagic | kVersion;
inline constexpr size_t kHeaderBytes = 4;  ///< magic|version, type, length
inline constexpr size_t kCrcBytes = 2;
inline constexpr size_t kFrameOverheadBytes = kHeaderBytes + kCrcBytes;
inline constexpr size_t kMaxFrameBytes = 0xFFFF;  ///< what the u16 length can say
inline constexpr size_t kEspNowV1MaxBytes = 250;
inline constexpr size_t kEspNowV2MaxBytes = 1470;
/// target id meaning "whoever can answer".
inline constexpr uint32_t kAnyNode = 0xFFFFFFFF;

/// Frame sizes: fixed messages whole, variable ones without their payload.
inline constexpr size_t kAdvertiseBytes = kFrameOverheadBytes + 4 + 8 + 4 + 2 + 2 + 1 + 2 + 2;
inline constexpr size_t kManifestRequestBytes = kFrameOverheadBytes + 4 + 4 + 8 + 4;
inline constexpr size_t kManifestDataFixedBytes = kFrameOverheadBytes + 4 + 8 + 4 + 4;
inline constexpr size_t kPageRequestBytes = kFrameOverheadBytes + 4 + 4 + 8 + 2 + 8;
inline constexpr size_t kChunkFixedBytes = kFrameOverheadBytes + 4 + 8 + 2 + 1;
inline constexpr size_t kRepairNackBytes = kPageRequestBytes;
inline constexpr size_t kPieceRequestBytes = kFrameOverheadBytes + 4 + 4 + 8 + 2 + 1 + 8;
inline constexpr size_t kChunkPieceFixedBytes = kFrameOverheadBytes + 4 + 8 + 2 + 1 + 1;
/// A piece: the part of a chunk that fits an ESP-NOW v1 frame. Piece p of a chunk is its bytes
/// [p * kPieceBytes, (p + 1) * kPieceBytes); a chunk has at most kMaxPieces of them.
inline constexpr size_t kPieceBytes = kEspNowV1MaxBytes - kChunkPieceFixedBytes;
inline constexpr uint32_t kMaxPieces = 8;
/// Chunks a PieceRequest names at once (one byte of pieces each).
inline constexpr uint32_t kPieceRequestChunks = 8;
/// Bytes of part `index` when `total` bytes are cut into parts of `size` (the last one short): a chunk
/// of a unit, a piece of a chunk. 0 past the end.
constexpr uint32_t cut_bytes(uint32_t total, uint32_t size, uint32_t index) {
  const uint64_t at = uint64_t{index} * size;
  return at >= total ? 0 : static_cast<uint32_t>(total - at < size ? total - at : size);
}
/// The pieces of a chunk of `chunk_bytes` (bit p = piece p); 0 when it needs more than kMaxPieces.
constexpr uint8_t all_pieces(uint32_t chunk_bytes) {
  const uint32_t n = static_cast<uint32_t>((chunk_bytes + kPieceBytes - 1) / kPieceBytes);
  return static_cast<uint8_t>(n == 0 || n > kMaxPieces ? 0u : (1u << n) - 1);
}

/// Largest Chunk payload in a frame of at most `frame_bytes`.
constexpr size_t max_chunk_payload(size_t frame_bytes) {
  return frame_bytes > kChunkFixedBytes ? frame_bytes - kChunkFixedBytes : 0;
}
/// Largest ManifestData payload in a frame of at most `frame_bytes`.
constexpr size_t max_manifest_payload(size_t frame_bytes) {
  return frame_bytes > kManifestDataFixedBytes ? frame_bytes - kManifestDataFixedBytes : 0;
}
inline constexpr size_t kMaxChunkPayloadV1 = max_chunk_payload(kEspNowV1MaxBytes);
inline constexpr size_t kMaxChunkPayloadV2 = max_chunk_payload(kEspNowV2MaxBytes);
inline constexpr size_t kMaxManifestPayloadV1 = max_manifest_payload(kEspNowV1MaxBytes);
inline constexpr size_t kMaxManifestPayloadV2 = max_manifest_payload(kEspNowV2MaxBytes);

/// Message types (byte 1 of a frame).
enum class Type : uint8_t {
  kAdvertise = 1,
  kManifestRequest = 2,
  kManifestData = 3,
  kPageRequest = 4,
  kChunk = 5,
  kRepairNack = 6,
  kPieceRequest = 7,
  kChunkPiece = 8,
};

/// What decoding a frame found.
enum class Status : uint8_t {
  kOk,
  kTruncated,    ///< shorter than the header, or than its own length field says
  kBadMagic,     ///< byte 0 is not a meshota frame (e.g. painlessMesh JSON)
  kBadVersion,   ///< a meshota frame of a version this build does not speak
  kBadLength,    ///< longer than its length field, or a body of the wrong size for its type
  kBadCrc,       ///< corrupted
  kUnknownType,  ///< intact, but a type this build does not know
  kWrongType,    ///< intact, but not the type the caller decodes
  kBadValue,     ///< intact, but a field is out of range (see each message)
};

/// Advertise flag bits.
inline constexpr uint8_t kAdvertiseHasManifest = 0x01;  ///< sender answers ManifestRequest
inline constexpr uint8_t kAdvertiseInstalled = 0x02;    ///< sender runs this image
inline constexpr uint8_t kAdvertiseRollBack = 0x04;     ///< the rollout was aborted: nodes running it go back
/// The sender has heard no neighbour since it booted: a neighbour holding the same image answers soon
/// (its Trickle resets to Imin), so a node that boots into a quiet neighbourhood still hears it.
inline constexpr uint8_t kAdvertiseListening = 0x08;

/// Summary a node repeats (Trickle-timed in P2P). Requires 1 <= page_count, pages_complete <= page_count.
struct Advertise {
  uint32_t sender = 0;
  ImageId image_id{};
  uint32_t image_version = 0;
  uint16_t page_count = 0;
  uint16_t pages_complete = 0;  ///< the sender holds pages [0, pages_complete) verified
  uint8_t flags = 0;            ///< kAdvertise* bits; unknown bits are carried, not refused
  /// The rollout's grant for this image, as the sender last heard it (docs/safe-updates.md): a higher
  /// seq supersedes a lower one; nodes whose rollout_rank is below grant_rank may install. 0: none heard.
  uint16_t grant_seq = 0;
  uint16_t grant_rank = 0;
  bool operator==(const Advertise&) const = default;
};

/// Asks for the manifest bytes from `offset` on. requester must not be kAnyNode.
struct ManifestRequest {
  uint32_t requester = 0;
  uint32_t target = kAnyNode;
  ImageId image_id{};
  uint32_t offset = 0;
  bool operator==(const ManifestRequest&) const = default;
};

/// Manifest bytes [offset, offset + bytes.size()); bytes non-empty and within total_bytes.
struct ManifestData {
  uint32_t sender = 0;
  ImageId image_id{};
  uint32_t total_bytes = 0;
  uint32_t offset = 0;
  std::span<const uint8_t> bytes;  ///< view into the decoded frame (or the encoder's source)
};

/// Asks `target` for the chunks of `page` set in `chunks` (non-empty).
struct PageRequest {
  uint32_t requester = 0;
  uint32_t target = kAnyNode;
  ImageId image_id{};
  uint16_t page = 0;
  ChunkBitmap chunks;
  bool operator==(const PageRequest&) const = default;
};

/// One chunk of a page unit; index < 64, payload non-empty (its length is the frame's rest).
struct Chunk {
  uint32_t sender = 0;
  ImageId image_id{};
  uint16_t page = 0;
  uint8_t index = 0;
  std::span<const uint8_t> payload;  ///< view into the decoded frame (or the encoder's source)
};

/// After a broadcast: the chunks of `page` the requester still misses (non-empty).
struct RepairNack {
  uint32_t requester = 0;
  uint32_t target = kAnyNode;
  ImageId image_id{};
  uint16_t page = 0;
  ChunkBitmap missing;
  bool operator==(const RepairNack&) const = default;
};

/// Asks `target` for pieces of chunks first .. first + 7 of `page`: byte i of `pieces` (bits 8i .. 8i+7)
/// names the pieces of chunk first + i. A node whose links lose most full chunk frames asks so: a short
/// frame gets through where a long one does not. Requires a non-empty set, naming no chunk past 63.
struct PieceRequest {
  uint32_t requester = 0;
  uint32_t target = kAnyNode;
  ImageId image_id{};
  uint16_t page = 0;
  uint8_t first = 0;
  uint64_t pieces = 0;
  /// The pieces of chunk first + i.
  constexpr uint8_t mask(uint32_t i) const {
    return static_cast<uint8_t>(i < kPieceRequestChunks ? pieces >> (8 * i) : 0);
  }
  bool operator==(const PieceRequest&) const = default;
};

/// Piece `piece` (< kMaxPieces) of chunk `index` (< 64) of a page unit; 1..kPieceBytes of payload.
struct ChunkPiece {
  uint32_t sender = 0;
  ImageId image_id{};
  uint16_t page = 0;
  uint8_t index = 0;
  uint8_t piece = 0;
  std::span<const uint8_t> payload;  ///< view into the decoded frame (or the encoder's source)
};

/// Encoders: the frame's size, or 0 when it does not fit `out` or a field is out of range.
size_t encode(const Advertise& m, std::span<uint8_t> out);
size_t encode(const ManifestRequest& m, std::span<uint8_t> out);
size_t encode(const ManifestData& m, std::span<uint8_t> out);
size_t encode(const PageRequest& m, std::span<uint8_t> out);
size_t encode(const Chunk& m, std::span<uint8_t> out);
size_t encode(const RepairNack& m, std::span<uint8_t> out);
size_t encode(const PieceRequest& m, std::span<uint8_t> out);
size_t encode(const ChunkPiece& m, std::span<uint8_t> out);

/// Decoders: kOk fills `out`; on any other status `out` is unchanged.
Status decode(std::span<const uint8_t> in, Advertise& out);
Status decode(std::span<const uint8_t> in, ManifestRequest& out);
Status decode(std::span<const uint8_t> in, ManifestData& out);
Status decode(std::span<const uint8_t> in, PageRequest& out);
Status decode(std::span<const uint8_t> in, Chunk& out);
Status decode(std::span<const uint8_t> in, RepairNack& out);
Status decode(std::span<const uint8_t> in, PieceRequest& out);
Status decode(std::span<const uint8_t> in, ChunkPiece& out);

/// Checks the frame (header, length, CRC) and says which message it holds, to dispatch on.
Status peek_type(std::span<const uint8_t> in, Type& type);

/// A frame whose header, length and CRC checked out (open()): its type and body,
/// a view into the frame. A receiver that dispatches on the type decodes it
/// without checking the CRC a second time.
struct Opened {
  Type type{};
  std::span<const uint8_t> body;
};
Status open(std::span<const uint8_t> in, Opened& out);

/// Decoders of an opened frame: kWrongType unless it holds that message; as above otherwise.
Status decode(const Opened& in, Advertise& out);
Status decode(const Opened& in, ManifestRequest& out);
Status decode(const Opened& in, ManifestData& out);
Status decode(const Opened& in, PageRequest& out);
Status decode(const Opened& in, Chunk& out);
Status decode(const Opened& in, RepairNack& out);
Status decode(const Opened& in, PieceRequest& out);
Status decode(const Opened& in, ChunkPiece& out);

}  // namespace meshota::core::wire
