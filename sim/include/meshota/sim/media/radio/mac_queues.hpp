#pragma once
// Every node's MAC FIFO in one pooled singly-linked list: 12 bytes per node
// plus one entry per waiting frame, so 10,000 mostly idle nodes cost nothing
// and the pool stops allocating once it has grown to the peak backlog.

#include <cstdint>
#include <vector>

#include "meshota/sim/media/radio/radio_listener.hpp"

namespace meshota::sim {

/// Per-node FIFO queues of RadioTx sharing one free list.
class MacQueues {
 public:
  explicit MacQueues(uint32_t nodes) : heads_(nodes) {}

  uint32_t size(uint32_t node) const { return heads_[node].count; }
  bool empty(uint32_t node) const { return heads_[node].count == 0; }
  const RadioTx& front(uint32_t node) const { return pool_[heads_[node].head].tx; }

  void push(uint32_t node, const RadioTx& tx) {
    uint32_t e = free_;
    if (e == kNil) {
      e = static_cast<uint32_t>(pool_.size());
      pool_.push_back({});
    } else {
      free_ = pool_[e].next;
    }
    pool_[e] = {tx, kNil};
    Head& h = heads_[node];
    if (h.count == 0)
      h.head = e;
    else
      pool_[h.tail].next = e;
    h.tail = e;
    ++h.count;
  }

  RadioTx pop(uint32_t node) {
    Head& h = heads_[node];
    const uint32_t e = h.head;
    const RadioTx tx = pool_[e].tx;
    h.head = pool_[e].next;
    if (--h.count == 0) h.head = h.tail = kNil;
    pool_[e].next = free_;
    free_ = e;
    return tx;
  }

 private:
  static constexpr uint32_t kNil = 0xffffffffu;
  struct Entry {
    RadioTx tx;
    uint32_t next = kNil;
  };
  struct Head {
    uint32_t head = kNil;
    uint32_t tail = kNil;
    uint32_t count = 0;
  };
  std::vector<Head> heads_;
  std::vector<Entry> pool_;
  uint32_t free_ = kNil;
};

}  // namespace meshota::sim
