#pragma once
// The messages that carry every field of NodeMetrics: SNAPSHOT (2C, the base
// that deltas apply to) and STATUS_RESPONSE (2B). Both share one body layout
// (docs/telemetry.md, "Metrics body").

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/telemetry/node_metrics.hpp"
#include "meshota/core/telemetry/codec/telemetry_wire.hpp"

namespace meshota::core {

/// Largest metrics body: every varint at its widest, a 31-byte version, 8 neighbours.
inline constexpr size_t kMaxMetricsBodyBytes =
    5 + 5 + 1 + 5 + 5 + 5 + 5 + 5 + 4 + 1 + 3 + 2 + 5 + 3 + 1 + 1 + 2 + (1 + kFwVersionMaxBytes) +
    kImageHashPrefixBytes + 1 + kMaxNeighbours * (4 + 1 + 1 + 1 + 1 + 3);
inline constexpr size_t kMaxSnapshotBytes = kTelemetryOverheadBytes + 3 + kMaxMetricsBodyBytes;
inline constexpr size_t kMaxStatusResponseBytes = kTelemetryOverheadBytes + 5 + kMaxMetricsBodyBytes;
static_assert(kMaxSnapshotBytes <= kTelemetryMaxFrameBytes && kMaxStatusResponseBytes <= kTelemetryMaxFrameBytes);

/// Writes every field of `m` (call normalize() first: out-of-range values would not decode).
void write_metrics_body(VarWriter& w, const NodeMetrics& m);
/// Reads every field into `out`; errors are left in the reader.
void read_metrics_body(VarReader& r, NodeMetrics& out);

/// A SNAPSHOT: the node's report interval (so the root knows when to expect the next) and every field.
struct Snapshot {
  uint16_t report_interval_s = 0;
  NodeMetrics metrics;
};

/// A STATUS_RESPONSE: which request it answers and every field, sampled when the request came.
struct StatusResponse {
  uint32_t request_id = 0;
  NodeMetrics metrics;
};

size_t encode_snapshot(const Snapshot& m, uint8_t seq, std::span<uint8_t> out);
size_t encode_status_response(const StatusResponse& m, uint8_t seq, std::span<uint8_t> out);
TelemetryStatus decode_snapshot(const TelemetryFrame& f, Snapshot& out);
TelemetryStatus decode_status_response(const TelemetryFrame& f, StatusResponse& out);

}  // namespace meshota::core
