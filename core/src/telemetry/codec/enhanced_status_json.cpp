#include "meshota/core/codec/json_writer.hpp"
#include "meshota/core/telemetry/codec/enhanced_status.hpp"

namespace meshota::core {
namespace {

// Reads an unsigned key into a field of at most `max`; absent keys read as 0, as ArduinoJson does.
template <typename T>
bool read_uint(const JsonReader& json, std::string_view key, uint64_t max, T& out, bool* present = nullptr) {
  if (!json.has(key)) {
    out = 0;
    if (present != nullptr) *present = false;
    return true;
  }
  uint64_t v = 0;
  if (!json.get_uint(key, v) || v > max) return false;
  out = static_cast<T>(v);
  if (present != nullptr) *present = true;
  return true;
}

template <size_t N>
bool read_text(const JsonReader& json, std::string_view key, FixedString<N>& out) {
  out.clear();
  if (!json.has(key)) return true;
  char buf[N];
  std::string_view text;
  return json.get_string(key, std::span<char>(buf, N), text) && out.assign(text);
}

bool read_optional(const JsonReader& json, EnhancedStatus& s) {
  bool wifi = false, latency = false, loss = false, throughput = false;
  const bool ok = read_uint(json, "wifi", 0xFF, s.wifi_pct, &wifi) &&
                  read_uint(json, "latency", 0xFFFF, s.latency_ms, &latency) &&
                  read_uint(json, "loss", 0xFF, s.loss_pct, &loss) &&
                  read_uint(json, "throughput", 0xFFFF, s.throughput_bps, &throughput);
  s.present = static_cast<uint8_t>((wifi ? kHasWifi : 0) | (latency ? kHasLatency : 0) | (loss ? kHasLoss : 0) |
                                   (throughput ? kHasThroughput : 0));
  return ok;
}

}  // namespace

size_t encode_enhanced_status_json(const EnhancedStatus& s, std::span<uint8_t> out, uint16_t type) {
  // BroadcastPackage::addTo (from, routing, type), then EnhancedStatusPackage::addTo in order.
  JsonWriter w(out);
  w.begin_object();
  w.field_uint("from", s.from);
  w.field_uint("routing", static_cast<uint64_t>(Routing::kBroadcast));
  w.field_uint("type", type);
  w.field_uint("status", s.status);
  w.field_uint("uptime", s.uptime_s);
  w.field_uint("mem", s.mem_kb);
  if (s.present & kHasWifi) w.field_uint("wifi", s.wifi_pct);
  w.field_string("fw", s.fw.view());
  w.field_string("fwMD5", s.fw_md5.view());
  w.field_uint("nodes", s.nodes);
  w.field_uint("conns", s.conns);
  w.field_uint("msgRx", s.msg_rx);
  w.field_uint("msgTx", s.msg_tx);
  w.field_uint("msgDrop", s.msg_drop);
  if (s.present & kHasLatency) w.field_uint("latency", s.latency_ms);
  if (s.present & kHasLoss) w.field_uint("loss", s.loss_pct);
  if (s.present & kHasThroughput) w.field_uint("throughput", s.throughput_bps);
  w.field_uint("alerts", s.alerts);
  w.field_string("lastErr", s.last_err.view());
  w.end_object();
  return w.size();
}

PmDecodeStatus decode_enhanced_status_json(std::string_view text, EnhancedStatus& out, uint16_t type) {
  JsonReader json;
  if (!json.parse(text)) return PmDecodeStatus::kNotJson;
  uint32_t t = 0;
  EnhancedStatus s;
  if (!json.get_u32("type", t) || !json.get_u32("from", s.from)) return PmDecodeStatus::kMissingField;
  if (t != type) return PmDecodeStatus::kWrongType;
  const bool ok = read_uint(json, "status", 0xFF, s.status) && read_uint(json, "uptime", UINT32_MAX, s.uptime_s) &&
                  read_uint(json, "mem", 0xFFFF, s.mem_kb) && read_text(json, "fw", s.fw) &&
                  read_text(json, "fwMD5", s.fw_md5) && read_uint(json, "nodes", 0xFFFF, s.nodes) &&
                  read_uint(json, "conns", 0xFF, s.conns) && read_uint(json, "msgRx", UINT32_MAX, s.msg_rx) &&
                  read_uint(json, "msgTx", UINT32_MAX, s.msg_tx) &&
                  read_uint(json, "msgDrop", UINT32_MAX, s.msg_drop) && read_optional(json, s) &&
                  read_uint(json, "alerts", 0xFF, s.alerts) && read_text(json, "lastErr", s.last_err);
  if (!ok) return PmDecodeStatus::kBadValue;
  out = s;
  return PmDecodeStatus::kOk;
}

size_t encode_enhanced_status_broadcast(const EnhancedStatus& s, std::span<uint8_t> out, uint16_t type) {
  uint8_t text[512];
  const size_t n = encode_enhanced_status_json(s, text, type);
  if (n == 0) return 0;
  PmUserMessage msg;
  msg.type = PmType::kBroadcast;
  msg.dest = 0;
  msg.from = s.from;
  msg.msg = std::string_view(reinterpret_cast<const char*>(text), n);
  return pm_encode(msg, out);
}

PmDecodeStatus decode_enhanced_status_broadcast(const JsonReader& json, std::span<char> scratch,
                                                EnhancedStatus& out, uint16_t type) {
  PmUserMessage msg;
  const PmDecodeStatus status = pm_decode(json, scratch, msg);
  if (status != PmDecodeStatus::kOk) return status;
  if (msg.type != PmType::kBroadcast) return PmDecodeStatus::kWrongType;
  return decode_enhanced_status_json(msg.msg, out, type);
}

}  // namespace meshota::core
