#pragma once
// Where nodes stand on the radio and the mesh that follows from it: the pairs
// in radio range (received power at or above the receiver's sensitivity) are
// the graph; painlessMesh's tree forms on it by RSSI (stations join the
// strongest access point with room), and raw ESP-NOW fleets use the
// shortest-hop tree from the source for hop counts and unicast upstreams.

#include <cstdint>
#include <memory>
#include <utility>
#include <string>
#include <vector>

#include "meshota/sim/media/radio/propagation.hpp"
#include "meshota/sim/pm/join_policy.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace meshota::sim {

/// The distance at which the mean received power meets the receiver sensitivity (range_m for the range model).
double nominal_range_m(const RadioSpec& radio);

/// Node positions in metres from the topology spec (grid spacing, a random square, or a file).
/// Throws InputError at the topology for what cannot be placed.
std::vector<Position> place_nodes(const TopologySpec& t, const RadioSpec& radio, uint64_t seed,
                                  const std::string& scenario_path);

/// Who hears whom: per node the access points in range, strongest first, and the in-range pairs (a < b).
struct RadioGraph {
  std::vector<std::vector<ApCandidate>> heard;
  std::vector<std::pair<uint32_t, uint32_t>> edges;
};
RadioGraph radio_graph(const RadioSpec& radio, const std::vector<Position>& positions, uint64_t seed);

/// painlessMesh's join on the radio: a station joins the strongest access point with room.
std::unique_ptr<RssiJoin> rssi_join(const Scenario& sc, const Topology& topo);

/// The mesh of a radio scenario: positions, the in-range graph and its tree (see file comment).
/// Throws InputError when some node can never reach the source.
Topology radio_topology(const Scenario& sc);

/// Reads a positions file ("x y" in metres per line, node ids in order; '#' comments).
std::vector<Position> read_positions(const std::string& path);

}  // namespace meshota::sim
