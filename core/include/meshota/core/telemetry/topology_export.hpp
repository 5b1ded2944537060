#pragma once
// The mesh's real topology as data, in the shape of a Grafana node graph
// (nodes: id, title, mainstat, secondarystat, ...; edges: id, source, target,
// mainstat): every node the status service knows, with its parent and hop
// count, and one edge per neighbour-table entry carrying that link's measured
// quality. Alteriom's MqttStatusBridge linked every node to the gateway with a
// constant quality 0.9; here every number is a measurement or "unknown".
// Plain structs: the simulator or a gateway serialises them.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/telemetry/status_service.hpp"

namespace meshota::core {

inline constexpr uint8_t kQualityUnknown = 0xFF;

/// A node-graph node (Grafana: id, title = id in hex, mainstat = free heap, secondarystat = hops).
struct TopologyNode {
  NodeId id = 0;
  NodeId parent_id = 0;
  uint8_t hop_count = kHopsUnknown;
  bool has_metrics = false;
  bool online = true;
  uint32_t free_heap_bytes = 0;
  UpdateState update_state = UpdateState::kIdle;
  uint16_t alert_mask = 0;
};

/// A node-graph edge from the node that measured the link to its neighbour.
struct TopologyEdge {
  NodeId source = 0;
  NodeId target = 0;
  bool tree = false;         ///< the source's parent link
  bool dead = false;         ///< the source heard nothing from the target for a while
  uint8_t quality_pct = kQualityUnknown;  ///< 100 - loss, else RSSI mapped -100..-50 dBm -> 0..100
  int8_t rssi_dbm = kRssiUnmeasured;
  int8_t snr_db = kSnrUnmeasured;
  uint8_t loss_pct = kLossUnmeasured;
  uint16_t rtt_ms = kRttUnmeasured;
};

/// What one export call wrote.
struct TopologyExport {
  size_t nodes = 0;
  size_t edges = 0;
  uint32_t next_cursor = kCursorEnd;  ///< kCursorEnd: complete; otherwise call again from here
};

/// A link's quality in percent from what was measured (kQualityUnknown when nothing was).
uint8_t link_quality_pct(const NeighbourLink& link);

/// Exports nodes (in table order from `cursor`) with their edges until either span is full; a node
/// is written only together with all its edges.
TopologyExport export_topology(const StatusService& service, uint32_t cursor, std::span<TopologyNode> nodes,
                               std::span<TopologyEdge> edges);

}  // namespace meshota::core
