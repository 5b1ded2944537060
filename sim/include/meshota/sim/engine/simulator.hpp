#pragma once
// One simulated run: the event loop and a SimNode per mesh node hosting the
// sans-I/O core, on top of painlessMesh's library layer (PmNetwork) and a
// channel (independent links, or the shared radio). No globals: many runs can
// share a process (tests, sweeps, Python).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "meshota/core/node.hpp"
#include "meshota/core/outbox.hpp"
#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/engine/frame_pool.hpp"
#include "meshota/sim/espnow/espnow_network.hpp"
#include "meshota/sim/media/tree_channel.hpp"
#include "meshota/sim/node/sim_node.hpp"
#include "meshota/sim/attack/hostile_peer.hpp"
#include "meshota/sim/ota/image_pack.hpp"
#include "meshota/sim/ota/meshota_stack.hpp"
#include "meshota/sim/pm/join_policy.hpp"
#include "meshota/sim/pm/mesh_tree.hpp"
#include "meshota/sim/pm/pm_network.hpp"
#include "meshota/sim/rollout/rollout_host.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/firmware_image.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/scenario/topology.hpp"
#include "meshota/sim/telemetry/telemetry_host.hpp"

namespace meshota::sim {

/// Called now and then during a run with (virtual time, nodes updated, receivers).
/// It may throw to end the run early (the Python module's time limit and Ctrl-C do):
/// the simulator unwinds and frees what it built.
using ProgressFn = std::function<void(SimTime, uint32_t, uint32_t)>;

/// Events between two ProgressFn calls: a power of two (a mask test per event). While a
/// large mesh forms, every node sync carries the whole tree, so an event can take 20 to
/// 200 us (300 to 500 nodes); 256 events let a caller stop a run within tens of
/// milliseconds, at the cost of one indirect call per 256 events.
constexpr uint64_t kProgressEveryEvents = 256;

/// Runs one scenario to its end and measures it.
class Simulator final : public PmHost, public EspNowHost, public MetricsProvider {
 public:
  Simulator(const Scenario& scenario, const FirmwareImage& image, const Topology& topology);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  RunResult run(const ProgressFn& progress = {});

  // PmHost
  void deliver(uint32_t node, uint32_t frame, SimTime at_ns) override;
  SimTime charge_cpu(uint32_t node, uint64_t bytes) override;
  bool is_up(uint32_t node) const override { return nodes_[node]->up; }
  void mesh_synced(uint32_t node) override {
    if (nodes_[node]->health) nodes_[node]->health->mesh_joined();
  }
  // EspNowHost
  void deliver_from(uint32_t node, uint32_t from, uint32_t frame) override;
  void frame_done(uint32_t node, uint32_t frame) override;
  // MetricsProvider (simulator_telemetry.cpp)
  void sample_node(uint32_t node, core::Instant now, core::NodeMetrics& out) override;

 private:
  enum Handler : uint32_t {
    kPoll, kBoot, kOffer, kFault, kReboot, kTelemetry, kBadImage, kRollout, kRolloutCommand, kModules
  };
  static constexpr uint32_t kAggregationTick = UINT32_MAX;  ///< kTelemetry payload: start a status aggregation

  void dispatch(const Event& e);
  /// A node within decoding range of `sender` is working on `page` and still lacks chunk `index`.
  bool wanted_in_range(uint32_t sender, uint32_t page, uint32_t index) const;
  void on_poll(uint32_t node);
  void on_boot(uint32_t node);
  void on_offer();
  void on_fault(uint32_t index);

