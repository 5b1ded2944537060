#pragma once
// How a painlessMesh station picks its access point when it joins or re-joins.
// On independent links there is no radio to measure, so a station returns to
// the access point the scenario's tree gave it. On the radio it does what
// painlessMeshSTA.cpp does: scan, drop the access points already in its own
// part of the mesh, and join the strongest one (RSSI) that still has room,
// preferring the part that contains the root (setContainsRoot).

#include <cstdint>
#include <utility>
#include <vector>

#include "meshota/sim/pm/mesh_tree.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace meshota::sim {

/// Chooses the access point a station joins.
class JoinPolicy {
 public:
  virtual ~JoinPolicy() = default;
  /// The access point `node` joins now, or kNoNode when none can take it (it scans again later).
  virtual uint32_t choose(const MeshTree& tree, uint32_t node, const std::vector<bool>& up) const = 0;
};

/// Independent links: a station always returns to its parent in the scenario's tree.
class StaticJoin final : public JoinPolicy {
 public:
  explicit StaticJoin(const Topology& topo) : parent_(topo.parent) {}
  uint32_t choose(const MeshTree& tree, uint32_t node, const std::vector<bool>& up) const override;

 private:
  std::vector<uint32_t> parent_;
};

/// An access point a station hears, with its received signal strength.
struct ApCandidate {
  uint32_t ap = 0;
  double rssi_dbm = 0.0;
};

/// The radio: the strongest access point with room, outside the station's own subtree.
class RssiJoin final : public JoinPolicy {
 public:
  /// `heard[n]`: the nodes n can receive (rx power >= sensitivity), strongest first.
  RssiJoin(std::vector<std::vector<ApCandidate>> heard, uint32_t max_children)
      : heard_(std::move(heard)), max_children_(max_children) {}
  uint32_t choose(const MeshTree& tree, uint32_t node, const std::vector<bool>& up) const override;
  const std::vector<ApCandidate>& heard(uint32_t node) const { return heard_[node]; }
  uint32_t max_children() const { return max_children_; }

 private:
  std::vector<std::vector<ApCandidate>> heard_;
  uint32_t max_children_;
};

/// The tree painlessMesh forms on the radio: every node scans at a random time in
/// [0, scan_interval_s) and then every scan_interval_s, and joins the strongest access point with
/// room that already belongs to the root's mesh. Throws InputError (at `pos`) when some node can never join.
Topology form_tree_by_rssi(const RssiJoin& join, uint32_t nodes, uint32_t root, uint64_t seed,
                           double scan_interval_s, const std::string& where, SourcePos pos);

}  // namespace meshota::sim
