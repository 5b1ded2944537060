#include "meshota/core/telemetry/codec/metrics_codec.hpp"

namespace meshota::core {
namespace {

// "Not measured" values sit at the top of their type; +1 (wrapping) sends them as 0, one byte.
uint64_t shifted_u32(uint32_t v) { return static_cast<uint32_t>(v + 1u); }
uint32_t unshifted_u32(uint64_t v) { return static_cast<uint32_t>(v - 1u); }
uint64_t shifted_u16(uint16_t v) { return static_cast<uint16_t>(v + 1u); }
uint16_t unshifted_u16(uint64_t v) { return static_cast<uint16_t>(v - 1u); }

void write_neighbour(VarWriter& w, const NeighbourLink& n) {
  w.u32(n.id);
  w.u8(static_cast<uint8_t>(n.rssi_dbm));
  w.u8(static_cast<uint8_t>(n.snr_db));
  w.u8(n.loss_pct);
  w.u8(n.flags);
  w.varint(shifted_u16(n.rtt_ms));
}

void read_neighbour(VarReader& r, NeighbourLink& n) {
  n.id = r.u32();
  n.rssi_dbm = static_cast<int8_t>(r.u8());
  n.snr_db = static_cast<int8_t>(r.u8());
  n.loss_pct = r.u8();
  n.flags = r.u8();
  n.rtt_ms = unshifted_u16(r.varint(0xFFFF));
  if (n.loss_pct > 100 && n.loss_pct != kLossUnmeasured) r.fail();
}

}  // namespace

void write_metrics_body(VarWriter& w, const NodeMetrics& m) {
  w.varint(m.uptime_s);
  w.varint(m.boot_count);
  w.u8(static_cast<uint8_t>(m.reset_reason));
  w.varint(m.free_heap_bytes);
  w.varint(m.min_free_heap_bytes);
  w.varint(m.msgs_sent);
  w.varint(m.msgs_received);
  w.varint(m.msgs_dropped);
  w.u32(m.parent_id);
  w.u8(m.hop_count);
  w.varint(m.queue_depth);
  w.varint(m.airtime_permille);
  w.varint(shifted_u32(m.throughput_bps));
  w.varint(m.known_nodes);
  w.u8(m.direct_links);
  w.u8(static_cast<uint8_t>(m.update_state));
  w.varint(m.update_progress_permille);
  const std::string_view fw = m.fw_version.view();
  w.u8(static_cast<uint8_t>(fw.size()));
  w.bytes(std::span(reinterpret_cast<const uint8_t*>(fw.data()), fw.size()));
  w.bytes(m.image_hash_prefix);
  w.u8(m.neighbour_count);
  for (size_t i = 0; i < m.neighbour_count && i < kMaxNeighbours; ++i) write_neighbour(w, m.neighbours[i]);
}

void read_metrics_body(VarReader& r, NodeMetrics& out) {
  NodeMetrics m;
  m.uptime_s = static_cast<uint32_t>(r.varint(UINT32_MAX));
  m.boot_count = static_cast<uint32_t>(r.varint(UINT32_MAX));
  const uint8_t reset = r.u8();
  m.free_heap_bytes = static_cast<uint32_t>(r.varint(UINT32_MAX));
  m.min_free_heap_bytes = static_cast<uint32_t>(r.varint(UINT32_MAX));
  m.msgs_sent = static_cast<uint32_t>(r.varint(UINT32_MAX));
  m.msgs_received = static_cast<uint32_t>(r.varint(UINT32_MAX));
  m.msgs_dropped = static_cast<uint32_t>(r.varint(UINT32_MAX));
  m.parent_id = r.u32();
  m.hop_count = r.u8();
  m.queue_depth = static_cast<uint16_t>(r.varint(0xFFFF));
  m.airtime_permille = static_cast<uint16_t>(r.varint(kPermilleMax));
  m.throughput_bps = unshifted_u32(r.varint(UINT32_MAX));
  m.known_nodes = static_cast<uint16_t>(r.varint(0xFFFF));
  m.direct_links = r.u8();
  const uint8_t state = r.u8();
  m.update_progress_permille = static_cast<uint16_t>(r.varint(kPermilleMax));
  const uint8_t fw_len = r.u8();
  if (fw_len > kFwVersionMaxBytes) r.fail();
  const auto fw = r.bytes(r.ok() ? fw_len : 0);
  m.fw_version.assign(std::string_view(reinterpret_cast<const char*>(fw.data()), fw.size()));
  const auto hash = r.bytes(kImageHashPrefixBytes);
  for (size_t i = 0; i < hash.size(); ++i) m.image_hash_prefix[i] = hash[i];
  m.neighbour_count = r.u8();
  if (reset >= kResetReasonCount || state >= kUpdateStateCount || m.neighbour_count > kMaxNeighbours) r.fail();
  for (size_t i = 0; r.ok() && i < m.neighbour_count; ++i) read_neighbour(r, m.neighbours[i]);
  if (!r.ok()) return;
  m.reset_reason = static_cast<ResetReason>(reset);
  m.update_state = static_cast<UpdateState>(state);
  out = m;
}

size_t encode_snapshot(const Snapshot& m, uint8_t seq, std::span<uint8_t> out) {
  TelemetryFrameWriter f(out, TelemetryType::kSnapshot, seq);
  f.body().varint(m.report_interval_s);
  write_metrics_body(f.body(), m.metrics);
  return f.seal();
}

size_t encode_status_response(const StatusResponse& m, uint8_t seq, std::span<uint8_t> out) {
  TelemetryFrameWriter f(out, TelemetryType::kStatusResponse, seq);
  f.body().varint(m.request_id);
  write_metrics_body(f.body(), m.metrics);
  return f.seal();
}

TelemetryStatus decode_snapshot(const TelemetryFrame& f, Snapshot& out) {
  if (f.type != TelemetryType::kSnapshot) return TelemetryStatus::kWrongType;
  VarReader r(f.body);
  Snapshot s;
  s.report_interval_s = static_cast<uint16_t>(r.varint(0xFFFF));
  read_metrics_body(r, s.metrics);
  const TelemetryStatus status = finish_body(r);
  if (status == TelemetryStatus::kOk) out = s;
  return status;
}

TelemetryStatus decode_status_response(const TelemetryFrame& f, StatusResponse& out) {
  if (f.type != TelemetryType::kStatusResponse) return TelemetryStatus::kWrongType;
  VarReader r(f.body);
  StatusResponse s;
  s.request_id = static_cast<uint32_t>(r.varint(UINT32_MAX));
  read_metrics_body(r, s.metrics);
  const TelemetryStatus status = finish_body(r);
  if (status == TelemetryStatus::kOk) out = s;
  return status;
}

}  // namespace meshota::core
