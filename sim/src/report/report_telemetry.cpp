// The telemetry sections of a report: bytes per node-hour by message type
// beside the seeds' 2A JSON, each injected event's detection, alerts per
// detector, status-service latency, the rollout as the update fields told
// it, the topology as data, and a CSV row per report the root applied.

#include "report_telemetry.hpp"

#include <cmath>
#include <fmt/format.h>

#include "meshota/sim/report/telemetry_analysis.hpp"

namespace meshota::sim::detail {
namespace {

using J = nlohmann::ordered_json;

double r1(double v) { return std::round(v * 10.0) / 10.0; }
double r3(double v) { return std::round(v * 1e3) / 1e3; }
J opt(double v) { return v < 0 ? J() : J(r3(v)); }
std::string opt_text(double v) { return v < 0 ? "never" : fmt::format("{:.1f}", v); }

J events_json(const TelemetryAnalysis& a) {
  J ev = J::array();
  for (const TelemetryEventOutcome& o : a.events)
    ev.push_back({{"kind", o.kind}, {"node", o.node}, {"at_s", r3(o.at_s)}, {"detector", o.detector},
                  {"detected_s", opt(o.detected_s)}, {"delay_s", opt(o.delay_s)}, {"bound_s", opt(o.bound_s)},
                  {"last_frame_s", opt(o.last_frame_s)}, {"delay_after_last_frame_s", opt(o.delay_after_last_frame_s)}});
  return ev;
}

J topology_json(const TelemetryAnalysis& a) {
  J nodes = J::array(), edges = J::array();
  for (const TelemetryTopologyNode& n : a.topology) {
    nodes.push_back({{"node", n.node}, {"id", n.id}, {"parent_id", n.parent_id},
                     {"hops", n.reported_hops < 0 ? J() : J(n.reported_hops)},
                     {"true_hops", n.true_hops < 0 ? J() : J(n.true_hops)}, {"last_report_s", opt(n.last_report_s)},
                     {"update_state", n.update_state}, {"free_heap_bytes", n.free_heap_bytes}});
    for (const TelemetryTopologyNode::Link& l : n.links)
      edges.push_back({{"source", n.id}, {"target", l.id}, {"tree", l.id == n.parent_id}, {"dead", l.dead},
                       {"loss_pct", l.loss_pct < 0 ? J() : J(l.loss_pct)}, {"rtt_ms", l.rtt_ms < 0 ? J() : J(l.rtt_ms)}});
  }
  return {{"hops_compared", a.hops_compared}, {"hops_match", a.hops_match}, {"nodes", nodes}, {"edges", edges}};
}

}  // namespace

J telemetry_json(const ReportInput& in) {
  const TelemetryAnalysis a = analyse_telemetry(in.scenario, in.result);
  const TelemetrySpec& t = in.scenario.telemetry;
  J j;
  j["interval_s"] = t.interval_s;
  j["format"] = t.format == TelemetryFormat::kDelta ? "delta"
                : t.format == TelemetryFormat::kEnhancedJson ? "enhanced-json" : "enhanced-binary";
  j["fields"] = t.fields == TelemetryFields::kFull ? "full" : "2a";
  j["node_hours"] = r3(a.node_hours);
  j["reports_applied"] = a.samples;
  J types = J::array();
  for (const TelemetryTypeRow& row : a.types)
    types.push_back({{"type", row.name}, {"messages", row.messages}, {"mean_bytes", r1(row.mean_payload_bytes)},
                     {"bytes_per_node_hour", r1(row.payload_per_node_hour)},
                     {"wire_bytes_per_node_hour", r1(row.wire_per_node_hour)}});
  j["bytes"] = {{"by_type", types},
                {"reports_per_node_hour", r1(a.report_payload_per_node_hour)},
                {"reports_wire_per_node_hour", r1(a.report_wire_per_node_hour)},
                {"all_per_node_hour", r1(a.all_payload_per_node_hour)},
                {"all_wire_per_node_hour", r1(a.all_wire_per_node_hour)},
                {"link_bytes_per_node_hour", r1(a.link_bytes_per_node_hour)},
                {"mean_snapshot_bytes", r1(a.mean_snapshot_bytes)},
                {"mean_delta_bytes", r1(a.mean_delta_bytes)},
                {"json_2a_mean_bytes", r1(a.json_2a_mean_bytes)},
                {"json_2a_per_node_hour", r1(a.json_2a_per_node_hour)}};
  j["report_latency_s"] = {{"mean", r3(a.report_latency_mean_s)}, {"p99", r3(a.report_latency_p99_s)},
                           {"max", r3(a.report_latency_max_s)}, {"mean_gap_between_reports", r3(a.report_gap_mean_s)}};
  j["events"] = events_json(a);
  J det = J::array();
  for (const TelemetryDetectorRow& d : a.detectors)
    det.push_back({{"detector", d.metric}, {"raised", d.raised}, {"caught_events", d.caught_events},
                   {"explained_by_event", d.explained}, {"during_rollout", d.rollout}, {"false_alarms", d.false_alarms},
                   {"false_alarms_before_events", d.false_before_events}});
  j["detectors"] = det;
  j["false_alarms"] = a.false_alarms;
  j["false_alarms_before_events"] = a.false_before_events;
  J fa = J::array();
  for (const TelemetryAlert& al : a.false_alarm_list)
    fa.push_back({{"node", al.node}, {"detector", alert_metric_name(al.alert.metric)},
                  {"at_s", r3(static_cast<double>(al.alert.at.us) / 1e6)}, {"value", r3(al.alert.value)},
                  {"threshold", r3(al.alert.threshold)}});
  j["false_alarm_list"] = fa;
  j["status_service"] = {{"aggregations", a.status.aggregations}, {"partial", a.status.partial},
                         {"mean_latency_s", r3(a.status.mean_latency_s)}, {"max_latency_s", r3(a.status.max_latency_s)},
                         {"complete", a.status.complete}, {"complete_mean_latency_s", r3(a.status.complete_mean_latency_s)},
                         {"mean_answered_pct", r1(a.status.mean_answered_pct)}, {"max_silent_nodes", a.status.max_silent}};
  J runs = J::array();
  for (const TelemetryAggregation& g : in.result.telemetry.aggregations)
    runs.push_back({{"start_s", r3(static_cast<double>(g.started_ns) / 1e9)},
                    {"latency_s", g.finished_ns < 0 ? J() : J(r3(static_cast<double>(g.finished_ns - g.started_ns) / 1e9))},
                    {"targets", g.targets}, {"answered", g.answered}, {"silent_nodes", g.silent}});
  j["status_service"]["runs"] = runs;
  j["rollout"] = {{"present", a.rollout.present}, {"start_s", r3(a.rollout.start_s)},
                  {"window_end_s", r3(a.rollout.window_end_s)}, {"receivers", a.rollout.receivers},
                  {"nodes_seen_downloading", a.rollout.nodes_seen_downloading},
                  {"nodes_seen_confirmed", a.rollout.nodes_seen_confirmed}};
  const core::CollectorStats& c = in.result.telemetry.collector;
  j["collector"] = {{"frames", c.frames}, {"bad_frames", c.bad_frames}, {"snapshots", c.snapshots},
                    {"deltas", c.deltas}, {"not_applied", c.not_applied}, {"snapshot_requests", c.snapshot_requests},
                    {"status_requests", c.status_requests}, {"status_responses", c.status_responses}};
  j["topology"] = topology_json(a);
  j["model"] = "free heap is a model (heap_bytes minus connections, queued messages, meshota's OTA RAM and the "
               "injected leak, plus uniform allocator noise); every other field is read from the simulation";
  return j;
}

std::string telemetry_markdown(const ReportInput& in) {
  const TelemetryAnalysis a = analyse_telemetry(in.scenario, in.result);
  const TelemetrySpec& t = in.scenario.telemetry;
  std::string md = fmt::format(
      "## Telemetry\n\nEvery node but the root reports every {:.0f} s; {} reports applied at the root over {:.2f} "
      "node-hours. Free heap is a model (heap_bytes minus connections, queued messages, OTA RAM and the injected "
      "leak, plus allocator noise); every other field is read from the simulation.\n\n",
      t.interval_s, a.samples, a.node_hours);
  md += "| message type | messages | mean B | B per node-hour | wire B per node-hour |\n|---|---:|---:|---:|---:|\n";
  for (const TelemetryTypeRow& row : a.types)
    md += fmt::format("| {} | {} | {:.1f} | {:.1f} | {:.1f} |\n", row.name, row.messages, row.mean_payload_bytes,
                      row.payload_per_node_hour, row.wire_per_node_hour);
  md += fmt::format("| **reports** | | | **{:.1f}** | {:.1f} |\n| all telemetry | | | {:.1f} | {:.1f} (every hop: {:.1f}) |\n",
                    a.report_payload_per_node_hour, a.report_wire_per_node_hour, a.all_payload_per_node_hour,
                    a.all_wire_per_node_hour, a.link_bytes_per_node_hour);
  md += fmt::format("| the seeds' 2A JSON broadcast for the same states | | {:.1f} | {:.1f} | |\n\n",
                    a.json_2a_mean_bytes, a.json_2a_per_node_hour);
  md += fmt::format("A report reaches the root {:.3f} s after the node sends it on average (p99 {:.3f} s, max {:.3f} s); "
                    "consecutive reports of a node arrive {:.1f} s apart on average.\n\n",
                    a.report_latency_mean_s, a.report_latency_p99_s, a.report_latency_max_s, a.report_gap_mean_s);
  md += "### Injected events\n\n| event | node | at s | caught by | detected s | delay s | bound s |\n"
        "|---|---:|---:|---|---:|---:|---:|\n";
  for (const TelemetryEventOutcome& o : a.events) {
    md += fmt::format("| {} | {} | {:.0f} | {} | {} | {} | {} |\n", o.kind, o.node, o.at_s,
                      o.detector.empty() ? "**not caught**" : o.detector, opt_text(o.detected_s), opt_text(o.delay_s),
                      o.bound_s < 0 ? "undetectable" : fmt::format("{:.0f}", o.bound_s));
    if (o.delay_after_last_frame_s >= 0)
      md += fmt::format("|  (after the last frame at {:.1f} s) | | | | | {:.1f} | |\n", o.last_frame_s,
                        o.delay_after_last_frame_s);
  }
  md += fmt::format("\n### Alerts per detector\n\nFalse alarms: **{}** ({} before the first event). An alert on an "
                    "event's node after it began is the event; one inside the rollout window on an updating node is "
                    "the rollout.\n\n| detector | raised | caught an event | same event | rollout | false |\n"
                    "|---|---:|---:|---:|---:|---:|\n",
                    a.false_alarms, a.false_before_events);
  for (const TelemetryDetectorRow& d : a.detectors)
    if (d.raised > 0)
      md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", d.metric, d.raised, d.caught_events, d.explained,
                        d.rollout, d.false_alarms);
  md += fmt::format("\n### Status service (2B) at the root\n\n{} whole-mesh aggregations: latency mean {:.2f} s, max "
                    "{:.2f} s; {:.1f} % of targets answered on average; {} partial (at most {} silent nodes named); "
                    "the {} that every node answered took {:.2f} s on average.\n\n",
                    a.status.aggregations, a.status.mean_latency_s, a.status.max_latency_s, a.status.mean_answered_pct,
                    a.status.partial, a.status.max_silent, a.status.complete, a.status.complete_mean_latency_s);
  if (a.rollout.present)
    md += fmt::format("### Rollout\n\nOffered at {:.0f} s: the root saw {} of {} receivers downloading and {} "
                      "confirmed on the new image (window for alerts until {:.0f} s).\n\n",
                      a.rollout.start_s, a.rollout.nodes_seen_downloading, a.rollout.receivers,
                      a.rollout.nodes_seen_confirmed, a.rollout.window_end_s);
  md += fmt::format("### Topology as the root sees it\n\nReported hop counts match the simulated tree for {} of {} "
                    "nodes the root still hears (the full graph is `telemetry.topology` in report.json).\n\n",
                    a.hops_match, a.hops_compared);
  return md;
}

}  // namespace meshota::sim::detail

