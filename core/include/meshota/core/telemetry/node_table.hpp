#pragma once
// Per-node state at the root, in storage the caller owns (a static array on
// an ESP root, a vector sized for 10,000 nodes in the simulator): open
// addressing with linear probing on the node id. Nodes are never removed, so
// a slot, once claimed, keeps its node and its index; pagination cursors and
// pointers to slots stay valid. Every probe loop is bounded by the capacity.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/addressing.hpp"

namespace meshota::core {

/// Fixed-capacity map NodeId -> Slot over caller storage; Slot has a `NodeId id` member, 0 = free.
template <class Slot>
class NodeTable {
 public:
  /// `slots` must start free (id 0); painlessMesh ids are never 0.
  explicit NodeTable(std::span<Slot> slots) : slots_(slots) {}

  Slot* find(NodeId id) { return const_cast<Slot*>(static_cast<const NodeTable*>(this)->find(id)); }
  const Slot* find(NodeId id) const {
    if (id == 0 || slots_.empty()) return nullptr;
    size_t i = home(id);
    for (size_t probes = 0; probes < slots_.size(); ++probes) {
      if (slots_[i].id == id) return &slots_[i];
      if (slots_[i].id == 0) return nullptr;
      i = i + 1 == slots_.size() ? 0 : i + 1;
    }
    return nullptr;
  }

  /// The node's slot, claimed (default state, id set) if new; nullptr when full or id is 0.
  Slot* insert(NodeId id) {
    if (id == 0 || slots_.empty()) return nullptr;
    size_t i = home(id);
    for (size_t probes = 0; probes < slots_.size(); ++probes) {
      if (slots_[i].id == id) return &slots_[i];
      if (slots_[i].id == 0) {
        slots_[i] = Slot{};
        slots_[i].id = id;
        ++size_;
        return &slots_[i];
      }
      i = i + 1 == slots_.size() ? 0 : i + 1;
    }
    return nullptr;
  }

  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }
  /// All slots in storage order (free ones have id 0), for scans and cursors.
  std::span<Slot> slots() { return slots_; }
  std::span<const Slot> slots() const { return slots_; }
  /// The slot index of `slot` (which must belong to this table).
  size_t index_of(const Slot* slot) const { return static_cast<size_t>(slot - slots_.data()); }

 private:
  size_t home(NodeId id) const {
    // murmur3's finaliser spreads ids that differ in a few MAC bits; multiply-shift maps to capacity.
    uint32_t h = id;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return static_cast<size_t>((uint64_t{h} * slots_.size()) >> 32);
  }

  std::span<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace meshota::core
