#include "meshota/sim/report/telemetry_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "meshota/sim/telemetry/telemetry_host.hpp"

namespace meshota::sim {
namespace {

using core::AlertMetric;

double secs(SimTime ns) { return static_cast<double>(ns) / kNsPerS; }

constexpr std::array<const char*, kTelemetryTypeSlots> kTypeNames = {
    "other", "snapshot", "delta", "snapshot_request", "status_request", "status_response", "enhanced_binary",
    "enhanced_json"};

bool is_report_type(size_t t) { return t == 1 || t == 2 || t == 6 || t == 7; }

std::vector<AlertMetric> catchers(TelemetryEventKind k) {
  switch (k) {
    case TelemetryEventKind::kLeak: return {AlertMetric::kHeapLeak, AlertMetric::kLowHeap};
    case TelemetryEventKind::kSilent: return {AlertMetric::kOffline};
    case TelemetryEventKind::kLinkDegrade:
      return {AlertMetric::kParentLoss, AlertMetric::kOffline, AlertMetric::kDropRate, AlertMetric::kQueueDepth};
    case TelemetryEventKind::kBootLoop: return {AlertMetric::kBootLoop};
  }
  return {};
}

// Standard deviation of the node's free heap in its reports before `before_s` (what the EWMA learnt).
double heap_sigma(const RunResult& r, uint32_t node, double before_s) {
  double n = 0, sum = 0, sq = 0;
  for (const TelemetrySample& s : r.telemetry.samples) {
    if (s.node != node || secs(s.at_ns) >= before_s) continue;
    const double x = s.metrics.free_heap_bytes;
    n += 1;
    sum += x;
    sq += x * x;
  }
  return n > 1 ? std::sqrt(std::max(0.0, (sq - sum * sum / n) / (n - 1))) : 0.0;
}

// The delay the detectors' parameters allow for an event (docs/telemetry.md, "In the simulator").
double bound_s(const TelemetrySpec& t, const TelemetryEvent& e, double heap_sigma_bytes) {
  const double k = t.raise_after;
  switch (e.kind) {
    case TelemetryEventKind::kLeak:  // low-heap EWMA: z sigma (floor 512 B) plus the jitter, then k reports
      return (t.z_threshold * std::max(512.0, heap_sigma_bytes) + 2.0 * t.heap_jitter_bytes) / e.bytes_per_s +
             (k + 1) * t.interval_s;
    case TelemetryEventKind::kSilent:  // the offline timeout after the last frame, which came <= 1 interval before
      return std::max(t.offline_floor_s, t.offline_missed * t.interval_s + t.offline_grace_s) + t.interval_s + 1.0;
    case TelemetryEventKind::kLinkDegrade: {
      // The node's fading loss estimate must climb past z x sigma floor (from ~0 %), then k reports.
      const double threshold = t.z_threshold * t.loss_sigma_floor_pct / (100.0 * e.loss);
      if (threshold >= 1.0) return -1;  // below what the detector can see
      // Doubled: a leaf's estimate rests on 2-3 segments per report, so k lossy reports in a row take luck.
      return 2.0 * (std::ceil(std::log(1.0 - threshold) / std::log(kLossMemory)) + k + 1) * t.interval_s;
    }
    case TelemetryEventKind::kBootLoop:  // ESPHome: N bad boots, seen at the next boot's first report
      return (t.boot_loop_boots + 1) * e.period_s + t.interval_s;
  }
  return 0;
}

void analyse_bytes(const Scenario& sc, const RunResult& r, TelemetryAnalysis& a) {
  const TelemetryResult& t = r.telemetry;
  const double nh = a.node_hours > 0 ? a.node_hours : 1;
  for (size_t k = 1; k < kTelemetryTypeSlots; ++k) {
    const TelemetryTypeBytes& b = t.by_type[k];
    if (b.messages == 0) continue;
    TelemetryTypeRow row;
    row.name = kTypeNames[k];
    row.messages = b.messages;
    row.mean_payload_bytes = static_cast<double>(b.payload_bytes) / static_cast<double>(b.messages);
    row.payload_per_node_hour = static_cast<double>(b.payload_bytes) / nh;
    row.wire_per_node_hour = static_cast<double>(b.wire_bytes) / nh;
    a.types.push_back(row);
    a.all_payload_per_node_hour += row.payload_per_node_hour;
    a.all_wire_per_node_hour += row.wire_per_node_hour;
    if (is_report_type(k)) {
      a.report_payload_per_node_hour += row.payload_per_node_hour;
      a.report_wire_per_node_hour += row.wire_per_node_hour;
    }
    if (k == 1) a.mean_snapshot_bytes = row.mean_payload_bytes;
    if (k == 2) a.mean_delta_bytes = row.mean_payload_bytes;
  }
  a.link_bytes_per_node_hour =
      static_cast<double>(r.traffic[static_cast<size_t>(TrafficClass::kTelemetry)].link_bytes) / nh;
  if (t.json_2a_reports > 0) {
    a.json_2a_mean_bytes = static_cast<double>(t.json_2a_bytes) / static_cast<double>(t.json_2a_reports);
    a.json_2a_per_node_hour = a.json_2a_mean_bytes * 3600.0 / sc.telemetry.interval_s;
  }
}

void analyse_latency(const RunResult& r, TelemetryAnalysis& a) {
  std::vector<float> l = r.telemetry.report_latency_s;
  if (!l.empty()) {
    double sum = 0;
    for (float x : l) sum += x;
    a.report_latency_mean_s = sum / static_cast<double>(l.size());
    std::sort(l.begin(), l.end());
    a.report_latency_p99_s = l[static_cast<size_t>(0.99 * static_cast<double>(l.size() - 1))];
    a.report_latency_max_s = l.back();
  }
  std::vector<SimTime> last(r.nodes.size(), -1);
  double gaps = 0;
  uint64_t n = 0;
  for (const TelemetrySample& s : r.telemetry.samples) {
    if (last[s.node] >= 0) {
      gaps += secs(s.at_ns - last[s.node]);
      ++n;
    }
    last[s.node] = s.at_ns;
  }
  a.report_gap_mean_s = n ? gaps / static_cast<double>(n) : 0;
}

void analyse_rollout(const Scenario& sc, const RunResult& r, TelemetryAnalysis& a) {
  TelemetryRollout& ro = a.rollout;
  std::vector<char> down(r.nodes.size(), 0), conf(r.nodes.size(), 0);
  SimTime last_confirmed = -1;
  for (const TelemetrySample& s : r.telemetry.samples) {
    const core::UpdateState st = s.metrics.update_state;
    if (st == core::UpdateState::kDownloading || st == core::UpdateState::kPendingReboot) down[s.node] = 1;
    if (st == core::UpdateState::kConfirmed && !conf[s.node]) {
      conf[s.node] = 1;
      last_confirmed = std::max(last_confirmed, s.at_ns);
    }
  }
  for (size_t i = 0; i < down.size(); ++i) {
    ro.nodes_seen_downloading += down[i];
    ro.nodes_seen_confirmed += conf[i];
  }
  ro.present = ro.nodes_seen_downloading > 0;
  ro.start_s = sc.ota.start_s;
  ro.receivers = r.receivers;
  // Alerts until every update was seen confirmed (plus three reports) belong to the rollout.
  const bool all = ro.nodes_seen_confirmed >= r.receivers;
  ro.window_end_s = all ? secs(last_confirmed) + 3 * sc.telemetry.interval_s : secs(r.end_ns);
}

void analyse_events(const Scenario& sc, const RunResult& r, TelemetryAnalysis& a) {
  const TelemetrySpec& t = sc.telemetry;
  const std::vector<TelemetryAlert>& alerts = r.telemetry.alerts;
  std::vector<char> used(alerts.size(), 0);  // 1: an event's first catch, 2: explained by an event or the rollout
  double first_event_s = secs(r.end_ns) + 1;
  for (const TelemetryEventRun& run : r.telemetry.events) {
    const TelemetryEvent& e = t.events[run.spec_index];
    TelemetryEventOutcome o;
    o.index = run.spec_index;
    o.kind = telemetry_event_name(e.kind);
    o.node = e.node;
    o.at_s = e.at_s;
    o.bound_s = bound_s(t, e, e.kind == TelemetryEventKind::kLeak ? heap_sigma(r, e.node, e.at_s) : 0.0);
    first_event_s = std::min(first_event_s, e.at_s);
    const std::vector<AlertMetric> want = catchers(e.kind);
    for (size_t k = 0; k < alerts.size(); ++k) {
      const TelemetryAlert& al = alerts[k];
      const double at = static_cast<double>(al.alert.at.us) / 1e6;
      if (!al.alert.raised || al.node != e.node || at < e.at_s) continue;
      if (o.detected_s < 0 && std::find(want.begin(), want.end(), al.alert.metric) != want.end()) {
        o.detected_s = at;
        o.delay_s = at - e.at_s;
        o.detector = alert_metric_name(al.alert.metric);
        used[k] = 1;
      } else if (used[k] == 0) {
        used[k] = 2;
      }
    }
    if (e.kind == TelemetryEventKind::kSilent) {
      for (const TelemetrySample& s : r.telemetry.samples)
        if (s.node == e.node && secs(s.at_ns) <= e.at_s) o.last_frame_s = secs(s.at_ns);
      if (o.detected_s >= 0 && o.last_frame_s >= 0) o.delay_after_last_frame_s = o.detected_s - o.last_frame_s;
    }
    a.events.push_back(o);
  }
  for (uint8_t m = 0; m < core::kAlertMetricCount; ++m) {
    TelemetryDetectorRow row;
    row.metric = alert_metric_name(static_cast<AlertMetric>(m));
    for (size_t k = 0; k < alerts.size(); ++k) {
      const TelemetryAlert& al = alerts[k];
      if (!al.alert.raised || static_cast<uint8_t>(al.alert.metric) != m) continue;
      const double at = static_cast<double>(al.alert.at.us) / 1e6;
      ++row.raised;
      const bool in_rollout = a.rollout.present && at >= a.rollout.start_s && at <= a.rollout.window_end_s &&
                              al.node != sc.ota.sender;
      if (used[k] == 1) ++row.caught_events;
      else if (used[k] == 2) ++row.explained;
      else if (in_rollout) ++row.rollout;
      else {
        ++row.false_alarms;
        a.false_alarm_list.push_back(al);
        if (at < first_event_s) ++row.false_before_events;
      }
    }
    a.false_alarms += row.false_alarms;
    a.false_before_events += row.false_before_events;
    a.detectors.push_back(row);
  }
}

void analyse_status(const RunResult& r, TelemetryAnalysis& a) {
  TelemetryStatusSummary& s = a.status;
  double sum = 0, answered = 0;
  for (const TelemetryAggregation& g : r.telemetry.aggregations) {
    if (g.finished_ns < 0) continue;
    ++s.aggregations;
    const double lat = secs(g.finished_ns - g.started_ns);
    sum += lat;
    s.max_latency_s = std::max(s.max_latency_s, lat);
    s.partial += g.partial ? 1 : 0;
    if (!g.partial) {
      ++s.complete;
      s.complete_mean_latency_s += lat;
    }
    answered += g.targets ? 100.0 * g.answered / g.targets : 100.0;
    s.max_silent = std::max<uint32_t>(s.max_silent, static_cast<uint32_t>(g.silent.size()));
  }
  if (s.aggregations > 0) {
    s.mean_latency_s = sum / s.aggregations;
    s.mean_answered_pct = answered / s.aggregations;
  }
  if (s.complete > 0) s.complete_mean_latency_s /= s.complete;
}

void analyse_topology(const RunResult& r, TelemetryAnalysis& a) {
  const TelemetryResult& t = r.telemetry;
  std::vector<const TelemetrySample*> last(r.nodes.size(), nullptr);
  for (const TelemetrySample& s : t.samples) last[s.node] = &s;
  for (uint32_t i = 0; i < r.nodes.size(); ++i) {
    TelemetryTopologyNode n;
    n.node = i;
    n.id = r.nodes[i].id;
    n.true_hops = i < t.true_hops.size() ? t.true_hops[i] : -1;
    if (i == t.root) n.reported_hops = 0;
    if (const TelemetrySample* s = last[i]) {
      const core::NodeMetrics& m = s->metrics;
      n.parent_id = m.parent_id;
      n.reported_hops = m.hop_count == core::kHopsUnknown ? -1 : m.hop_count;
      n.last_report_s = secs(s->at_ns);
      n.update_state = static_cast<uint8_t>(m.update_state);
      n.free_heap_bytes = m.free_heap_bytes;
      for (size_t k = 0; k < m.neighbour_count; ++k) {
        const core::NeighbourLink& l = m.neighbours[k];
        n.links.push_back({l.id, (l.flags & core::kLinkDead) != 0,
                           l.loss_pct == core::kLossUnmeasured ? -1 : l.loss_pct,
                           l.rtt_ms == core::kRttUnmeasured ? -1 : l.rtt_ms});
      }
    }
    // A node the root still hears is compared with where the simulation has it.
    if (n.true_hops >= 0 && (last[i] != nullptr || i == t.root)) {
      ++a.hops_compared;
      a.hops_match += n.reported_hops == n.true_hops ? 1 : 0;
    }
    a.topology.push_back(std::move(n));
  }
}

}  // namespace

const char* alert_metric_name(core::AlertMetric m) {
  switch (m) {
    case AlertMetric::kLowHeap: return "low_heap";
    case AlertMetric::kHeapLeak: return "heap_leak";
    case AlertMetric::kParentRssi: return "parent_rssi";
    case AlertMetric::kDropRate: return "drop_rate";
    case AlertMetric::kQueueDepth: return "queue_depth";
    case AlertMetric::kBootLoop: return "boot_loop";
    case AlertMetric::kOffline: return "offline";
    case AlertMetric::kUpdateFailed: return "update_failed";
    case AlertMetric::kParentLoss: return "parent_loss";
  }
  return "?";
}

const char* telemetry_event_name(TelemetryEventKind k) {
  switch (k) {
    case TelemetryEventKind::kLeak: return "leak";
    case TelemetryEventKind::kSilent: return "silent";
    case TelemetryEventKind::kLinkDegrade: return "link-degrade";
    case TelemetryEventKind::kBootLoop: return "boot-loop";
  }
  return "?";
}

TelemetryAnalysis analyse_telemetry(const Scenario& sc, const RunResult& r) {
  TelemetryAnalysis a;
  if (!r.telemetry.enabled) return a;
  a.present = true;
  a.samples = r.telemetry.samples.size();
  const double nodes = r.nodes.empty() ? 0 : static_cast<double>(r.nodes.size() - 1);  // the root does not report
  a.node_hours = nodes * secs(r.end_ns) / 3600.0;
  analyse_bytes(sc, r, a);
  analyse_latency(r, a);
  analyse_rollout(sc, r, a);
  analyse_events(sc, r, a);
  analyse_status(r, a);
  analyse_topology(r, a);
  return a;
}

}  // namespace meshota::sim
