#include "meshota/sim/scenario/placement.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/media/radio/neighbour_table.hpp"
#include "meshota/sim/pm/join_policy.hpp"
#include "meshota/sim/scenario/input_error.hpp"

namespace meshota::sim {
namespace {

constexpr uint64_t kPlacementStream = 0x706c6163;  // "plac"

[[noreturn]] void fail(const std::string& path, SourcePos pos, const std::string& what) {
  throw InputError(path, pos.line, pos.column, what);
}

uint32_t nearest_to_center(const std::vector<Position>& p) {
  double min_x = p[0].x_m, max_x = p[0].x_m, min_y = p[0].y_m, max_y = p[0].y_m;
  for (const Position& q : p) {
    min_x = std::min(min_x, q.x_m), max_x = std::max(max_x, q.x_m);
    min_y = std::min(min_y, q.y_m), max_y = std::max(max_y, q.y_m);
  }
  const double cx = (min_x + max_x) / 2, cy = (min_y + max_y) / 2;
  uint32_t best = 0;
  double best_d = INFINITY;
  for (uint32_t i = 0; i < p.size(); ++i) {
    const double d = std::hypot(p[i].x_m - cx, p[i].y_m - cy);
    if (d < best_d) best_d = d, best = i;
  }
  return best;
}

/// Nodes with no path to `root` in the graph.
uint32_t unreachable_nodes(uint32_t nodes, const std::vector<std::pair<uint32_t, uint32_t>>& edges, uint32_t root) {
  std::vector<std::vector<uint32_t>> adj(nodes);
  for (const auto& [a, b] : edges) adj[a].push_back(b), adj[b].push_back(a);
  std::vector<bool> seen(nodes, false);
  std::vector<uint32_t> todo = {root};
  seen[root] = true;
  uint32_t reached = 1;
  while (!todo.empty()) {
    const uint32_t v = todo.back();
    todo.pop_back();
    for (uint32_t w : adj[v])
      if (!seen[w]) seen[w] = true, ++reached, todo.push_back(w);
  }
  return nodes - reached;
}

}  // namespace

double nominal_range_m(const RadioSpec& radio) {
  if (radio.propagation == PropagationKind::kRange) return radio.range_m;
  const double budget_db = radio.tx_power_dbm - radio.reference_loss_db - radio.rx_sensitivity_dbm;
  return std::pow(10.0, budget_db / (10.0 * radio.path_loss_exponent));
}

std::vector<Position> read_positions(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, 0, "cannot open the positions file; check the path");
  std::vector<Position> out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream s(line);
    Position p;
    std::string rest;
    if (!(s >> p.x_m)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      throw InputError(path, number, 1, "expected 'x y' in metres (two numbers)");
    }
    if (!(s >> p.y_m) || (s >> rest) || !std::isfinite(p.x_m) || !std::isfinite(p.y_m))
      throw InputError(path, number, 1, "expected exactly two finite numbers 'x y' in metres");
    out.push_back(p);
  }
  if (out.empty()) throw InputError(path, 0, 0, "has no positions; write one 'x y' line per node");
  return out;
}

std::vector<Position> place_nodes(const TopologySpec& t, const RadioSpec& radio, uint64_t seed,
                                  const std::string& scenario_path) {
  std::vector<Position> p;
  switch (t.kind) {
    case TopologyKind::kGrid: {
      // rows x cols as given, or flood-radio.md's layout: ceil(sqrt(N)) columns, row-major.
      const uint32_t cols = t.cols > 0 ? t.cols : static_cast<uint32_t>(std::ceil(std::sqrt(double(t.nodes))));
      for (uint32_t i = 0; i < t.nodes; ++i) p.push_back({(i % cols) * t.spacing_m, (i / cols) * t.spacing_m});
      break;
    }
    case TopologyKind::kRandomGeometric: {
      // A square sized so that a node has mean_neighbours in range on average (edge effects aside).
      const double r = nominal_range_m(radio);
      const double side = t.side_m > 0 ? t.side_m
                                       : r * std::sqrt(std::numbers::pi * std::max(1.0, t.nodes - 1.0) / t.mean_neighbours);
      RngStream rng(stream_seed(seed, kPlacementStream, 0));
      for (uint32_t i = 0; i < t.nodes; ++i) {
        const double x = rng.uniform() * side;
        p.push_back({x, rng.uniform() * side});
      }
      break;
    }
    case TopologyKind::kPositions: p = read_positions(t.positions_path); break;
    default:
      fail(scenario_path, t.pos, "the radio needs positions: use kind grid, random-geometric or positions");
  }
  return p;
}

