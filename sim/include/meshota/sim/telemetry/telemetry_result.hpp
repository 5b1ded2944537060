#pragma once
// What telemetry did in one run, as plain data for reports and tests: every
// report the root applied, every alert, every status aggregation, and the
// bytes each telemetry message type cost, as the core encoded them.

#include <array>
#include <cstdint>
#include <vector>

#include "meshota/core/telemetry/detect/alert.hpp"
#include "meshota/core/telemetry/node_metrics.hpp"
#include "meshota/core/telemetry/telemetry_agent.hpp"
#include "meshota/core/telemetry/telemetry_collector.hpp"
#include "meshota/sim/engine/event_queue.hpp"

namespace meshota::sim {

/// One report the root applied: the node's state as the root reconstructed it.
struct TelemetrySample {
  SimTime at_ns = 0;
  uint32_t node = 0;  ///< node index
  bool snapshot = false;
  core::NodeMetrics metrics;
};

/// One alert raised or cleared at the root, with the node's index.
struct TelemetryAlert {
  uint32_t node = 0;
  core::Alert alert;
};

/// One status aggregation (2B) over the whole mesh.
struct TelemetryAggregation {
  SimTime started_ns = 0;
  SimTime finished_ns = -1;  ///< -1: still running at the end of the run
  uint32_t targets = 0;
  uint32_t answered = 0;
  bool partial = false;
  std::vector<uint32_t> silent;  ///< node indices that did not answer
};

/// Application messages of one telemetry type (the core's frame type byte).
struct TelemetryTypeBytes {
  uint64_t messages = 0;
  uint64_t payload_bytes = 0;  ///< telemetry frame bytes as the core encoded them
  uint64_t wire_bytes = 0;     ///< the frame as sent: on painlessMesh, the type-90 JSON package
};

/// Frame types 1..6 of docs/telemetry.md, and [7] the 2A JSON broadcast (type 8 package).
inline constexpr size_t kTelemetryTypeSlots = 8;

/// One injected event as it happened in the run.
struct TelemetryEventRun {
  uint32_t spec_index = 0;  ///< index in Scenario::telemetry.events
  SimTime started_ns = -1;
};

/// Everything telemetry measured in a run.
struct TelemetryResult {
  bool enabled = false;
  uint32_t root = 0;
  std::vector<TelemetrySample> samples;
  std::vector<TelemetryAlert> alerts;
  std::vector<TelemetryAggregation> aggregations;
  std::array<TelemetryTypeBytes, kTelemetryTypeSlots> by_type{};
  /// The 2A JSON broadcast the same node states would have cost (the seeds' package, measured beside 2C).
  uint64_t json_2a_reports = 0;
  uint64_t json_2a_bytes = 0;
  core::TelemetryAgentStats agents;  ///< summed over every node and boot
  core::CollectorStats collector;    ///< summed over the root's boots
  std::vector<TelemetryEventRun> events;
  std::vector<SimTime> last_frame_ns;  ///< per node: the root last heard it (-1 never)
  /// Per report applied: seconds from the node handing it to the transport to the root applying it.
  std::vector<float> report_latency_s;
  std::vector<int> true_hops;          ///< per node at the end: the simulated tree's depth (-1 detached or down)
};

}  // namespace meshota::sim
