#include "meshota/sim/scenario/topology.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <cmath>

#include "meshota/sim/scenario/edge_list.hpp"
#include "meshota/sim/scenario/input_error.hpp"
#include "meshota/sim/engine/rng_stream.hpp"

namespace meshota::sim {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
using Edges = std::vector<std::pair<uint32_t, uint32_t>>;
constexpr uint64_t kTopologyStream = 0x746f706f;  // "topo"

// Random recursive tree: each new node joins a uniformly chosen earlier node
// that still has room, as nodes joining a painlessMesh one by one would.
Edges random_tree(uint32_t n, uint32_t max_children, RngStream& rng) {
  Edges edges;
  std::vector<uint32_t> open{0};  // nodes that can take another child
  std::vector<uint32_t> kids(n, 0);
  for (uint32_t v = 1; v < n; ++v) {
    const size_t pick = static_cast<size_t>(rng.below(open.size()));
    const uint32_t p = open[pick];
    edges.emplace_back(p, v);
    if (++kids[p] == max_children) {
      open[pick] = open.back();
      open.pop_back();
    }
    open.push_back(v);
  }
  return edges;
}

Edges grid(uint32_t rows, uint32_t cols) {
  Edges edges;
  for (uint32_t r = 0; r < rows; ++r)
    for (uint32_t c = 0; c < cols; ++c) {
      const uint32_t v = r * cols + c;
      if (c + 1 < cols) edges.emplace_back(v, v + 1);
      if (r + 1 < rows) edges.emplace_back(v, v + cols);
    }
  return edges;
}

// Points uniform in the unit square, linked within `radius`; neighbours are
// found through a grid of radius-sized cells, never by scanning all pairs.
Edges random_geometric(uint32_t n, double radius, RngStream& rng) {
  std::vector<double> x(n), y(n);
  for (uint32_t i = 0; i < n; ++i) {
    x[i] = rng.uniform();
    y[i] = rng.uniform();
  }
  const auto cells = static_cast<uint32_t>(std::max(1.0, std::floor(1.0 / radius)));
  auto cell_of = [&](double v) { return std::min(cells - 1, static_cast<uint32_t>(v * cells)); };
  std::vector<std::vector<uint32_t>> bucket(size_t{cells} * cells);
  for (uint32_t i = 0; i < n; ++i) bucket[size_t{cell_of(y[i])} * cells + cell_of(x[i])].push_back(i);
  Edges edges;
  const double r2 = radius * radius;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t cx = cell_of(x[i]), cy = cell_of(y[i]);
    for (uint32_t by = cy > 0 ? cy - 1 : 0; by <= std::min(cells - 1, cy + 1); ++by)
      for (uint32_t bx = cx > 0 ? cx - 1 : 0; bx <= std::min(cells - 1, cx + 1); ++bx)
        for (uint32_t j : bucket[size_t{by} * cells + bx]) {
          if (j <= i) continue;
          const double dx = x[i] - x[j], dy = y[i] - y[j];
          if (dx * dx + dy * dy <= r2) edges.emplace_back(i, j);
        }
  }
  return edges;
}

}  // namespace

Topology tree_from_graph(uint32_t nodes, Edges edges, uint32_t root, uint32_t max_children,
                         const std::string& where, SourcePos pos) {
  Graph g(nodes);
  for (const auto& [a, b] : edges) boost::add_edge(a, b, g);
  // Breadth-first from the root, as nodes join a painlessMesh one hop at a
  // time, except that a node whose access point is full (max_children
  // stations) takes no more: its neighbours must join through someone else.
  std::vector<uint32_t> parent(nodes, kNoNode);
  std::vector<uint32_t> kids(nodes, 0);
  std::vector<uint32_t> frontier{root};
  parent[root] = root;
  for (size_t head = 0; head < frontier.size(); ++head) {
    const uint32_t u = frontier[head];
    for (auto [it, end] = boost::adjacent_vertices(u, g); it != end && kids[u] < max_children; ++it) {
      const auto v = static_cast<uint32_t>(*it);
      if (parent[v] != kNoNode) continue;
      parent[v] = u;
      ++kids[u];
      frontier.push_back(v);
    }
  }
  const auto unreachable = static_cast<uint32_t>(nodes - frontier.size());
  if (unreachable > 0)
    throw InputError(where, pos.line, pos.column,
                     std::to_string(unreachable) + " of " + std::to_string(nodes) +
                         " nodes cannot join the mesh: the graph is not connected, or every neighbour that "
                         "leads to them already has max_children = " + std::to_string(max_children) +
                         " links; use a larger radius or max_children, or an edge list that connects every node");
  parent[root] = kNoNode;
  return tree_from_parents(nodes, root, std::move(parent), std::move(edges));
}