namespace meshota::sim {

std::string telemetry_csv(const ReportInput& in) {
  std::string csv =
      "t_s,node,id,snapshot,uptime_s,boot_count,reset_reason,free_heap_bytes,min_free_heap_bytes,msgs_sent,"
      "msgs_received,msgs_dropped,parent_id,hop_count,queue_depth,throughput_bps,known_nodes,direct_links,"
      "update_state,update_progress_permille,fw_version,parent_loss_pct,parent_rtt_ms,dead_links\n";
  for (const TelemetrySample& s : in.result.telemetry.samples) {
    const core::NodeMetrics& m = s.metrics;
    const core::NeighbourLink* p = m.parent_link();
    int dead = 0;
    for (size_t k = 0; k < m.neighbour_count; ++k) dead += (m.neighbours[k].flags & core::kLinkDead) ? 1 : 0;
    csv += fmt::format("{:.3f},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                       static_cast<double>(s.at_ns) / 1e9, s.node, in.result.nodes[s.node].id, s.snapshot ? 1 : 0,
                       m.uptime_s, m.boot_count, static_cast<int>(m.reset_reason), m.free_heap_bytes,
                       m.min_free_heap_bytes, m.msgs_sent, m.msgs_received, m.msgs_dropped, m.parent_id,
                       m.hop_count == core::kHopsUnknown ? std::string() : std::to_string(m.hop_count), m.queue_depth,
                       m.throughput_bps == core::kThroughputUnmeasured ? std::string() : std::to_string(m.throughput_bps),
                       m.known_nodes, m.direct_links, static_cast<int>(m.update_state), m.update_progress_permille,
                       m.fw_version.view(),
                       p && p->loss_pct != core::kLossUnmeasured ? std::to_string(p->loss_pct) : std::string(),
                       p && p->rtt_ms != core::kRttUnmeasured ? std::to_string(p->rtt_ms) : std::string(), dead);
  }
  return csv;
}

}  // namespace meshota::sim