  // Runs the core's output: frames to the network (from `at_ns`), reboot, next poll.
  void flush(uint32_t node, SimTime at_ns, core::Instant deadline);
  void take_down(uint32_t node, SimTime boot_after_ns, bool crash);
  void start_node(uint32_t node);
  void schedule_poll(uint32_t node, core::Instant deadline);
  void collect(RunResult& r);
  void setup_meshota();
  // Signing and hostile nodes (simulator_attack.cpp).
  PackOptions signing_options(PackOptions o);
  void setup_attacks(const FirmwareImage& old_image);
  bool is_attacker(uint32_t node) const;
  /// Installs the node's hostile peer instead of the meshota stack; false for an honest node.
  bool start_hostile(uint32_t node);
  /// The node's anti-rollback counter (what its boot record would hold).
  uint32_t device_security_counter(uint32_t node, bool runs_new) const;
  void collect_attacks(RunResult& r);
  bool stored_poison(uint32_t node);
  // Safe updates (simulator_safety.cpp): boot records, trial boots, the bad image, the rollout.
  void setup_safety();
  /// The bootloader at a reset of `node`; false when nothing can start (the node stays down).
  bool bootloader(uint32_t node);
  /// At every start of a meshota node: its health check, and what a bad image does.
  void start_safety(uint32_t node, bool runs_new);
  void on_bad_image(uint32_t node);
  void start_rollout();
  void on_rollout_tick();
  void on_rollout_command(uint32_t index);
  void push_grant();
  void collect_safety(RunResult& r);
  // Telemetry (simulator_telemetry.cpp): agents, collector, injected events, the metrics.
  void setup_telemetry(const std::vector<uint32_t>& id_of);
  void schedule_telemetry();
  void on_telemetry(uint32_t payload);
  void start_aggregation();
  void inject(uint32_t index);
  void sample_links(uint32_t node, SimTime now_ns, core::NodeMetrics& m);
  void sample_radio(uint32_t node, SimTime now_ns, core::NodeMetrics& m);
  // ESP-NOW telemetry routing (simulator_route.cpp): frames go hop by hop along the radio topology's tree.
  bool route_telemetry_out(uint32_t node, Frame& f);
  bool route_telemetry_in(uint32_t node, uint32_t from, uint32_t frame);
  uint32_t next_hop(uint32_t node, uint32_t dest) const;
  void sample_update(uint32_t node, core::NodeMetrics& m);
  uint32_t sample_heap(uint32_t node, SimTime now_ns, const core::NodeMetrics& m);
  // The network under the cores (simulator_network.cpp): painlessMesh over links or the
  // radio, or raw ESP-NOW frames on the radio.
  void build_network(std::vector<uint32_t> id_of);
  void net_send(uint32_t node, uint32_t frame, SimTime at_ns);
  void net_node_up(uint32_t node, bool up);
  SimTime pass_at(uint32_t node, SimTime t_ns) const;
  void collect_network(RunResult& r) const;
  /// Counters of the node's running boot added to its totals (before a reset, or at the end).
  void accumulate_boot(uint32_t node);
  /// SHA-256 of the first image-size bytes of the node's running slot.
  const std::string& running_image_sha256(const SimNode& n);
  /// SHA-256 (hex) of the first `bytes` bytes of `slot`.
  const std::string& slot_sha256(const SimNode& n, uint32_t slot, uint32_t bytes);
  core::Instant instant(SimTime t) const { return core::Instant{t / kNsPerUs}; }

  const Scenario& sc_;
  const FirmwareImage& image_;
  const Topology& topo_;
  EventQueue queue_;
  PagePool pages_;
  FramePool frames_;
  RunResult result_;
  InflateMemo inflate_memo_;  ///< shared by the nodes' inflaters: declared before them, outlives them
  ShaMemo sha_memo_;          ///< shared by the nodes' SHA-256 hashers, likewise
  std::vector<std::unique_ptr<SimNode>> nodes_;
  std::unordered_map<uint32_t, uint32_t> index_of_id_;
  MeshTree tree_;
  std::unique_ptr<JoinPolicy> join_;
  std::unique_ptr<PmNetwork> pm_;
  std::unique_ptr<TreeChannel> channel_;
  uint32_t channel_first_ = 0;
  std::unique_ptr<EspNowNetwork> espnow_;
  const RadioMedium* radio_ = nullptr;  ///< the shared channel, when the run is on the radio
  std::map<std::pair<std::vector<PageRef>, uint32_t>, std::string> digest_by_pages_;
  // meshota: the packed image the sender offers, and what every node's stack is built from.
  PackedImage packed_;
  std::unique_ptr<PackedUnitSource> unit_source_;
  MeshotaSetup meshota_;
  PackOptions pack_options_;  ///< how the offered image was packed (and signed)
  KeyPair fleet_key_;
  std::unique_ptr<SodiumVerifier> verifier_;
  AttackMaterial attack_;
  std::vector<std::unique_ptr<HostilePeer>> hostile_;  ///< per node; null for honest nodes
  std::string old_sha256_;                             ///< the image every receiver runs before the update
  std::unique_ptr<TelemetryHost> telemetry_;
  std::unique_ptr<RolloutHost> rollout_;
  GrantState grant_sent_;
  uint32_t grants_sent_ = 0;
  bool rollout_settled_ = false;  ///< the rollout ended; the run stops after the settle time
  core::Outbox outbox_;
  uint32_t updated_ = 0;
  uint32_t receivers_ = 0;
  bool done_ = false;
};

}  // namespace meshota::sim
