// Telemetry over raw ESP-NOW: a frame goes one hop, so the simulator routes
// the core's telemetry frames along the radio topology's tree (the path a
// static routing table would hold; it is not repaired when a relay fails).
// Each hop carries a 9-byte routing header (origin and final destination),
// charged on the air like any byte; the destination's core gets the frame
// without it, from the origin, as docs/telemetry.md's hosting notes ask.

#include "meshota/sim/engine/simulator.hpp"

namespace meshota::sim {
namespace {

constexpr uint8_t kRouteMagic = 0xA7;  // not 0x7B (JSON), 0xD? (OTA) nor 0xE? (telemetry)
constexpr size_t kRouteHeaderBytes = 9;

void put_u32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) b[at + static_cast<size_t>(k)] = static_cast<uint8_t>(v >> (8 * k));
}

uint32_t get_u32(const std::vector<uint8_t>& b, size_t at) {
  uint32_t v = 0;
  for (int k = 3; k >= 0; --k) v = v << 8 | b[at + static_cast<size_t>(k)];
  return v;
}

}  // namespace

uint32_t Simulator::next_hop(uint32_t node, uint32_t dest) const {
  if (dest == node || dest >= topo_.nodes) return kNoNode;
  // Down the tree when `node` is an ancestor of dest, else up to the parent.
  for (uint32_t u = dest, guard = 0; u != topo_.root && guard <= topo_.nodes; u = topo_.parent[u], ++guard)
    if (topo_.parent[u] == node) return u;
  return topo_.parent[node];
}

bool Simulator::route_telemetry_out(uint32_t node, Frame& f) {
  if (f.bytes.size() < 2 || (f.bytes[0] & 0xF0) != 0xE0 || f.dest == kNoNode) return true;  // not routed
  const uint32_t hop = next_hop(node, f.dest);
  if (hop == kNoNode) return false;
  const uint8_t type = f.bytes[1];
  f.bytes.insert(f.bytes.begin(), kRouteHeaderBytes, 0);
  f.bytes[0] = kRouteMagic;
  put_u32(f.bytes, 1, nodes_[node]->config.id);
  put_u32(f.bytes, 5, nodes_[f.dest]->config.id);
  f.dest = hop;
  f.routing = core::Routing::kNeighbour;
  telemetry_->add_routing_bytes(type, kRouteHeaderBytes);
  return true;
}

bool Simulator::route_telemetry_in(uint32_t node, uint32_t, uint32_t frame) {
  const std::vector<uint8_t>& bytes = frames_.frame(frame).bytes;
  if (bytes.size() <= kRouteHeaderBytes || bytes[0] != kRouteMagic) return false;
  const uint32_t origin = get_u32(bytes, 1);
  const auto dest = index_of_id_.find(get_u32(bytes, 5));
  if (dest == index_of_id_.end()) return true;  // nobody: dropped
  SimNode& n = *nodes_[node];
  const SimTime ready = charge_cpu(node, bytes.size());
  if (dest->second == node) {  // arrived: the core sees the telemetry frame from its origin
    const std::vector<uint8_t> inner(bytes.begin() + kRouteHeaderBytes, bytes.end());
    outbox_.clear();
    const core::Instant now = instant(queue_.now());
    ++telemetry_->state(node).received;
    n.core->on_frame(now, origin, inner, outbox_);
    flush(node, ready, n.core->poll(now, outbox_));
    return true;
  }
  const uint32_t hop = next_hop(node, dest->second);
  if (hop == kNoNode) return true;
  const uint32_t h = frames_.new_frame();
  Frame& f = frames_.frame(h);
  f.bytes = frames_.frame(frame).bytes;
  f.routing = core::Routing::kNeighbour;
  f.dest = hop;
  f.kind = TrafficClass::kTelemetry;
  f.meta = 0;
  f.refs = 0;
  ++result_.nodes[node].frames_forwarded;
  frames_.hold(h);
  net_send(node, h, ready);
  frames_.release(h);
  return true;
}

}  // namespace meshota::sim
