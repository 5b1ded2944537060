#pragma once
// Telemetry in a simulated run: a TelemetryAgent on every node (rebuilt at
// every boot, like the node's other RAM) fed by a MetricsSource that reads
// the simulation, and the TelemetryCollector with its status service at the
// root. The host records what the root learnt (TelemetryResult) through the
// collector's listener; it never decides anything the core should decide.

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "meshota/core/hal/metrics_source.hpp"
#include "meshota/core/node.hpp"
#include "meshota/core/telemetry/telemetry_agent.hpp"
#include "meshota/core/telemetry/telemetry_collector.hpp"
#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/node/sim_hal.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/telemetry/telemetry_result.hpp"

namespace meshota::sim {

/// Per report, the weight a link's past segment counts keep in its loss estimate (about 2 reports of memory).
inline constexpr double kLossMemory = 0.5;

/// Whoever can measure a simulated node (the Simulator): fills `out` from the simulation.
class MetricsProvider {
 public:
  virtual void sample_node(uint32_t node, core::Instant now, core::NodeMetrics& out) = 0;

 protected:
  ~MetricsProvider() = default;
};

/// What a node's telemetry remembers across boots (NVS, and the world around it).
struct TelemetryNodeState {
  uint32_t boot_count = 0;
  core::ResetReason reset_reason = core::ResetReason::kPowerOn;
  core::ResetReason next_reason = core::ResetReason::kPowerOn;  ///< why the coming boot happens
  SimTime booted_ns = 0;
  uint64_t sent_at_boot = 0, received_at_boot = 0, dropped_at_boot = 0;
  uint64_t received = 0;  ///< application frames delivered to the node, since the start
  uint32_t min_heap_bytes = UINT32_MAX;
  double leak_bytes_per_s = 0;
  SimTime leak_since_ns = -1;
  uint32_t boot_loop_left = 0;
  SimTime last_sample_ns = -1;
  uint64_t bytes_at_last_sample = 0;
  /// Per neighbour (node index): the loss counters at the last sample and the last measured loss.
  struct LinkMemory {
    uint32_t peer = 0;
    uint64_t segments = 0, lost = 0;
    double recent_segments = 0, recent_lost = 0;  ///< exponentially fading counts (the loss estimate's memory)
    uint8_t loss_pct = core::kLossUnmeasured;
    SimTime dead_since_ns = -1;  ///< -1: open
  };
  std::vector<LinkMemory> links;
  /// Radio: the neighbours this node has received a frame from, and when last.
  std::vector<std::pair<uint32_t, SimTime>> heard;
  uint64_t tx_frames = 0, retries = 0;  ///< radio: the MAC's counters at the last sample
  SimTime airtime_ns = 0;
  double recent_tx = 0, recent_retries = 0;
  RngStream heap_rng;
};

/// Telemetry agents, collector and recording for one run.
class TelemetryHost final : public core::CollectorListener {
 public:
  TelemetryHost(const Scenario& sc, std::vector<uint32_t> ids, uint32_t root, MetricsProvider& provider);
  ~TelemetryHost();
  TelemetryHost(const TelemetryHost&) = delete;
  TelemetryHost& operator=(const TelemetryHost&) = delete;

  /// The node booted: builds its agent (the collector too at the root) and adds them to `core`.
  void attach(uint32_t node, core::Node& core, SimTime now_ns);
  /// The node went down: its agent's counters are kept, the agent (and collector) thrown away.
  void detach(uint32_t node);
  /// Also tells `next` of every report and alert (the rollout's health gates); null: nobody.
  void forward_to(core::CollectorListener* next) { forward_ = next; }
  /// The root's collector, null while the root is down.
  core::TelemetryCollector* collector() { return collector_.get(); }
  /// A frame a node's core sent: counted by telemetry type when it is one.
  void count_sent(uint32_t node, const std::vector<uint8_t>& bytes, SimTime now_ns);
  TelemetryNodeState& state(uint32_t node) { return state_[node]; }
  /// ESP-NOW: the routing header a telemetry frame of `type` carried (wire bytes only).
  void add_routing_bytes(uint8_t type, size_t bytes) { result_.by_type[type < 7 ? type : 0].wire_bytes += bytes; }
  /// Radio: `node` received a frame from neighbour `from`.
  void heard(uint32_t node, uint32_t from, SimTime now_ns);
  /// Marks injected event `index` as started now.
  void event_started(uint32_t index, SimTime now_ns);
  /// The recording, with live agents' and collector's counters added (call once, at the end).
  TelemetryResult finish(SimTime end_ns);

  // core::CollectorListener
  void on_report(core::Instant now, core::NodeId id, const core::NodeMetrics& m, bool snapshot) override;
  void on_alert(const core::Alert& a) override;
  void on_status_response(core::Instant now, core::NodeId id, const core::NodeMetrics&, bool) override;
  void on_aggregation_done(core::Instant now, const core::AggregationStatus& s) override;
  void on_aggregation_started(SimTime now_ns, uint32_t targets);

 private:
  class Source;
  uint32_t index_of(core::NodeId id) const;
  /// Counts a sent frame by telemetry type; returns its slot (0: not telemetry).
  size_t classify(const std::vector<uint8_t>& bytes);
  void add_agent_stats(const core::TelemetryAgentStats& s);
  void add_collector_stats(const core::CollectorStats& s);

  const Scenario& sc_;
  core::CollectorListener* forward_ = nullptr;
  std::vector<uint32_t> ids_;
  std::unordered_map<uint32_t, uint32_t> index_of_id_;
  uint32_t root_;
  core::TelemetryAgentConfig agent_config_;
  core::TelemetryCollectorConfig collector_config_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::vector<std::unique_ptr<SimRng>> rngs_;
  std::vector<std::unique_ptr<core::TelemetryAgent>> agents_;
  std::vector<TelemetryNodeState> state_;
  std::vector<core::DecoderSlot> decoder_slots_;
  std::vector<core::NodeStatus> status_slots_;
  std::vector<core::HealthSlot> health_slots_;
  std::unique_ptr<core::TelemetryCollector> collector_;
  TelemetryResult result_;
  std::vector<uint8_t> json_scratch_;
  std::vector<SimTime> report_sent_ns_;  ///< per node: its last SNAPSHOT/DELTA/ENHANCED left its core
};

/// The collector and agent parameters a scenario's telemetry section gives.
core::TelemetryCollectorConfig collector_config(const TelemetrySpec& t);
core::TelemetryAgentConfig agent_config(const TelemetrySpec& t, core::NodeId root_id);

}  // namespace meshota::sim
