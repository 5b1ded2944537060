#pragma once
// Per node, the nodes whose signals it tracks (received power at or above the
// interference floor), found through a uniform spatial grid so that building
// and using the lists costs O(N x neighbours), never O(N^2).

#include <cstdint>
#include <span>
#include <vector>

#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/media/radio/propagation.hpp"

namespace meshota::sim {

/// One directed link a -> node in a's list: what node receives of a's transmissions.
struct RadioNeighbour {
  uint32_t node = 0;
  double rx_dbm = 0.0;
  double rx_mw = 0.0;
  /// When the medium applies the signal, after the start of the transmission: the propagation
  /// delay (Propagation::delay_ns) for a signal node could decode (rx >= sensitivity); every
  /// weaker one, which can only interfere, arrives with the earliest of them, as one group (a few
  /// microseconds early at most).
  SimTime arrival_ns = 0;
};

/// CSR neighbour lists within interference range; each list sorted by node id.
class NeighbourTable {
 public:
  /// Signals below rx_sensitivity_dbm arrive together (RadioNeighbour::arrival_ns).
  NeighbourTable(const Propagation& propagation, double rx_sensitivity_dbm);

  std::span<const RadioNeighbour> of(uint32_t node) const {
    return {links_.data() + offsets_[node], links_.data() + offsets_[node + 1]};
  }
  /// Index of the directed link a -> b in links(), or kNoLink.
  uint32_t find(uint32_t a, uint32_t b) const;
  /// The link b -> a of every link a -> b (lists are symmetric).
  uint32_t reverse(uint32_t link) const { return reverse_[link]; }
  uint32_t first_link(uint32_t node) const { return offsets_[node]; }
  /// node's link ids ordered by (arrival, neighbour id): the order its signals arrive in.
  std::span<const uint32_t> by_arrival(uint32_t node) const {
    return {by_arrival_.data() + offsets_[node], by_arrival_.data() + offsets_[node + 1]};
  }
  const RadioNeighbour& link(uint32_t id) const { return links_[id]; }
  uint32_t link_count() const { return static_cast<uint32_t>(links_.size()); }
  uint32_t nodes() const { return static_cast<uint32_t>(offsets_.size() - 1); }

  static constexpr uint32_t kNoLink = 0xffffffffu;

 private:
  std::vector<uint32_t> offsets_;
  std::vector<RadioNeighbour> links_;
  std::vector<uint32_t> reverse_;
  std::vector<uint32_t> by_arrival_;
};

}  // namespace meshota::sim
