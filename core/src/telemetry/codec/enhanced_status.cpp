#include "meshota/core/telemetry/codec/enhanced_status.hpp"

namespace meshota::core {
namespace {

constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string_view last_error(const NodeMetrics& m) {
  if (m.update_state == UpdateState::kFailed) return "update failed";
  if (m.update_state == UpdateState::kReverted) return "update reverted";
  switch (m.reset_reason) {
    case ResetReason::kPanic: return "reset: panic";
    case ResetReason::kWatchdog: return "reset: watchdog";
    case ResetReason::kBrownout: return "reset: brownout";
    default: return "";
  }
}

void fill_link_fields(const NodeMetrics& m, EnhancedStatus& s) {
  const NeighbourLink* parent = m.parent_link();
  if (parent == nullptr) return;
  if (parent->rssi_dbm != kRssiUnmeasured) {
    // The example: constrain(map(WiFi.RSSI(), -100, -50, 0, 100), 0, 100).
    const int pct = (parent->rssi_dbm + 100) * 2;
    s.wifi_pct = static_cast<uint8_t>(pct < 0 ? 0 : (pct > 100 ? 100 : pct));
    s.present |= kHasWifi;
    if (parent->rssi_dbm < -80) s.alerts |= kAlertWifiWeak;
  }
  if (parent->rtt_ms != kRttUnmeasured) {
    s.latency_ms = parent->rtt_ms;
    s.present |= kHasLatency;
    if (s.latency_ms > 500) s.alerts |= kAlertHighLatency;
  }
  if (parent->loss_pct != kLossUnmeasured) {
    s.loss_pct = parent->loss_pct;
    s.present |= kHasLoss;
    if (s.loss_pct > 10) s.alerts |= kAlertPacketLoss;
  }
}

// fwMD5 packs to raw bytes when it is lowercase hex of even length (as ours always is).
void write_md5(VarWriter& w, std::string_view md5) {
  bool packable = md5.size() % 2 == 0;
  for (char c : md5) packable = packable && hex_value(c) >= 0;
  if (!packable) {
    w.u8(static_cast<uint8_t>(md5.size()));
    w.bytes(std::span(reinterpret_cast<const uint8_t*>(md5.data()), md5.size()));
    return;
  }
  w.u8(static_cast<uint8_t>(0x80 | (md5.size() / 2)));
  for (size_t i = 0; i + 1 < md5.size(); i += 2)
    w.u8(static_cast<uint8_t>(hex_value(md5[i]) << 4 | hex_value(md5[i + 1])));
}

void read_md5(VarReader& r, FixedString<32>& out) {
  const uint8_t head = r.u8();
  const size_t n = head & 0x7F;
  if ((head & 0x80) == 0) {
    const auto text = r.bytes(n <= 32 ? n : 0);
    if (n > 32) r.fail();
    out.assign(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
    return;
  }
  if (n > 16) r.fail();
  const auto raw = r.bytes(r.ok() ? n : 0);
  char hex[32];
  for (size_t i = 0; i < raw.size(); ++i) {
    hex[2 * i] = kHex[raw[i] >> 4];
    hex[2 * i + 1] = kHex[raw[i] & 0x0F];
  }
  out.assign(std::string_view(hex, 2 * raw.size()));
}

void write_text(VarWriter& w, std::string_view s) {
  w.u8(static_cast<uint8_t>(s.size()));
  w.bytes(std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

void read_text(VarReader& r, FixedString<kFwVersionMaxBytes>& out) {
  const uint8_t n = r.u8();
  if (n > kFwVersionMaxBytes) r.fail();
  const auto text = r.bytes(r.ok() ? n : 0);
  out.assign(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
}

}  // namespace

EnhancedStatus make_enhanced_status(const NodeMetrics& m, NodeId self) {
  EnhancedStatus s;
  s.from = self;
  s.status = static_cast<uint8_t>(0x01 | (static_cast<uint8_t>(m.update_state) & 0x07) << 1);
  s.uptime_s = m.uptime_s;
  const uint32_t kb = m.free_heap_bytes / 1024;
  s.mem_kb = static_cast<uint16_t>(kb > 0xFFFF ? 0xFFFF : kb);
  s.fw = m.fw_version;
  char hex[2 * kImageHashPrefixBytes];
  for (size_t i = 0; i < kImageHashPrefixBytes; ++i) {
    hex[2 * i] = kHex[m.image_hash_prefix[i] >> 4];
    hex[2 * i + 1] = kHex[m.image_hash_prefix[i] & 0x0F];
  }
  s.fw_md5.assign(std::string_view(hex, sizeof(hex)));
  s.nodes = m.known_nodes;
  s.conns = m.direct_links;
  s.msg_rx = m.msgs_received;
  s.msg_tx = m.msgs_sent;
  s.msg_drop = m.msgs_dropped;
  fill_link_fields(m, s);
  if (m.throughput_bps != kThroughputUnmeasured) {
    s.throughput_bps = static_cast<uint16_t>(m.throughput_bps > 0xFFFF ? 0xFFFF : m.throughput_bps);
    s.present |= kHasThroughput;
  }
  if (m.free_heap_bytes < 10 * 1024) s.alerts |= kAlertLowMemory;
  if (m.parent_id == 0 && m.hop_count != 0) s.alerts |= kAlertConnectionLost;
  if (m.update_state == UpdateState::kFailed || m.update_state == UpdateState::kReverted)
    s.alerts |= kAlertOtaFailed;
  s.last_err.assign(last_error(m));
  return s;
}

size_t encode_enhanced_status_binary(const EnhancedStatus& s, uint8_t seq, std::span<uint8_t> out) {
  TelemetryFrameWriter f(out, TelemetryType::kEnhancedStatus, seq);
  VarWriter& w = f.body();
  w.u8(s.present);
  w.u8(s.status);
  w.varint(s.uptime_s);
  w.varint(s.mem_kb);
  if (s.present & kHasWifi) w.u8(s.wifi_pct);
  write_text(w, s.fw.view());
  write_md5(w, s.fw_md5.view());
  w.varint(s.nodes);
  w.u8(s.conns);
  w.varint(s.msg_rx);
  w.varint(s.msg_tx);
  w.varint(s.msg_drop);
  if (s.present & kHasLatency) w.varint(s.latency_ms);
  if (s.present & kHasLoss) w.u8(s.loss_pct);
  if (s.present & kHasThroughput) w.varint(s.throughput_bps);
  w.u8(s.alerts);
  write_text(w, s.last_err.view());
  return f.seal();
}

TelemetryStatus decode_enhanced_status_binary(const TelemetryFrame& f, EnhancedStatus& out) {
  if (f.type != TelemetryType::kEnhancedStatus) return TelemetryStatus::kWrongType;
  VarReader r(f.body);
  EnhancedStatus s;
  s.present = r.u8();
  if ((s.present & ~0x0F) != 0) r.fail();
  s.status = r.u8();
  s.uptime_s = static_cast<uint32_t>(r.varint(UINT32_MAX));
  s.mem_kb = static_cast<uint16_t>(r.varint(0xFFFF));
  if (s.present & kHasWifi) s.wifi_pct = r.u8();
  read_text(r, s.fw);
  read_md5(r, s.fw_md5);
  s.nodes = static_cast<uint16_t>(r.varint(0xFFFF));
  s.conns = r.u8();
  s.msg_rx = static_cast<uint32_t>(r.varint(UINT32_MAX));
  s.msg_tx = static_cast<uint32_t>(r.varint(UINT32_MAX));
  s.msg_drop = static_cast<uint32_t>(r.varint(UINT32_MAX));
  if (s.present & kHasLatency) s.latency_ms = static_cast<uint16_t>(r.varint(0xFFFF));
  if (s.present & kHasLoss) s.loss_pct = r.u8();
  if (s.present & kHasThroughput) s.throughput_bps = static_cast<uint16_t>(r.varint(0xFFFF));
  s.alerts = r.u8();
  read_text(r, s.last_err);
  const TelemetryStatus status = finish_body(r);
  if (status != TelemetryStatus::kOk) return status;
  s.from = out.from;  // the transport's, kept by the caller
  out = s;
  return TelemetryStatus::kOk;
}

}  // namespace meshota::core
