#include "meshota/core/telemetry/codec/telemetry_wire.hpp"

#include "meshota/core/codec/crc16.hpp"

namespace meshota::core {

TelemetryStatus open_telemetry_frame(std::span<const uint8_t> bytes, TelemetryFrame& out) {
  if (bytes.empty()) return TelemetryStatus::kTruncated;
  if ((bytes[0] & 0xF0) != kTelemetryMagic) return TelemetryStatus::kBadMagic;
  if ((bytes[0] & kTelemetryLaterVersionBit) != 0) return TelemetryStatus::kBadVersion;
  if (bytes.size() < kTelemetryOverheadBytes) return TelemetryStatus::kTruncated;
  const size_t covered = bytes.size() - kTelemetryCrcBytes;
  const uint16_t crc = static_cast<uint16_t>(bytes[covered] | (bytes[covered + 1] << 8));
  if (crc16_ccitt(bytes.first(covered)) != crc) return TelemetryStatus::kBadCrc;
  const uint8_t type = bytes[0] & kTelemetryTypeBits;
  if (type < static_cast<uint8_t>(TelemetryType::kSnapshot) ||
      type > static_cast<uint8_t>(TelemetryType::kEnhancedStatus))
    return TelemetryStatus::kUnknownType;
  out.type = static_cast<TelemetryType>(type);
  out.seq = bytes[1];
  out.body = bytes.subspan(kTelemetryHeaderBytes, covered - kTelemetryHeaderBytes);
  return TelemetryStatus::kOk;
}

TelemetryFrameWriter::TelemetryFrameWriter(std::span<uint8_t> out, TelemetryType type, uint8_t seq)
    : out_(out), w_(out) {
  w_.u8(telemetry_header_byte(type));
  w_.u8(seq);
}

size_t TelemetryFrameWriter::seal() {
  if (!w_.ok()) return 0;
  const uint16_t crc = crc16_ccitt(w_.written());
  w_.u8(static_cast<uint8_t>(crc));
  w_.u8(static_cast<uint8_t>(crc >> 8));
  return w_.size();
}

TelemetryStatus finish_body(const VarReader& r) {
  if (r.truncated()) return TelemetryStatus::kTruncated;
  if (!r.ok()) return TelemetryStatus::kBadValue;
  return r.remaining() == 0 ? TelemetryStatus::kOk : TelemetryStatus::kBadLength;
}

size_t encode_snapshot_request(const SnapshotRequest& m, uint8_t seq, std::span<uint8_t> out) {
  TelemetryFrameWriter f(out, TelemetryType::kSnapshotRequest, seq);
  f.body().u8(static_cast<uint8_t>(m.reason));
  f.body().u8(m.last_seq);
  return f.seal();
}

size_t encode_status_request(const StatusRequest& m, uint8_t seq, std::span<uint8_t> out) {
  TelemetryFrameWriter f(out, TelemetryType::kStatusRequest, seq);
  f.body().varint(m.request_id);
  return f.seal();
}

TelemetryStatus decode_snapshot_request(const TelemetryFrame& f, SnapshotRequest& out) {
  if (f.type != TelemetryType::kSnapshotRequest) return TelemetryStatus::kWrongType;
  VarReader r(f.body);
  const uint8_t reason = r.u8();
  const uint8_t last = r.u8();
  if (r.ok() && (reason < static_cast<uint8_t>(SnapshotReason::kGap) || reason > static_cast<uint8_t>(SnapshotReason::kOperator)))
    return TelemetryStatus::kBadValue;
  const TelemetryStatus s = finish_body(r);
  if (s != TelemetryStatus::kOk) return s;
  out.reason = static_cast<SnapshotReason>(reason);
  out.last_seq = last;
  return TelemetryStatus::kOk;
}

TelemetryStatus decode_status_request(const TelemetryFrame& f, StatusRequest& out) {
  if (f.type != TelemetryType::kStatusRequest) return TelemetryStatus::kWrongType;
  VarReader r(f.body);
  const auto id = static_cast<uint32_t>(r.varint(UINT32_MAX));
  const TelemetryStatus s = finish_body(r);
  if (s != TelemetryStatus::kOk) return s;
  out.request_id = id;
  return TelemetryStatus::kOk;
}

}  // namespace meshota::core