Topology tree_from_parents(uint32_t nodes, uint32_t root, std::vector<uint32_t> parent, Edges graph_edges) {
  Topology t;
  t.nodes = nodes;
  t.root = root;
  t.graph_edges = std::move(graph_edges);
  t.parent = std::move(parent);
  // Depths in an order where every parent comes before its children.
  t.depth.assign(nodes, 0);
  std::vector<uint32_t> order{root};
  std::vector<std::vector<uint32_t>> kids(nodes);
  for (uint32_t v = 0; v < nodes; ++v)
    if (t.parent[v] != kNoNode) kids[t.parent[v]].push_back(v);
  for (size_t i = 0; i < order.size(); ++i)
    for (uint32_t c : kids[order[i]]) {
      t.depth[c] = t.depth[order[i]] + 1;
      order.push_back(c);
    }
  t.child_offsets.assign(nodes + 1, 0);
  for (uint32_t v = 0; v < nodes; ++v)
    if (t.parent[v] != kNoNode) ++t.child_offsets[t.parent[v] + 1];
  for (uint32_t v = 0; v < nodes; ++v) t.child_offsets[v + 1] += t.child_offsets[v];
  t.children.assign(nodes > 0 ? nodes - 1 : 0, 0);
  std::vector<uint32_t> fill(t.child_offsets.begin(), t.child_offsets.end() - 1);
  for (uint32_t v = 0; v < nodes; ++v)
    if (t.parent[v] != kNoNode) t.children[fill[t.parent[v]]++] = v;
  uint64_t depth_sum = 0;
  for (uint32_t v = 0; v < nodes; ++v) {
    t.max_depth = std::max(t.max_depth, t.depth[v]);
    depth_sum += t.depth[v];
    t.max_children_seen = std::max(t.max_children_seen, t.child_offsets[v + 1] - t.child_offsets[v]);
  }
  t.mean_depth = nodes > 1 ? static_cast<double>(depth_sum) / (nodes - 1) : 0.0;
  return t;
}
Topology build_topology(const TopologySpec& spec, uint64_t seed, const std::string& scenario_path) {
  RngStream rng(stream_seed(seed, kTopologyStream, 0));
  // The loader always resolves 0 to the hardware's limit; a spec built in code may leave it unlimited.
  const uint32_t limit = spec.max_children == 0 ? UINT32_MAX : spec.max_children;
  uint32_t nodes = spec.nodes;
  Edges edges;
  switch (spec.kind) {
    case TopologyKind::kRandomTree: edges = random_tree(nodes, limit, rng); break;
    case TopologyKind::kGrid:
      nodes = spec.rows * spec.cols;
      edges = grid(spec.rows, spec.cols);
      break;
    case TopologyKind::kRandomGeometric: edges = random_geometric(nodes, spec.radius, rng); break;
    case TopologyKind::kPositions:
      throw InputError(scenario_path, spec.pos.line, spec.pos.column,
                       "kind: positions places nodes on the radio; use it with medium kind: radio or channel: radio");
    case TopologyKind::kEdgeList: {
      EdgeList list = read_edge_list(spec.edge_list_path);  // the loader made the path absolute
      nodes = list.nodes;
      edges = std::move(list.edges);
      break;
    }
  }
  if (spec.root >= nodes)
    throw InputError(scenario_path, spec.pos.line, spec.pos.column,
                     "root " + std::to_string(spec.root) + " is not a node (the graph has " +
                         std::to_string(nodes) + "); pick a root below that");
  return tree_from_graph(nodes, std::move(edges), spec.root, limit, scenario_path, spec.pos);
}

bool Topology::adjacent(uint32_t a, uint32_t b) const {
  return a < nodes && b < nodes && a != b && (parent[a] == b || parent[b] == a);
}

void check_faults(const Scenario& sc, const Topology& topo) {
  for (const TelemetryEvent& e : sc.telemetry.events)
    if (e.node == topo.root)  // `root: center` is placed only now
      throw InputError(sc.path, e.pos.line, e.pos.column,
                       "telemetry event on node " + std::to_string(e.node) +
                           ", which is the root of this seed's placement and hosts the collector; pick another node");
  for (const FaultSpec& f : sc.faults) {
    if (f.kind == FaultKind::kLinkDown && sc.medium.kind == MediumKind::kRadio)
      throw InputError(sc.path, f.pos.line, f.pos.column,
                       "link-down needs a connection to cut, and raw ESP-NOW has none; use medium.radio.link_loss "
                       "for a bad link, or a crash fault");
    if (f.kind != FaultKind::kLinkDown || topo.adjacent(f.node, f.peer)) continue;
    const uint32_t up = topo.parent[f.node];
    throw InputError(sc.path, f.pos.line, f.pos.column,
                     "link-down between nodes " + std::to_string(f.node) + " and " + std::to_string(f.peer) +
                         ": they are not linked in the mesh tree of this seed (node " + std::to_string(f.node) +
                         (up == kNoNode ? std::string(" is the root") : "'s parent is " + std::to_string(up)) +
                         "); pick a node and its parent or one of its children");
  }
}

uint32_t Topology::next_hop(uint32_t from, uint32_t to) const {
  // Walk `to` up to from's depth + 1: if it then hangs under `from`, that
  // child is the way down; otherwise the way is up.
  uint32_t v = to;
  while (depth[v] > depth[from] + 1) v = parent[v];
  if (depth[v] == depth[from] + 1 && parent[v] == from) return v;
  return parent[from];
}

uint32_t Topology::hops(uint32_t a, uint32_t b) const {
  uint32_t n = 0;
  while (depth[a] > depth[b]) a = parent[a], ++n;
  while (depth[b] > depth[a]) b = parent[b], ++n;
  while (a != b) a = parent[a], b = parent[b], n += 2;
  return n;
}

}  // namespace meshota::sim
