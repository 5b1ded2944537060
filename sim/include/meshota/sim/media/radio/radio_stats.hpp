#pragma once
// Per-node counters of the radio medium.

#include <cstdint>

#include "meshota/sim/engine/event_queue.hpp"

namespace meshota::sim {

/// What one node's radio did during a run; frames count data and ACKs unless named.
struct RadioNodeStats {
  uint64_t tx_frames = 0;       ///< data frames put on the air, retransmissions included
  uint64_t ack_frames = 0;      ///< ACKs sent
  SimTime tx_airtime_ns = 0;    ///< data + ACK
  uint64_t rx_locked = 0;       ///< frames the PHY locked onto (data and ACK)
  uint64_t rx_frames = 0;       ///< intact data frames delivered to the listener
  uint64_t collisions = 0;      ///< locked frames lost to interference (SINR draw or overlap rule)
  uint64_t extra_losses = 0;    ///< frames that survived the PHY but not the receiver-side loss model
  uint64_t busy_drops = 0;      ///< decodable frames that arrived while transmitting or locked, or lost to our own TX
  uint64_t queue_drops = 0;     ///< frames refused by send(): queue full or node down
  uint64_t retry_drops = 0;     ///< unicast frames given up after retry_limit retransmissions
  uint64_t retries = 0;         ///< unicast retransmissions
  uint64_t duplicates = 0;      ///< unicast retransmissions received again, ACKed but not delivered
  SimTime busy_ns = 0;          ///< time carrier sense said busy (own TX included)
  uint32_t queue_peak = 0;      ///< most frames ever waiting at the MAC, the one being sent included
};

}  // namespace meshota::sim
