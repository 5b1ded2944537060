#pragma once
// What painlessMesh's TCP connections run over. The library layer (PmNetwork)
// writes each message into the socket of a tree link, in pieces if its
// scheduler says so; the channel carries the bytes and reports whole messages
// arriving in order at the other end. Two channels exist: independent links
// (one private pipe per link, IndependentLinks) and the shared radio
// (TcpOverRadio: every TCP segment and ACK is a frame on one channel).

#include <cstdint>

#include "meshota/sim/engine/event_queue.hpp"

namespace meshota::sim {

/// Callbacks from a channel to painlessMesh's library layer.
class TreeChannelListener {
 public:
  /// A whole message (frame handle) arrived in order at `node` over `link`.
  virtual void on_message(uint32_t node, uint32_t link, uint32_t frame) = 0;
  /// The socket of `node` on `link` has room again after being full.
  virtual void on_writable(uint32_t node, uint32_t link) = 0;
  /// TCP gave up on `link` (too many retransmissions): the connection is dead.
  virtual void on_broken(uint32_t link) = 0;

 protected:
  ~TreeChannelListener() = default;
};

/// The TCP streams of the tree links, one per link and direction.
class TreeChannel {
 public:
  virtual ~TreeChannel() = default;
  /// Handler ids this channel's events use: [first_handler(), first_handler() + handler_count()).
  virtual uint32_t handler_count() const = 0;
  virtual void dispatch(const Event& e) = 0;
  /// Bytes the socket of `node` on `link` accepts now (lwIP's tcp_sndbuf); UINT64_MAX when unbounded.
  virtual uint64_t space(uint32_t node, uint32_t link) const = 0;
  /// Writes `bytes` more of message `frame` (whose full size is the frame's) from `node` into the
  /// stream of `link`, no earlier than `at_ns`; `last` when this piece completes the message.
  virtual void write(uint32_t node, uint32_t link, uint32_t frame, uint32_t bytes, bool last, SimTime at_ns) = 0;
  /// The connection opens (both ends up, the station joined the access point).
  virtual void open(uint32_t link) = 0;
  /// The connection closes: bytes in flight and queued are lost.
  virtual void close(uint32_t link) = 0;
  /// An outage shorter than NODE_TIMEOUT: nothing crosses `link` until `until_ns`, then TCP catches up.
  virtual void hold(uint32_t link, SimTime until_ns) = 0;
  /// Bytes waiting in `node`'s send queues now and at most so far (painlessMesh's heap risk).
  virtual uint64_t peak_queue_bytes(uint32_t node) const = 0;
  /// The node's radio goes quiet (down) or listens again (up); nothing to do on private links.
  virtual void set_node_up(uint32_t /*node*/, bool /*up*/) {}
};

}  // namespace meshota::sim
