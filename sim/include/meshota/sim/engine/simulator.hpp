#pragma once
// One simulated run: the event loop, the tcp-tree medium and a SimNode per
// mesh node hosting the sans-I/O core. No globals: many runs can share a
// process (tests, sweeps, Python).

#include <functional>
#include <map>
#include <string>
#include <memory>
#include <unordered_map>
#include <vector>

#include "meshota/core/node.hpp"
#include "meshota/core/outbox.hpp"
#include "meshota/sim/node/emulated_flash.hpp"
#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/scenario/firmware_image.hpp"
#include "meshota/sim/engine/frame_pool.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/node/sim_node.hpp"
#include "meshota/sim/media/tcp_tree_medium.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace meshota::sim {

/// Called now and then during a run with (virtual time, nodes updated, receivers).
using ProgressFn = std::function<void(SimTime, uint32_t, uint32_t)>;

/// Runs one scenario to its end and measures it.
class Simulator {
 public:
  Simulator(const Scenario& scenario, const FirmwareImage& image, const Topology& topology);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  RunResult run(const ProgressFn& progress = {});

 private:
  enum Handler : uint32_t { kPoll, kDeliver, kBoot, kLinkUp, kLinkDrop, kOffer, kFault };

  void on_poll(uint32_t node);
  void on_deliver(uint32_t transit);
  void on_boot(uint32_t node);
  void on_link_up(uint32_t link);
  void on_link_drop(uint32_t link);
  void on_offer();
  void on_fault(uint32_t index);

  // Runs the core's output: frames to the medium (from `at_ns`), reboot, next poll.
  void flush(uint32_t node, SimTime at_ns, core::Instant deadline);
  void send(uint32_t node, uint32_t frame, SimTime at_ns);
  void transmit(uint32_t from, uint32_t to, uint32_t frame, SimTime at_ns);
  void forward(uint32_t node, uint32_t came_from, uint32_t frame, SimTime at_ns);
  SimTime charge_cpu(SimNode& n, uint64_t bytes);
  void take_down(uint32_t node, SimTime boot_after_ns, bool crash);
  void start_node(uint32_t node);
  void schedule_poll(uint32_t node, core::Instant deadline);
  void collect(RunResult& r);
  /// SHA-256 of the first image-size bytes of the node's running slot.
  const std::string& running_image_sha256(const SimNode& n);
  core::Instant instant(SimTime t) const { return core::Instant{t / kNsPerUs}; }

  const Scenario& sc_;
  const FirmwareImage& image_;
  const Topology& topo_;
  EventQueue queue_;
  TcpTreeMedium medium_;
  PagePool pages_;
  FramePool frames_;
  std::vector<std::unique_ptr<SimNode>> nodes_;
  std::unordered_map<uint32_t, uint32_t> index_of_id_;
  std::vector<SimTime> forced_down_until_;  // per link
  std::map<std::vector<PageRef>, std::string> digest_by_pages_;
  core::Outbox outbox_;
  RunResult result_;
  uint32_t updated_ = 0;
  uint32_t receivers_ = 0;
  bool done_ = false;
};

}  // namespace meshota::sim
