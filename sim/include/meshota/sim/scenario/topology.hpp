#pragma once
// The mesh graph of a run and the painlessMesh tree on it. painlessMesh only
// ever forms a tree (a loop closes the connection), so whatever graph a
// scenario describes, nodes connect along a breadth-first spanning tree from
// the root; the full graph is kept for analysis.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "meshota/sim/media/radio/propagation.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

constexpr uint32_t kNoNode = 0xffffffffu;

/// The generated graph and the rooted spanning tree the mesh uses.
struct Topology {
  uint32_t nodes = 0;
  uint32_t root = 0;
  std::vector<std::pair<uint32_t, uint32_t>> graph_edges;  ///< the full graph
  std::vector<uint32_t> parent;  ///< tree parent, kNoNode for the root
  std::vector<uint32_t> depth;   ///< hops from the root
  std::vector<uint32_t> child_offsets;  ///< CSR: children of n are children[offsets[n]..offsets[n+1])
  std::vector<uint32_t> children;
  uint32_t max_depth = 0;
  double mean_depth = 0.0;
  uint32_t max_children_seen = 0;
  std::vector<Position> positions;  ///< on the radio, where each node stands (metres); empty otherwise

  /// Whether a and b are linked in the tree.
  bool adjacent(uint32_t a, uint32_t b) const;
  /// Tree neighbour of `from` on the path to `to` (from != to).
  uint32_t next_hop(uint32_t from, uint32_t to) const;
  /// Hops between two nodes along the tree.
  uint32_t hops(uint32_t a, uint32_t b) const;
};

/// Builds the graph a TopologySpec describes (seeded) and its BFS tree from the root.
/// Throws InputError (at spec.pos) when the graph is not connected.
Topology build_topology(const TopologySpec& spec, uint64_t seed, const std::string& scenario_path);

/// Checks what the loader cannot know before the tree exists: every
/// link-down fault names a tree link. Throws InputError at the fault.
void check_faults(const Scenario& sc, const Topology& topo);

/// A Topology from a parent array (kNoNode for the root); `graph_edges` is the full graph kept for analysis.
Topology tree_from_parents(uint32_t nodes, uint32_t root, std::vector<uint32_t> parent,
                           std::vector<std::pair<uint32_t, uint32_t>> graph_edges);

/// The breadth-first spanning tree of a graph in which no node takes more than
/// `max_children` children; throws InputError when some node cannot join.
Topology tree_from_graph(uint32_t nodes, std::vector<std::pair<uint32_t, uint32_t>> edges, uint32_t root,
                         uint32_t max_children, const std::string& where, SourcePos pos);

}  // namespace meshota::sim
