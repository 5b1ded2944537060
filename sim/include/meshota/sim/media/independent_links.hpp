#pragma once
// painlessMesh's TCP connections as independent links: each tree link has its
// own pipe per direction (TcpTreeMedium's bandwidth, latency, queue and loss
// turned into retransmission delay), and links never compete for airtime.
// A message crosses the link once its last byte is in the socket.

#include <cstdint>

#include "meshota/sim/engine/frame_pool.hpp"
#include "meshota/sim/media/tcp_tree_medium.hpp"
#include "meshota/sim/media/tree_channel.hpp"
#include "meshota/sim/pm/mesh_tree.hpp"
#include "meshota/sim/report/run_result.hpp"

namespace meshota::sim {

/// The tree channel of private point-to-point links (the original tcp-tree model).
class IndependentLinks final : public TreeChannel {
 public:
  /// `node_timeout`: the link model itself drops a link whose frame is stuck past NODE_TIMEOUT
  /// (used when painlessMesh's node sync, which does that for real, is not simulated).
  IndependentLinks(EventQueue& queue, uint32_t first_handler, FramePool& frames, const MeshTree& tree,
                   const MediumSpec& spec, uint64_t seed, bool node_timeout, RunResult& result,
                   TreeChannelListener& listener);

  uint32_t handler_count() const override { return 2; }
  void dispatch(const Event& e) override;
  uint64_t space(uint32_t, uint32_t) const override { return UINT64_MAX; }
  void write(uint32_t node, uint32_t link, uint32_t frame, uint32_t bytes, bool last, SimTime at_ns) override;
  void open(uint32_t link) override { medium_.restore(link); }
  void close(uint32_t link) override { medium_.drop(link, queue_.now()); }
  void hold(uint32_t link, SimTime until_ns) override { medium_.block(link, until_ns); }
  uint64_t peak_queue_bytes(uint32_t node) const override { return medium_.peak_queue_bytes(node); }
  /// The link model underneath (telemetry reads its loss counters and queues, faults change its loss).
  TcpTreeMedium& medium() { return medium_; }
  const TcpTreeMedium& medium() const { return medium_; }

 private:
  enum Kind : uint32_t { kDeliver = 0, kBroken = 1 };

  EventQueue& queue_;
  uint32_t first_handler_;
  FramePool& frames_;
  const MeshTree& tree_;
  TcpTreeMedium medium_;
  RunResult& result_;
  TreeChannelListener& listener_;
};

}  // namespace meshota::sim
