#include "meshota/core/telemetry/topology_export.hpp"

namespace meshota::core {
namespace {

TopologyEdge edge_of(NodeId source, NodeId parent, const NeighbourLink& n) {
  TopologyEdge e;
  e.source = source;
  e.target = n.id;
  e.tree = n.id == parent;
  e.dead = (n.flags & kLinkDead) != 0;
  e.quality_pct = link_quality_pct(n);
  e.rssi_dbm = n.rssi_dbm;
  e.snr_db = n.snr_db;
  e.loss_pct = n.loss_pct;
  e.rtt_ms = n.rtt_ms;
  return e;
}

size_t edges_of(const NodeStatus& s) {
  if (!s.has_metrics) return 0;
  const bool parent_listed = s.metrics.parent_link() != nullptr;
  return s.metrics.neighbour_count + (s.metrics.parent_id != 0 && !parent_listed ? 1u : 0u);
}

}  // namespace

uint8_t link_quality_pct(const NeighbourLink& link) {
  if (link.loss_pct != kLossUnmeasured) return static_cast<uint8_t>(100 - (link.loss_pct > 100 ? 100 : link.loss_pct));
  if (link.rssi_dbm != kRssiUnmeasured) {
    const int pct = (link.rssi_dbm + 100) * 2;
    return static_cast<uint8_t>(pct < 0 ? 0 : (pct > 100 ? 100 : pct));
  }
  return kQualityUnknown;
}

TopologyExport export_topology(const StatusService& service, uint32_t cursor, std::span<TopologyNode> nodes,
                               std::span<TopologyEdge> edges) {
  TopologyExport r;
  const auto slots = service.table().slots();
  for (size_t i = cursor; i < slots.size(); ++i) {
    const NodeStatus& s = slots[i];
    if (s.id == 0) continue;
    if (r.nodes == nodes.size() || r.edges + edges_of(s) > edges.size()) {
      r.next_cursor = static_cast<uint32_t>(i);
      return r;
    }
    TopologyNode& n = nodes[r.nodes++];
    n = TopologyNode{};
    n.id = s.id;
    n.has_metrics = s.has_metrics;
    n.online = (s.alert_mask & (1u << static_cast<uint8_t>(AlertMetric::kOffline))) == 0;
    n.alert_mask = s.alert_mask;
    if (!s.has_metrics) continue;
    const NodeMetrics& m = s.metrics;
    n.parent_id = m.parent_id;
    n.hop_count = m.hop_count;
    n.free_heap_bytes = m.free_heap_bytes;
    n.update_state = m.update_state;
    for (size_t k = 0; k < m.neighbour_count && k < kMaxNeighbours; ++k)
      edges[r.edges++] = edge_of(s.id, m.parent_id, m.neighbours[k]);
    if (m.parent_id != 0 && m.parent_link() == nullptr) {
      // The parent is known but its link was not measured: a tree edge of unknown quality.
      TopologyEdge& e = edges[r.edges++];
      e = TopologyEdge{};
      e.source = s.id;
      e.target = m.parent_id;
      e.tree = true;
    }
  }
  return r;
}

}  // namespace meshota::core