RadioGraph radio_graph(const RadioSpec& radio, const std::vector<Position>& positions, uint64_t seed) {
  const auto nodes = static_cast<uint32_t>(positions.size());
  const Propagation prop(radio, positions, seed);
  const NeighbourTable table(prop, radio.rx_sensitivity_dbm);
  RadioGraph g;
  g.heard.resize(nodes);
  for (uint32_t a = 0; a < nodes; ++a)
    for (const RadioNeighbour& n : table.of(a))
      if (n.rx_dbm >= radio.rx_sensitivity_dbm) {
        g.heard[a].push_back({n.node, n.rx_dbm});
        if (a < n.node) g.edges.emplace_back(a, n.node);
      }
  // Strongest first; equal signals in node order, so the choice does not depend on the table's order.
  for (auto& h : g.heard)
    std::sort(h.begin(), h.end(), [](const ApCandidate& x, const ApCandidate& y) {
      return x.rssi_dbm != y.rssi_dbm ? x.rssi_dbm > y.rssi_dbm : x.ap < y.ap;
    });
  std::sort(g.edges.begin(), g.edges.end());
  return g;
}

std::unique_ptr<RssiJoin> rssi_join(const Scenario& sc, const Topology& topo) {
  RadioGraph g = radio_graph(sc.medium.radio, topo.positions, sc.seed);
  const uint32_t limit = sc.topology.max_children == 0 ? UINT32_MAX : sc.topology.max_children;
  return std::make_unique<RssiJoin>(std::move(g.heard), limit);
}

Topology radio_topology(const Scenario& sc) {
  const TopologySpec& t = sc.topology;
  std::vector<Position> positions = place_nodes(t, sc.medium.radio, sc.seed, sc.path);
  const auto nodes = static_cast<uint32_t>(positions.size());
  const uint32_t root = t.root_at_center ? nearest_to_center(positions) : t.root;
  if (root >= nodes) fail(sc.path, t.pos, "root " + std::to_string(root) + " is not one of the " + std::to_string(nodes) + " nodes");
  RadioGraph g = radio_graph(sc.medium.radio, positions, sc.seed);
  Topology topo;
  if (sc.medium.kind == MediumKind::kTcpTree) {
    const RssiJoin join(std::move(g.heard), t.max_children == 0 ? UINT32_MAX : t.max_children);
    topo = form_tree_by_rssi(join, nodes, root, sc.seed, sc.mesh.scan_interval_s, sc.path, t.pos);
  } else {
    const uint32_t cut_off = unreachable_nodes(nodes, g.edges, root);
    if (cut_off > 0)
      fail(sc.path, t.pos,
           std::to_string(cut_off) + " of " + std::to_string(nodes) +
               " nodes have no radio path to the root (no chain of neighbours received at or above "
               "rx_sensitivity_dbm); place the nodes closer (spacing_m, mean_neighbours, side_m), raise "
               "tx_power_dbm, or try another seed");
    topo = tree_from_graph(nodes, g.edges, root, UINT32_MAX, sc.path, t.pos);
  }
  topo.graph_edges = std::move(g.edges);
  topo.positions = std::move(positions);
  return topo;
}

}  // namespace meshota::sim
