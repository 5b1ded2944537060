#pragma once
// The painlessMesh tree as it is at this moment. It starts as the scenario's
// tree and changes during a run: a node that loses its access point (its
// parent rebooted, or the link timed out) leaves with its whole subtree and
// joins again, possibly elsewhere. Link ids are the station (child) node, as
// in every tree medium: the link of node v is v -- parent(v).

#include <cstdint>
#include <vector>

#include "meshota/sim/scenario/topology.hpp"

namespace meshota::sim {

/// A forest of painlessMesh connections that rejoins as nodes come and go.
class MeshTree {
 public:
  explicit MeshTree(const Topology& initial);

  uint32_t nodes() const { return static_cast<uint32_t>(parent_.size()); }
  uint32_t root() const { return root_; }
  /// The access point `v` is connected to; kNoNode for the root and for a detached node.
  uint32_t parent(uint32_t v) const { return parent_[v]; }
  uint32_t child_count(uint32_t v) const { return child_count_[v]; }
  /// Children of `v`: first_child(v), then next_sibling() until kNoNode.
  uint32_t first_child(uint32_t v) const { return first_child_[v]; }
  uint32_t next_sibling(uint32_t v) const { return next_sibling_[v]; }

  /// `v` leaves its access point, taking its subtree with it (no-op for a root).
  void detach(uint32_t v);
  /// `v` (detached) becomes a station of `ap`, which must not be in v's subtree.
  void attach(uint32_t v, uint32_t ap);

  /// Whether `v` is `of` or hangs below it.
  bool in_subtree(uint32_t v, uint32_t of) const;
  /// The top of v's part of the forest (the root when v is connected to it).
  uint32_t top(uint32_t v) const;
  bool connected_to_root(uint32_t v) const { return top(v) == root_; }
  /// Hops from v up to its top.
  uint32_t depth(uint32_t v) const;
  /// The neighbour of `from` on the tree path to `to`, kNoNode when they are in different parts.
  uint32_t next_hop(uint32_t from, uint32_t to) const;
  /// Hops between a and b along the tree, or UINT32_MAX when they are in different parts.
  uint32_t hops(uint32_t a, uint32_t b) const;
  /// Nodes in v's subtree, v included.
  uint32_t subtree_size(uint32_t v) const;

  /// Bumped at every attach/detach: painlessMesh syncs its layout after each change.
  uint64_t version() const { return version_; }

 private:
  void unlink_child(uint32_t v);

  uint32_t root_;
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> first_child_;
  std::vector<uint32_t> next_sibling_;
  std::vector<uint32_t> prev_sibling_;
  std::vector<uint32_t> child_count_;
  uint64_t version_ = 0;
};

}  // namespace meshota::sim
