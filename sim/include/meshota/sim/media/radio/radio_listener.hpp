#pragma once
// What the radio medium hands up to its owner (the flood bench, later the
// Simulator): intact frames, and the end of the MAC's work on a frame.

#include <cstdint>

#include "meshota/sim/engine/event_queue.hpp"

namespace meshota::sim {

/// Destination of a frame every node in range may receive (no ACK, no retry).
constexpr uint32_t kRadioBroadcast = 0xffffffffu;

/// One frame handed to a node's MAC; `handle` is the owner's id for it.
struct RadioTx {
  uint32_t dest = kRadioBroadcast;
  uint32_t mpdu_bytes = 0;
  uint32_t handle = 0;
};

/// Receiver of the medium's upcalls, implemented by the owner of a RadioMedium.
class RadioListener {
 public:
  /// An intact frame for `node`: unicast to it (retransmissions filtered) or broadcast.
  virtual void on_radio_receive(uint32_t node, uint32_t from, uint32_t handle, SimTime now_ns) = 0;
  /// The MAC is finished with the frame: a broadcast once its last signal has
  /// ended everywhere, a unicast when ACKed (delivered) or given up; always
  /// after every on_radio_receive of it. The owner may release `handle` here.
  virtual void on_radio_done(uint32_t node, uint32_t handle, bool delivered, SimTime now_ns) = 0;

 protected:
  ~RadioListener() = default;
};

}  // namespace meshota::sim
