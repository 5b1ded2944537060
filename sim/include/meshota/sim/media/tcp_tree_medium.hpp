#pragma once
// painlessMesh's transport as a link model: one reliable, ordered TCP stream
// per tree link and direction. Loss never drops a frame; it turns into
// retransmission delay (one RTO per lost segment, doubling), and a frame that
// cannot get through within NODE_TIMEOUT takes the whole link down, as
// painlessMesh closes a connection that stays silent that long.

#include <cstdint>
#include <vector>

#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/media/loss_model.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// What happened to one frame handed to a link.
struct Transmission {
  enum class Outcome : uint8_t { kQueued, kLinkDown, kQueueFull, kTimedOut };
  Outcome outcome = Outcome::kQueued;
  SimTime arrival_ns = 0;   ///< kQueued: when the receiver has the whole frame
  SimTime drop_at_ns = 0;   ///< kTimedOut: when the link is declared dead
  uint32_t epoch = 0;       ///< the link's epoch; a frame from an older epoch is lost
  uint32_t retransmissions = 0;
};

/// The tcp-tree medium: per tree link and direction, bandwidth, latency, queue and loss.
class TcpTreeMedium {
 public:
  /// `node_timeout` off: painlessMesh's node sync is simulated and closes silent links itself.
  /// Links are numbered by their station node, 0..nodes-1.
  TcpTreeMedium(uint32_t nodes, const MediumSpec& spec, uint64_t seed, bool node_timeout);


  /// Queues `bytes` from `from` over `link` (upward: from the station to its access point), no earlier than `at_ns`.
  Transmission transmit(uint32_t link, uint32_t from, bool upward, uint32_t bytes, SimTime at_ns);
  /// A frame left the receiving end of its queue (delivered or lost).
  void dequeued(uint32_t link, bool upward, uint32_t bytes, uint32_t epoch);

  bool up(uint32_t link) const { return links_[link].up; }
  uint32_t epoch(uint32_t link) const { return links_[link].epoch; }
  /// Tears the link down: queued and in-flight frames are lost.
  void drop(uint32_t link, SimTime now_ns);
  void restore(uint32_t link);
  /// Holds both directions until `until_ns` (an outage shorter than NODE_TIMEOUT).
  void block(uint32_t link, SimTime until_ns);

  /// Segments sent and segments lost (each loss is one retransmission) on one direction of `link`, since the start.
  uint64_t segments_sent(uint32_t link, bool upward) const { return dir(link, upward).segments; }
  uint64_t segments_lost(uint32_t link, bool upward) const { return dir(link, upward).lost_segments; }
  /// Frames in flight or waiting on one direction of `link`.
  uint32_t queued_frames(uint32_t link, bool upward) const { return dir(link, upward).queued_frames; }
  /// From now on `link` loses segments as `loss` says, both ways (a degrading link).
  void set_loss(uint32_t link, const LossSpec& loss, uint64_t seed);

  /// Most bytes ever waiting in one of `node`'s send queues (painlessMesh's heap risk).
  uint64_t peak_queue_bytes(uint32_t node) const { return peak_queue_bytes_[node]; }
  const MediumSpec& spec() const { return spec_; }

 private:
  struct Direction {
    SimTime busy_until_ns = 0;
    uint32_t queued_frames = 0;
    uint64_t queued_bytes = 0;
    uint64_t segments = 0;
    uint64_t lost_segments = 0;
    LossModel loss;
  };
  struct Link {
    bool up = true;
    uint32_t epoch = 0;
    Direction down;  // parent -> child
    Direction up_dir;  // child -> parent
  };

  const Direction& dir(uint32_t link, bool upward) const { return upward ? links_[link].up_dir : links_[link].down; }

  MediumSpec spec_;
  double ns_per_byte_;
  SimTime latency_ns_;
  SimTime rto_ns_;
  SimTime node_timeout_ns_;
  std::vector<Link> links_;
  std::vector<uint64_t> peak_queue_bytes_;
};

}  // namespace meshota::sim
