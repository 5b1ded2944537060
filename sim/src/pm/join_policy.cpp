#include "meshota/sim/pm/join_policy.hpp"

#include <algorithm>
#include <queue>
#include <string>

#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/scenario/input_error.hpp"

namespace meshota::sim {
namespace {
constexpr uint64_t kScanStream = 0x7363616e;  // "scan"
}

uint32_t StaticJoin::choose(const MeshTree& tree, uint32_t node, const std::vector<bool>& up) const {
  const uint32_t ap = parent_[node];
  if (ap == kNoNode || !up[ap] || tree.in_subtree(ap, node)) return kNoNode;
  return ap;
}

uint32_t RssiJoin::choose(const MeshTree& tree, uint32_t node, const std::vector<bool>& up) const {
  // painlessMeshSTA.cpp: filterAPs() drops the APs already in our own mesh, the list
  // is sorted by RSSI and the strongest is tried. A rooted part is preferred, as
  // with setContainsRoot(true); an unrooted one is better than none.
  uint32_t fallback = kNoNode;
  for (const ApCandidate& c : heard_[node]) {
    if (!up[c.ap] || tree.child_count(c.ap) >= max_children_ || tree.in_subtree(c.ap, node)) continue;
    if (tree.connected_to_root(c.ap)) return c.ap;
    if (fallback == kNoNode) fallback = c.ap;
  }
  return fallback;
}

Topology form_tree_by_rssi(const RssiJoin& join, uint32_t nodes, uint32_t root, uint64_t seed,
                           double scan_interval_s, const std::string& where, SourcePos pos) {
  // Scans as events in time order: (time, node). A node that finds no AP of the
  // root's mesh with room scans again one interval later.
  using Scan = std::pair<double, uint32_t>;
  std::priority_queue<Scan, std::vector<Scan>, std::greater<>> scans;
  RngStream rng(stream_seed(seed, kScanStream, 0));
  for (uint32_t v = 0; v < nodes; ++v)
    if (v != root) scans.emplace(rng.uniform() * scan_interval_s, v);
  std::vector<uint32_t> parent(nodes, kNoNode), kids(nodes, 0);
  std::vector<bool> joined(nodes, false);
  joined[root] = true;
  uint32_t pending = nodes - 1;
  // Each round of scans must let someone join, or nobody ever will.
  uint32_t idle_scans = 0;
  while (pending > 0 && idle_scans <= pending) {
    const auto [t, v] = scans.top();
    scans.pop();
    uint32_t ap = kNoNode;
    for (const ApCandidate& c : join.heard(v))
      if (joined[c.ap] && kids[c.ap] < join.max_children()) {
        ap = c.ap;
        break;
      }
    if (ap == kNoNode) {
      ++idle_scans;
      scans.emplace(t + scan_interval_s, v);
      continue;
    }
    idle_scans = 0;
    parent[v] = ap;
    ++kids[ap];
    joined[v] = true;
    --pending;
  }
  if (pending > 0)
    throw InputError(where, pos.line, pos.column,
                     std::to_string(pending) + " of " + std::to_string(nodes) +
                         " nodes cannot join the mesh on the radio: no node of the root's mesh with a free access "
                         "point is in radio range (rx power >= the receiver sensitivity); place the nodes closer, "
                         "raise the transmit power or max_children");
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (uint32_t v = 0; v < nodes; ++v)
    for (const ApCandidate& c : join.heard(v))
      if (v < c.ap) edges.emplace_back(v, c.ap);
  return tree_from_parents(nodes, root, std::move(parent), std::move(edges));
}

}  // namespace meshota::sim
