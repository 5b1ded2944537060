#pragma once
// Seed option 2A: Alteriom's EnhancedStatusPackage (examples/alteriom/
// alteriom_sensor_package.hpp, painlessMesh fork v1.7.0), field for field, in
// two encodings:
// - painlessMesh-compatible JSON, written as ArduinoJson writes the package
//   (BroadcastPackage's from, routing, type, then the 16 payload keys in
//   addTo() order) and sent as the example sends it: the JSON text as `msg` of
//   a type-8 broadcast;
// - a compact binary TELEMETRY frame of type kEnhancedStatus.
// Which measurement fills each key is in make_enhanced_status() and
// docs/telemetry.md; keys without a measurement are left out, never filled
// with the example's constants.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "meshota/core/codec/json_reader.hpp"
#include "meshota/core/fixed_string.hpp"
#include "meshota/core/pm/pm_codec.hpp"
#include "meshota/core/telemetry/node_metrics.hpp"
#include "meshota/core/telemetry/codec/telemetry_wire.hpp"

namespace meshota::core {

/// The package's painlessMesh type in fork v1.7.0 (604 in later versions).
inline constexpr uint16_t kEnhancedStatusType = 203;

/// alertFlags bits as the seeds define them (FEATURE_PROPOSALS, "Alert Flags").
inline constexpr uint8_t kAlertLowMemory = 1u << 0;       ///< free heap < 10 KB
inline constexpr uint8_t kAlertHighLatency = 1u << 1;     ///< latency > 500 ms
inline constexpr uint8_t kAlertPacketLoss = 1u << 2;      ///< loss > 10 %
inline constexpr uint8_t kAlertConnectionLost = 1u << 3;  ///< no parent (and not the root)
inline constexpr uint8_t kAlertOtaFailed = 1u << 4;       ///< update failed or reverted
inline constexpr uint8_t kAlertSensorError = 1u << 5;     ///< never set: meshota has no sensor
inline constexpr uint8_t kAlertWifiWeak = 1u << 6;        ///< parent RSSI < -80 dBm
inline constexpr uint8_t kAlertRebootLoop = 1u << 7;      ///< never set by a node: the root decides

/// EnhancedStatus::present bits: keys written only when measured.
inline constexpr uint8_t kHasWifi = 0x01;
inline constexpr uint8_t kHasLatency = 0x02;
inline constexpr uint8_t kHasLoss = 0x04;
inline constexpr uint8_t kHasThroughput = 0x08;

/// The EnhancedStatusPackage's fields with its C++ types and units (JSON key in brackets).
struct EnhancedStatus {
  NodeId from = 0;
  uint8_t status = 0;        ///< [status] bit 0 running, bits 1-3 UpdateState
  uint32_t uptime_s = 0;     ///< [uptime]
  uint16_t mem_kb = 0;       ///< [mem] free heap / 1024, as the example
  uint8_t wifi_pct = 0;      ///< [wifi] parent RSSI mapped -100..-50 dBm -> 0..100, as the example
  FixedString<kFwVersionMaxBytes> fw;  ///< [fw]
  FixedString<32> fw_md5;    ///< [fwMD5] hex of the image digest prefix we have (16 chars)
  uint16_t nodes = 0;        ///< [nodes]
  uint8_t conns = 0;         ///< [conns]
  uint32_t msg_rx = 0;       ///< [msgRx]
  uint32_t msg_tx = 0;       ///< [msgTx]
  uint32_t msg_drop = 0;     ///< [msgDrop]
  uint16_t latency_ms = 0;   ///< [latency] round trip to the parent
  uint8_t loss_pct = 0;      ///< [loss] parent link
  uint16_t throughput_bps = 0;  ///< [throughput] bytes/s
  uint8_t alerts = 0;        ///< [alerts] kAlert* bits
  FixedString<kFwVersionMaxBytes> last_err;  ///< [lastErr]
  uint8_t present = 0;       ///< kHas* bits

  bool operator==(const EnhancedStatus&) const = default;
};

/// The 2A view of a sample: which measurement fills which key (see docs/telemetry.md).
EnhancedStatus make_enhanced_status(const NodeMetrics& m, NodeId self);

/// The package as JSON text (no terminator). Returns its size, 0 when `out` is too small.
size_t encode_enhanced_status_json(const EnhancedStatus& s, std::span<uint8_t> out,
                                   uint16_t type = kEnhancedStatusType);
/// Reads the package from its JSON text (`from` included). kWrongType for another package type.
PmDecodeStatus decode_enhanced_status_json(std::string_view text, EnhancedStatus& out,
                                           uint16_t type = kEnhancedStatusType);

/// The type-8 broadcast that carries the JSON as its `msg`, '\0'-terminated as on the wire.
size_t encode_enhanced_status_broadcast(const EnhancedStatus& s, std::span<uint8_t> out,
                                        uint16_t type = kEnhancedStatusType);
/// Reads a parsed type-8 package whose msg is the status JSON; `scratch` holds the unescaped msg.
PmDecodeStatus decode_enhanced_status_broadcast(const JsonReader& json, std::span<char> scratch,
                                                EnhancedStatus& out, uint16_t type = kEnhancedStatusType);

/// Largest binary form (all keys present, strings at their limits).
inline constexpr size_t kMaxEnhancedStatusBytes =
    kTelemetryOverheadBytes + 1 + 1 + 5 + 3 + 1 + (1 + kFwVersionMaxBytes) + (1 + 32) + 3 + 1 + 5 + 5 + 5 + 3 + 1 +
    3 + 1 + (1 + kFwVersionMaxBytes);
static_assert(kMaxEnhancedStatusBytes <= kTelemetryMaxFrameBytes);

/// The compact binary form (the transport gives `from`, so it is not repeated).
size_t encode_enhanced_status_binary(const EnhancedStatus& s, uint8_t seq, std::span<uint8_t> out);
TelemetryStatus decode_enhanced_status_binary(const TelemetryFrame& f, EnhancedStatus& out);

}  // namespace meshota::core
