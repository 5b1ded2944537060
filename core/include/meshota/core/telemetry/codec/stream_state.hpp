#pragma once
// A node's report stream as the root reconstructs it (2C), and the rules both
// ends share. The node's DeltaEncoder runs these same functions on every
// message it sends, so its copy of the root's state is the root's state by
// construction, not by keeping two implementations in step.
//
// Fields, in change-mask bit order (most often changing first, so the mask,
// a varint, is usually one byte), and how a DELTA carries a changed one:
//   counter : svarint of (value - prediction) mod 2^32, prediction = last value
//             + the increment of two reports back (a counter that keeps its rate
//             costs nothing, and neither does one whose increments alternate, as
//             painlessMesh's background traffic does at 30 s reports);
//   gauge   : svarint of (value - last decoded value);
//   value   : the new value (varint; parent id as u32);
//   bytes   : the new string (u8 length + bytes) or hash prefix (8 bytes);
//   table   : the neighbour section (docs/telemetry.md).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/telemetry/node_metrics.hpp"
#include "meshota/core/telemetry/codec/telemetry_wire.hpp"

namespace meshota::core {

/// One bit of a DELTA's change mask per field.
enum class MetricField : uint8_t {
  kMsgsReceived = 0,
  kMsgsSent = 1,
  kFreeHeap = 2,
  kNeighbours = 3,
  kQueueDepth = 4,
  kAirtime = 5,
  kThroughput = 6,
  kMsgsDropped = 7,
  kUptime = 8,
  kMinFreeHeap = 9,
  kKnownNodes = 10,
  kDirectLinks = 11,
  kParentId = 12,
  kHopCount = 13,
  kUpdateState = 14,
  kUpdateProgress = 15,
  kBootCount = 16,
  kResetReason = 17,
  kFwVersion = 18,
  kImageHash = 19,
};
inline constexpr uint8_t kMetricFieldCount = 20;

/// How a DELTA carries a field.
enum class FieldKind : uint8_t { kCounter, kGauge, kValue, kId, kBytes, kTable };

/// Neighbour entry change bits (one u8 per changed slot), values follow in this order.
inline constexpr uint8_t kLinkId = 0x01;
inline constexpr uint8_t kLinkFlags = 0x02;
inline constexpr uint8_t kLinkRssi = 0x04;
inline constexpr uint8_t kLinkSnr = 0x08;
inline constexpr uint8_t kLinkLoss = 0x10;
inline constexpr uint8_t kLinkRtt = 0x20;
inline constexpr uint8_t kLinkAll = 0x3F;

FieldKind field_kind(MetricField f);
/// The field's value as an integer (counter, gauge, value and id fields only).
int64_t field_value(const NodeMetrics& m, MetricField f);
/// Largest value the field holds; gauges decoded outside [0, max] are refused.
int64_t field_max(MetricField f);
/// Counters keep a predicted increment: their index in StreamState::increment, or -1.
int counter_index(MetricField f);
inline constexpr size_t kCounterFieldCount = 4;

/// The root's reconstruction of one node's reports, also the node's mirror of it.
struct StreamState {
  NodeMetrics metrics;
  std::array<uint32_t, kCounterFieldCount> increment{};         ///< last increment per counter, mod 2^32
  std::array<uint32_t, kCounterFieldCount> increment_before{};  ///< the increment before it: the prediction
  uint16_t report_interval_s = 0;
  uint8_t last_seq = 0;
  bool has_base = false;  ///< a snapshot was applied and no gap since
};

/// What a DELTA that leaves counter `f` out says it is: last value + the increment of two reports back.
uint32_t predicted_counter(const StreamState& s, MetricField f);

/// Applies a SNAPSHOT frame: state = its fields, predictions reset. State unchanged on error.
TelemetryStatus apply_snapshot(StreamState& s, const TelemetryFrame& f);
/// Applies a DELTA frame to a state with a base (kWrongType without one). State unchanged on error.
TelemetryStatus apply_delta(StreamState& s, const TelemetryFrame& f);

}  // namespace meshota::core
