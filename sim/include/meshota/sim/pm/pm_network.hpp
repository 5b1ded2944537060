#pragma once
// painlessMesh's library layer on every node (reference/painlessmesh.md, "The
// environment around the protocol"): one connection per tree link with its
// send buffer (messages waiting for the socket) and read buffer (messages
// waiting for a scheduler pass), TaskScheduler passes, routing (SINGLE hop by
// hop, BROADCAST to every other connection), node sync with its NODE_TIMEOUT,
// time sync, the example's Hello traffic, and stations that re-join after
// losing their access point. The OTA core sits above it, a TreeChannel below.

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/engine/frame_pool.hpp"
#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/media/tree_channel.hpp"
#include "meshota/sim/pm/join_policy.hpp"
#include "meshota/sim/pm/mesh_tree.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// What the library layer needs from the simulator that hosts it.
class PmHost {
 public:
  /// A package for the node's application and plugins (the OTA core), parsed and ready at `at_ns`.
  virtual void deliver(uint32_t node, uint32_t frame, SimTime at_ns) = 0;
  /// Charges the node's CPU for parsing `bytes` received; returns when it is done.
  virtual SimTime charge_cpu(uint32_t node, uint64_t bytes) = 0;
  virtual bool is_up(uint32_t node) const = 0;
  /// A node sync reached `node` over one of its connections (what painlessMesh's
  /// onChangedConnections tells an application): it is part of the mesh.
  virtual void mesh_synced(uint32_t /*node*/) {}

 protected:
  ~PmHost() = default;
};

/// painlessMesh's connections, scheduler and mesh maintenance for every node of a run.
class PmNetwork final : public TreeChannelListener {
 public:
  static constexpr uint32_t kHandlerCount = 2;

  PmNetwork(EventQueue& queue, uint32_t first_handler, FramePool& frames, const Scenario& sc, MeshTree& tree,
            std::vector<uint32_t> ids, JoinPolicy& join, RunResult& result, PmHost& host);
  ~PmNetwork();
  PmNetwork(const PmNetwork&) = delete;
  PmNetwork& operator=(const PmNetwork&) = delete;

  /// The channel must be set before start(); it calls back into this object.
  void set_channel(TreeChannel& channel) { channel_ = &channel; }
  /// Opens every link of the initial tree and starts the timers.
  void start();
  void dispatch(const Event& e);

  /// The node's application queued a package (a frame holding painlessMesh JSON) at `at_ns`.
  void send(uint32_t node, uint32_t frame, SimTime at_ns);
  /// The node went down: its connections close; its stations and its own station re-join later.
  void node_down(uint32_t node);
  /// The node booted: it scans and joins an access point after reconnect_s.
  void node_up(uint32_t node);
  /// A link-down fault: the connection closes and stays closed until `until_ns`.
  void fault_link(uint32_t link, SimTime until_ns);
  /// TCP rides out an outage shorter than NODE_TIMEOUT: the channel holds the link's bytes.
  bool link_open(uint32_t link) const { return open_[link]; }

  /// The first scheduler pass of `node` at or after `t_ns` (t_ns itself when always serviced).
  SimTime pass_at(uint32_t node, SimTime t_ns) const;

  // TreeChannelListener
  void on_message(uint32_t node, uint32_t link, uint32_t frame) override;
  void on_writable(uint32_t node, uint32_t link) override;
  void on_broken(uint32_t link) override;

  const MeshTree& tree() const { return tree_; }
  /// Round trip of the last time-sync exchange `node` completed on `link`, -1 before the first (telemetry's rtt).
  SimTime link_rtt_ns(uint32_t node, uint32_t link) const;
  /// Messages waiting in `node`'s connection send buffers (telemetry's queue depth, with the channel's).
  uint32_t send_buffer_frames(uint32_t node) const;

 private:
  enum Kind : uint32_t { kPass = 0, kRejoin = 1 };
  struct Side;  // one end of a connection: its buffers and timers
  struct NodeState;

  Side& side(uint32_t node, uint32_t link);
  uint32_t peer(uint32_t node, uint32_t link) const;
  void open_link(uint32_t link);
  void close_link(uint32_t link, bool timed_out);
  void try_rejoin(uint32_t node);
  void schedule_rejoin(uint32_t node, SimTime at_ns);
  const std::vector<bool>& up_view();
  void on_pass(uint32_t node);
  void wake(uint32_t node, SimTime t_ns);
  void run_timers(uint32_t node, SimTime now_ns);
  void read_one(uint32_t node, uint32_t link, Side& s, SimTime at_ns);
  void route(uint32_t node, uint32_t came_on, uint32_t frame, SimTime at_ns);
  void enqueue(uint32_t node, uint32_t link, uint32_t frame, bool priority, SimTime at_ns);
  void write(uint32_t node, uint32_t link, Side& s, SimTime at_ns, bool one_piece);
  uint32_t own_frame(uint32_t node, const std::string& text, TrafficClass kind, uint64_t meta,
                     core::Routing routing);
  void send_own(uint32_t node, uint32_t link, const std::string& text, TrafficClass kind, bool priority,
                uint64_t meta, SimTime at_ns);
  void handle_node_sync(uint32_t node, uint32_t link, uint32_t frame, bool reply, SimTime at_ns);
  void handle_time_sync(uint32_t node, uint32_t link, uint32_t frame, SimTime at_ns);
  void send_node_sync(uint32_t node, uint32_t link, bool reply, SimTime at_ns);
  void sync_layout(uint32_t node, uint32_t except_link, SimTime at_ns);
  void start_sync_timers(uint32_t link, SimTime now_ns);
  template <class F>
  void for_each_link(uint32_t node, F&& f) const;
  bool serviced(uint32_t node) const;

  EventQueue& queue_;
  uint32_t first_handler_;
  FramePool& frames_;
  const Scenario& sc_;
  MeshTree& tree_;
  std::vector<uint32_t> ids_;
  JoinPolicy& join_;
  RunResult& result_;
  PmHost& host_;
  TreeChannel* channel_ = nullptr;
  std::vector<Side> sides_;  // 2 per link: [2*link] the station's end, [2*link+1] the access point's
  std::vector<NodeState> node_;
  std::vector<bool> open_;
  std::vector<SimTime> fault_until_;
  std::vector<bool> up_;  // scratch for the join policy
};

}  // namespace meshota::sim
