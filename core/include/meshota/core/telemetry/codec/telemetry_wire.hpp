#pragma once
// Framing of meshota's binary telemetry messages (options 2A binary, 2B, 2C):
//   [magic|type u8][seq u8][body ...][CRC-16/CCITT u16]
// little-endian; the CRC (CCITT-FALSE, as the OTA frames) covers every byte
// before it. Byte 0 is 0xE (telemetry) in the high nibble, a 0 version bit
// and the 3-bit type: one byte, not two, because at ~6 bytes per delta the
// header is a sixth of a report (120 B per node-hour at 30 s). Like the OTA
// frames there is a CRC, unlike them no length field: every body is
// self-delimiting (fixed fields, length-prefixed strings, masks that say what
// follows) and a decoder must end exactly at the CRC, so every truncation is
// still refused for certain. Layouts: docs/telemetry.md.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/telemetry/codec/varint.hpp"

namespace meshota::core {

inline constexpr uint8_t kTelemetryMagic = 0xE0;  ///< high nibble of byte 0 (OTA frames use 0xD0, JSON '{' is 0x7B)
/// Bit 3 of byte 0: set by a later version of this framing (refused as kBadVersion); 0 here.
inline constexpr uint8_t kTelemetryLaterVersionBit = 0x08;
inline constexpr uint8_t kTelemetryTypeBits = 0x07;  ///< bits 0-2 of byte 0: the TelemetryType
inline constexpr size_t kTelemetryHeaderBytes = 2;
inline constexpr size_t kTelemetryCrcBytes = 2;
inline constexpr size_t kTelemetryOverheadBytes = kTelemetryHeaderBytes + kTelemetryCrcBytes;
/// Every telemetry message fits one ESP-NOW v1 payload.
inline constexpr size_t kTelemetryMaxFrameBytes = 250;

/// Telemetry message types (bits 0-2 of byte 0; 0 and 7 are not used).
enum class TelemetryType : uint8_t {
  kSnapshot = 1,         ///< node -> root: every field (2C)
  kDelta = 2,            ///< node -> root: changed fields only (2C)
  kSnapshotRequest = 3,  ///< root -> node: send a snapshot now
  kStatusRequest = 4,    ///< root -> node: answer with fresh status (2B)
  kStatusResponse = 5,   ///< node -> root: every field, tagged with the request (2B)
  kEnhancedStatus = 6,   ///< node -> any: the 2A field set in binary
};

/// What decoding a telemetry frame found.
enum class TelemetryStatus : uint8_t {
  kOk,
  kTruncated,    ///< shorter than header + CRC, or the body ends before its last field
  kBadMagic,     ///< byte 0 is not a telemetry frame
  kBadVersion,   ///< a telemetry frame of a version this build does not speak
  kBadCrc,       ///< corrupted
  kUnknownType,  ///< intact, but a type this build does not know
  kWrongType,    ///< intact, but not the type the caller decodes
  kBadLength,    ///< bytes left over after the body's last field
  kBadValue,     ///< a field out of range, or a varint not in canonical form
};

/// An intact frame: its type, sequence number and body (a view into the input).
struct TelemetryFrame {
  TelemetryType type = TelemetryType::kSnapshot;
  uint8_t seq = 0;
  std::span<const uint8_t> body;
};

/// Checks magic, version, CRC and type; on kOk `out` holds the body to decode.
TelemetryStatus open_telemetry_frame(std::span<const uint8_t> bytes, TelemetryFrame& out);

/// Whether byte 0 says "telemetry frame" (cheap dispatch before the CRC).
inline bool looks_like_telemetry(std::span<const uint8_t> bytes) {
  return !bytes.empty() && (bytes[0] & 0xF0) == kTelemetryMagic;
}

/// Byte 0 of a frame of type `t`.
inline constexpr uint8_t telemetry_header_byte(TelemetryType t) {
  return static_cast<uint8_t>(kTelemetryMagic | static_cast<uint8_t>(t));
}

/// The type code of a frame that looks_like_telemetry (before any check: for counting bytes by type).
inline uint8_t telemetry_type_code(std::span<const uint8_t> bytes) { return bytes[0] & kTelemetryTypeBits; }

/// Writes a frame: header now, body through body(), CRC in seal().
class TelemetryFrameWriter {
 public:
  TelemetryFrameWriter(std::span<uint8_t> out, TelemetryType type, uint8_t seq);
  VarWriter& body() { return w_; }
  /// Appends the CRC; returns the frame size, 0 when it did not fit.
  size_t seal();

 private:
  std::span<uint8_t> out_;
  VarWriter w_;
};

/// Why the root asks for a snapshot.
enum class SnapshotReason : uint8_t {
  kGap = 1,       ///< a sequence number was skipped
  kNoBase = 2,    ///< a delta arrived and the root holds no state to apply it to (e.g. root restarted)
  kRejected = 3,  ///< a delta did not decode against the root's state
  kOperator = 4,  ///< asked by the host
};

/// root -> node: "send a snapshot now". Body: reason u8, last seq the root applied u8.
struct SnapshotRequest {
  SnapshotReason reason = SnapshotReason::kNoBase;
  uint8_t last_seq = 0;
};

/// root -> node: "answer request `request_id` with fresh status". Body: request_id varint.
struct StatusRequest {
  uint32_t request_id = 0;
};

size_t encode_snapshot_request(const SnapshotRequest& m, uint8_t seq, std::span<uint8_t> out);
size_t encode_status_request(const StatusRequest& m, uint8_t seq, std::span<uint8_t> out);
TelemetryStatus decode_snapshot_request(const TelemetryFrame& f, SnapshotRequest& out);
TelemetryStatus decode_status_request(const TelemetryFrame& f, StatusRequest& out);

/// kOk when the reader consumed the body exactly; otherwise what went wrong.
TelemetryStatus finish_body(const VarReader& r);

}  // namespace meshota::core
