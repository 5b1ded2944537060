#pragma once
// Private to PmNetwork: the state of one end of a painlessMesh connection and
// of one node's library layer.

#include <deque>

#include "meshota/sim/pm/pm_network.hpp"

namespace meshota::sim {

/// One end of a connection: MeshConnection's sentBuffer, receiveBuffer and its sync tasks.
struct PmNetwork::Side {
  std::deque<uint32_t> send;      ///< frame handles waiting for the socket, head first
  uint32_t head_written = 0;      ///< bytes of send.front() already handed to the socket
  std::deque<uint32_t> read;      ///< whole messages waiting for a scheduler pass
  SimTime node_sync_at = kSimNever;  ///< nodeSyncTask's next run
  SimTime timeout_at = kSimNever;    ///< timeOutTask: NODE_TIMEOUT after a request, until its reply
  SimTime time_sync_at = kSimNever;  ///< timeSyncTask's next run
  bool time_synced = false;        ///< a time exchange completed: the task slows down
  SimTime time_sync_sent_ns = -1;  ///< when this end's last time request left
  SimTime rtt_ns = -1;             ///< the round trip of this end's last completed time exchange
  uint64_t layout_version = 0;     ///< the mesh layout this end last learnt about over this link
};

/// One node's scheduler: its loop period and phase, pending events and the Hello timer.
struct PmNetwork::NodeState {
  SimTime period_ns = 0;        ///< 0: always serviced (event driven)
  SimTime phase_ns = 0;
  SimTime pass_event_at = -1;   ///< the pass event scheduled, -1 when none
  SimTime rejoin_at = -1;       ///< the rejoin attempt scheduled, -1 when none
  SimTime hello_at = kSimNever;
  uint64_t known_version = 0;   ///< the newest mesh layout this node has told its neighbours about
  RngStream rng;
};

/// Calls f(link) for every open connection of `node`: its station link first, then its stations'.
template <class F>
void PmNetwork::for_each_link(uint32_t node, F&& f) const {
  if (tree_.parent(node) != kNoNode && open_[node]) f(node);
  // Read the next sibling first: f may close the link it is given.
  for (uint32_t c = tree_.first_child(node); c != kNoNode;) {
    const uint32_t next = tree_.next_sibling(c);
    if (open_[c]) f(c);
    c = next;
  }
}

}  // namespace meshota::sim
