// Seed option 2A: Alteriom's EnhancedStatusPackage written byte for byte as
// ArduinoJson writes it (BroadcastPackage's from/routing/type, then the 16 keys
// in addTo() order), sent as the msg of a type-8 broadcast like the example,
// parsed back; the measurement behind each key; keys without a measurement
// left out; the compact binary form of the same fields.

#include <catch2/catch.hpp>
#include <string>

#include "meshota/core/codec/json_reader.hpp"
#include "meshota/core/telemetry/codec/enhanced_status.hpp"
#include "telemetry_test_util.hpp"

using namespace meshota::core;
using meshota::test::as_text;
using meshota::test::Bytes;
using meshota::test::sample_metrics;

namespace {

const std::string kInner =
    R"({"from":1234567890,"routing":2,"type":203,"status":1,"uptime":3600,"mem":42,"wifi":72,"fw":"1.2.3",)"
    R"("fwMD5":"0123456789abcdef","nodes":12,"conns":2,"msgRx":1234,"msgTx":1200,"msgDrop":3,"latency":45,)"
    R"("loss":1,"throughput":512,"alerts":0,"lastErr":""})";

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string json_of(const EnhancedStatus& s, uint16_t type = kEnhancedStatusType) {
  Bytes b(1024);
  b.resize(encode_enhanced_status_json(s, b, type));
  return as_text(b);
}

}  // namespace

TEST_CASE("telemetry 2A: the package JSON is byte-exact in ArduinoJson's key order", "[telemetry][2a]") {
  const EnhancedStatus s = make_enhanced_status(sample_metrics(), 1234567890);
  CHECK(json_of(s) == kInner);
  EnhancedStatus back;
  REQUIRE(decode_enhanced_status_json(kInner, back) == PmDecodeStatus::kOk);
  CHECK(back == s);
  // Later forks use type 604; the package refuses the other number.
  const std::string j604 = json_of(s, 604);
  CHECK(j604.find(R"("type":604)") != std::string::npos);
  CHECK(decode_enhanced_status_json(j604, back) == PmDecodeStatus::kWrongType);
  CHECK(decode_enhanced_status_json(j604, back, 604) == PmDecodeStatus::kOk);
}

TEST_CASE("telemetry 2A: sent as the msg of a type-8 broadcast, as the Alteriom example does", "[telemetry][2a]") {
  const EnhancedStatus s = make_enhanced_status(sample_metrics(), 1234567890);
  Bytes b(2048);
  b.resize(encode_enhanced_status_broadcast(s, b));
  const std::string expected = R"({"type":8,"dest":0,"from":1234567890,"msg":")" + escaped(kInner) + "\"}" + '\0';
  CHECK(as_text(b) == expected);
  const std::string text = as_text(b);  // the reader keeps views into it
  JsonReader json;
  REQUIRE(json.parse(text));
  char scratch[640];
  EnhancedStatus back;
  REQUIRE(decode_enhanced_status_broadcast(json, scratch, back) == PmDecodeStatus::kOk);
  CHECK(back == s);
  std::printf("telemetry 2A: package JSON %zu B, as a type-8 broadcast on the wire %zu B (seeds: ~500 B)\n",
              kInner.size(), b.size());
}

