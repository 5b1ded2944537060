#pragma once
// painlessMesh's TCP connections on the shared radio channel: every segment
// and every ACK of every tree link is a unicast 802.11 frame (with its MAC ACK
// and retries) on the one channel all nodes share, so a node's links compete
// with each other and with its neighbours' for airtime, and hidden nodes
// collide. lwIP's behaviour that matters for OTA time is kept: a send buffer
// (TCP_SND_BUF), a window of segments in flight, delayed ACKs (every second
// segment or after a timer), Nagle on station sockets (only the server side
// sets TCP_NODELAY since 1.5.6), and an RTO with exponential backoff that
// resends from the oldest unacknowledged byte. Segments carry a cumulative
// ACK of the reverse stream (piggybacking).

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "meshota/sim/engine/frame_pool.hpp"
#include "meshota/sim/media/radio/radio_medium.hpp"
#include "meshota/sim/media/tree_channel.hpp"
#include "meshota/sim/pm/mesh_tree.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// TCP's parameters on the radio; defaults are ESP-IDF's lwIP.
struct TcpRadioParams {
  uint32_t mss_bytes = 1436;
  uint32_t snd_buf_bytes = 5744;   ///< TCP_SND_BUF (4 x MSS)
  uint32_t window_bytes = 5744;    ///< TCP_WND of the receiver
  uint32_t header_bytes = 40;      ///< IPv4 + TCP headers
  uint32_t frame_overhead_bytes = 52;  ///< 802.11 MAC header + LLC/SNAP + FCS (36) + WPA2 CCMP (16)
  SimTime delayed_ack_ns = 200 * kNsPerMs;
  SimTime rto_ns = 300 * kNsPerMs;     ///< first retransmission timeout; doubles per retry
  SimTime max_rto_ns = 64 * kNsPerS;
  uint32_t max_retransmissions = 12;   ///< TCP_MAXRTX: then the connection is aborted
};

/// The tree channel whose TCP segments are frames on the shared radio.
class TcpOverRadio final : public TreeChannel, public RadioListener {
 public:
  TcpOverRadio(EventQueue& queue, uint32_t first_handler, FramePool& frames, const MeshTree& tree,
               const RadioSpec& radio, std::vector<Position> positions, const TcpRadioParams& tcp, uint64_t seed,
               RunResult& result, TreeChannelListener& listener);
  ~TcpOverRadio() override;

  uint32_t handler_count() const override { return kOwnHandlers + RadioMedium::kHandlerCount; }
  void dispatch(const Event& e) override;
  uint64_t space(uint32_t node, uint32_t link) const override;
  void write(uint32_t node, uint32_t link, uint32_t frame, uint32_t bytes, bool last, SimTime at_ns) override;
  void open(uint32_t link) override;
  void close(uint32_t link) override;
  void hold(uint32_t link, SimTime until_ns) override;
  uint64_t peak_queue_bytes(uint32_t node) const override { return peak_[node]; }
  void set_node_up(uint32_t node, bool up) override { radio_.set_node_up(node, up); }

  // RadioListener
  void on_radio_receive(uint32_t node, uint32_t from, uint32_t handle, SimTime now_ns) override;
  void on_radio_done(uint32_t node, uint32_t handle, bool delivered, SimTime now_ns) override;

  const RadioMedium& radio() const { return radio_; }
  void set_link_loss(uint32_t from, uint32_t to, const LossSpec& loss) { radio_.set_link_loss(from, to, loss); }
  /// TCP counters for reports: segments sent again after an RTO, connections TCP gave up on.
  uint64_t rto_retransmissions() const { return rto_retransmissions_; }
  uint64_t aborted_connections() const { return aborted_; }

 private:
  static constexpr uint32_t kOwnHandlers = 3;
  enum Kind : uint32_t { kPump = 0, kRto = 1, kDelayedAck = 2 };

  struct Message {
    uint64_t end = 0;  // stream offset just past its last byte
    uint32_t frame = 0;
  };
  /// One direction of one link: the sender's state and, at the other end, the receiver's.
  struct Stream {
    uint64_t written = 0, snd_una = 0, snd_nxt = 0, rcv_nxt = 0;
    std::deque<Message> messages;             // written, not yet delivered to the receiver
    std::map<uint64_t, uint32_t> out_of_order;  // seq -> length, held by the receiver
    uint32_t unacked_segments = 0;            // received, not yet acknowledged
    uint32_t backoff = 0;                     // RTO doublings since the last progress
    SimTime rto_at = kSimNever;               // the pending timer events; one whose time differs is stale
    SimTime ack_at = kSimNever;
    SimTime hold_until = 0;
  };
  /// One frame handed to the radio: a data segment and/or an ACK.
  struct Segment {
    uint32_t link = 0, epoch = 0;
    bool upward = false;      // direction of the data (and of the frame)
    uint64_t seq = 0;
    uint32_t len = 0;         // 0: a pure ACK
    uint64_t ack = 0;         // cumulative ACK of the reverse stream
    bool has_ack = false;
  };

  Stream& stream(uint32_t link, bool upward) { return streams_[2 * size_t{link} + (upward ? 1 : 0)]; }
  uint32_t from_node(uint32_t link, bool upward) const { return upward ? link : tree_.parent(link); }
  void pump(uint32_t link, bool upward);
  bool nagle_holds(uint32_t link, bool upward, const Stream& s, uint64_t len) const;
  void send_segment(uint32_t link, bool upward, uint64_t seq, uint32_t len);
  void send_ack(uint32_t link, bool data_upward);
  void on_data(const Segment& seg);
  void on_ack(uint32_t link, bool data_upward, uint64_t ack);
  void arm_rto(uint32_t link, bool upward);
  void on_rto(uint32_t link, bool upward);
  uint32_t new_segment(const Segment& s);
  void reset_link(uint32_t link);
  static uint32_t encode(uint32_t link, bool upward) { return 2 * link + (upward ? 1 : 0); }

  EventQueue& queue_;
  uint32_t first_handler_;
  FramePool& frames_;
  const MeshTree& tree_;
  TcpRadioParams tcp_;
  RunResult& result_;
  TreeChannelListener& listener_;
  RadioMedium radio_;
  std::vector<Stream> streams_;
  std::vector<uint32_t> epoch_;
  std::vector<Segment> segments_;
  std::vector<uint32_t> free_segments_;
  std::vector<uint64_t> peak_;
  uint64_t rto_retransmissions_ = 0;
  uint64_t aborted_ = 0;
};

}  // namespace meshota::sim
