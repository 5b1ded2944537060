#pragma once
// What a run's telemetry recording says, as numbers: bytes per node-hour by
// message type, each injected event's detection delay, false alarms per
// detector, status-service latency, the rollout as the root saw it, and the
// topology the root learnt against the simulated one. Reports, claims and
// tests all read this, so a figure is computed once.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// Bytes of one telemetry message type over the run.
struct TelemetryTypeRow {
  std::string name;
  uint64_t messages = 0;
  double mean_payload_bytes = 0;
  double payload_per_node_hour = 0;  ///< telemetry frame bytes
  double wire_per_node_hour = 0;     ///< as sent (type-90 painlessMesh package)
};

/// One injected event and what the root made of it.
struct TelemetryEventOutcome {
  uint32_t index = 0;
  std::string kind;
  uint32_t node = 0;
  double at_s = 0;
  std::string detector;      ///< the alert that caught it ("" when none)
  double detected_s = -1;    ///< -1: never caught
  double delay_s = -1;       ///< detected_s - at_s
  double last_frame_s = -1;  ///< silent: the root's last frame from the node before the event
  double delay_after_last_frame_s = -1;
  double bound_s = 0;        ///< the delay the detector's parameters allow (see docs/telemetry.md)
};

/// Alerts of one detector (AlertMetric).
struct TelemetryDetectorRow {
  std::string metric;
  uint32_t raised = 0;
  uint32_t caught_events = 0;   ///< raises that are the first catch of an injected event
  uint32_t explained = 0;       ///< raises on an event's node after it began (the event, still)
  uint32_t rollout = 0;         ///< raises inside the rollout window on a node being updated
  uint32_t false_alarms = 0;    ///< everything else
  uint32_t false_before_events = 0;  ///< false alarms before the first injected event
};

/// Status-service aggregations at the root.
struct TelemetryStatusSummary {
  uint32_t aggregations = 0;
  uint32_t partial = 0;
  double mean_latency_s = 0;
  double max_latency_s = 0;
  uint32_t complete = 0;             ///< aggregations every target answered
  double complete_mean_latency_s = 0;  ///< their mean time to the last answer
  double mean_answered_pct = 0;
  uint32_t max_silent = 0;
};

/// One node as the root sees it at the end, beside the simulation's truth.
struct TelemetryTopologyNode {
  uint32_t node = 0;
  uint32_t id = 0;
  uint32_t parent_id = 0;
  int reported_hops = -1;  ///< -1: no report, or hops unknown
  int true_hops = -1;      ///< the simulated tree's depth at the end (-1: detached or down)
  double last_report_s = -1;
  uint8_t update_state = 0;
  uint32_t free_heap_bytes = 0;
  struct Link {
    uint32_t id = 0;
    bool dead = false;
    int loss_pct = -1;
    int rtt_ms = -1;
  };
  std::vector<Link> links;
};

/// The rollout in the same run, as the update fields told the root.
struct TelemetryRollout {
  bool present = false;
  double start_s = 0;
  double window_end_s = 0;
  uint32_t nodes_seen_downloading = 0;
  uint32_t nodes_seen_confirmed = 0;
  uint32_t receivers = 0;
};

/// Everything a report says about telemetry.
struct TelemetryAnalysis {
  bool present = false;
  double node_hours = 0;  ///< reporting nodes x the run's hours
  std::vector<TelemetryTypeRow> types;
  double report_payload_per_node_hour = 0;  ///< SNAPSHOT + DELTA (+ ENHANCED) bytes
  double report_wire_per_node_hour = 0;
  double all_payload_per_node_hour = 0;     ///< every telemetry message, requests and responses included
  double all_wire_per_node_hour = 0;
  double link_bytes_per_node_hour = 0;      ///< every hop of every telemetry frame
  double mean_snapshot_bytes = 0, mean_delta_bytes = 0;
  double json_2a_mean_bytes = 0;            ///< the 2A JSON broadcast for the same states
  double json_2a_per_node_hour = 0;         ///< at the scenario's interval
  uint64_t samples = 0;
  double report_latency_mean_s = 0, report_latency_p99_s = 0, report_latency_max_s = 0;  ///< node core -> root applied
  double report_gap_mean_s = 0;  ///< between consecutive reports of one node at the root (the age of its view)
  std::vector<TelemetryEventOutcome> events;
  std::vector<TelemetryDetectorRow> detectors;
  uint32_t false_alarms = 0;
  uint32_t false_before_events = 0;
  std::vector<TelemetryAlert> false_alarm_list;  ///< every false alarm, in time order
  TelemetryStatusSummary status;
  std::vector<TelemetryTopologyNode> topology;
  uint32_t hops_match = 0, hops_compared = 0;
  TelemetryRollout rollout;
};

/// The analysis of `r.telemetry` (present == false when the run had no telemetry).
TelemetryAnalysis analyse_telemetry(const Scenario& sc, const RunResult& r);

const char* alert_metric_name(core::AlertMetric m);
const char* telemetry_event_name(TelemetryEventKind k);

}  // namespace meshota::sim