TEST_CASE("telemetry 2A: each key comes from a measurement; unmeasured keys are left out", "[telemetry][2a]") {
  NodeMetrics m = sample_metrics();
  // A radio node: RSSI but no loss or rtt on its parent link, no throughput measurement.
  m.neighbours[0].loss_pct = kLossUnmeasured;
  m.neighbours[0].rtt_ms = kRttUnmeasured;
  m.throughput_bps = kThroughputUnmeasured;
  EnhancedStatus s = make_enhanced_status(m, 7);
  CHECK(s.present == kHasWifi);
  std::string j = json_of(s);
  CHECK(j.find("latency") == std::string::npos);
  CHECK(j.find("loss") == std::string::npos);
  CHECK(j.find("throughput") == std::string::npos);
  CHECK(j.find(R"("wifi":72)") != std::string::npos);
  // No parent link in the table: no wifi either.
  m.parent_id = 99;
  s = make_enhanced_status(m, 7);
  CHECK(s.present == 0);
  EnhancedStatus back;
  REQUIRE(decode_enhanced_status_json(json_of(s), back) == PmDecodeStatus::kOk);
  CHECK(back == s);

  // The seeds' alert flags, from the seeds' thresholds.
  m = sample_metrics();
  m.free_heap_bytes = 9000;
  m.neighbours[0].rssi_dbm = -85;
  m.neighbours[0].loss_pct = 12;
  m.neighbours[0].rtt_ms = 600;
  m.update_state = UpdateState::kReverted;
  s = make_enhanced_status(m, 7);
  CHECK(s.alerts == (kAlertLowMemory | kAlertWifiWeak | kAlertPacketLoss | kAlertHighLatency | kAlertOtaFailed));
  CHECK(s.last_err == std::string_view("update reverted"));
  CHECK(s.status == (1 | static_cast<int>(UpdateState::kReverted) << 1));
  CHECK(s.mem_kb == 8);
  CHECK(s.wifi_pct == 30);  // map(-85, -100, -50, 0, 100), as the example
  m = sample_metrics();
  m.parent_id = 0;
  m.hop_count = 3;
  m.reset_reason = ResetReason::kWatchdog;
  s = make_enhanced_status(m, 7);
  CHECK(s.alerts == kAlertConnectionLost);
  CHECK(s.last_err == std::string_view("reset: watchdog"));
  m.hop_count = 0;  // the root has no parent and is not disconnected
  CHECK(make_enhanced_status(m, 7).alerts == 0);
}

TEST_CASE("telemetry 2A: a package from another node decodes whatever it omits", "[telemetry][2a]") {
  // What the Alteriom example sends (its placeholder md5, constants for the performance keys).
  const std::string example =
      R"({"from":42,"routing":2,"type":203,"status":1,"uptime":10,"mem":128,"wifi":75,"fw":"1.0.0-phase1",)"
      R"("fwMD5":"abc123def456","nodes":3,"conns":1,"msgRx":5,"msgTx":6,"msgDrop":0,"latency":50,"loss":1,)"
      R"("throughput":512,"alerts":0,"lastErr":""})";
  EnhancedStatus s;
  REQUIRE(decode_enhanced_status_json(example, s) == PmDecodeStatus::kOk);
  CHECK(s.from == 42);
  CHECK(s.fw_md5 == std::string_view("abc123def456"));
  CHECK(s.present == (kHasWifi | kHasLatency | kHasLoss | kHasThroughput));
  CHECK(json_of(s) == example);
  CHECK(decode_enhanced_status_json(R"({"from":1,"type":203})", s) == PmDecodeStatus::kOk);
  CHECK(s.uptime_s == 0);
  CHECK(decode_enhanced_status_json(R"({"from":1,"type":203,"mem":70000})", s) == PmDecodeStatus::kBadValue);
  CHECK(decode_enhanced_status_json(R"({"type":203})", s) == PmDecodeStatus::kMissingField);
  CHECK(decode_enhanced_status_json("not json", s) == PmDecodeStatus::kNotJson);
}

TEST_CASE("telemetry 2A: the binary form carries the same fields", "[telemetry][2a]") {
  EnhancedStatus s = make_enhanced_status(sample_metrics(), 1234567890);
  Bytes b(kTelemetryMaxFrameBytes);
  b.resize(encode_enhanced_status_binary(s, 9, b));
  REQUIRE(!b.empty());
  TelemetryFrame f;
  REQUIRE(open_telemetry_frame(b, f) == TelemetryStatus::kOk);
  EnhancedStatus back;
  back.from = 1234567890;  // the transport says who sent it
  REQUIRE(decode_enhanced_status_binary(f, back) == TelemetryStatus::kOk);
  CHECK(back == s);
  std::printf("telemetry 2A: binary form %zu B (JSON %zu B)\n", b.size(), kInner.size());
  CHECK(b.size() < 50);
  // An md5 that is not lowercase hex travels as text, unchanged.
  s.fw_md5.assign("ABC-not-hex");
  s.present = 0;  // keys left out read back as 0
  s.wifi_pct = 0;
  s.latency_ms = 0;
  s.loss_pct = 0;
  s.throughput_bps = 0;
  s.last_err.assign(std::string(kFwVersionMaxBytes, 'e'));
  b.assign(kTelemetryMaxFrameBytes, 0);
  b.resize(encode_enhanced_status_binary(s, 9, b));
  REQUIRE(open_telemetry_frame(b, f) == TelemetryStatus::kOk);
  back.from = s.from;
  REQUIRE(decode_enhanced_status_binary(f, back) == TelemetryStatus::kOk);
  CHECK(back == s);
}
