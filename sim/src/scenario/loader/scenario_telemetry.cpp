// The `telemetry:` section of a scenario (docs/scenarios.md, "Telemetry").

#include "scenario_telemetry.hpp"

#include <array>
#include <string>

namespace meshota::sim::detail {
namespace {

constexpr std::array<std::string_view, 12> kTelemetryKeys = {
    "interval_s", "snapshot_every", "format", "fields", "heap_bytes", "heap_jitter_bytes",
    "connection_heap_bytes", "dead_link_keep_s", "detectors", "status", "events", "enabled"};
constexpr std::array<std::string_view, 11> kDetectorKeys = {
    "raise_after", "clear_after", "z", "loss_sigma_floor_pct", "leak_threshold_bytes", "leak_horizon_s",
    "boot_loop_boots", "boot_loop_window_s", "offline_floor_s", "offline_grace_s", "offline_missed"};
constexpr std::array<std::string_view, 2> kStatusKeys = {"every_s", "timeout_s"};
constexpr std::array<std::string_view, 8> kEventKeys = {"kind", "node", "at_s", "for_s", "bytes_per_s",
                                                        "loss", "period_s", "boots"};
// In enum order: read_choice's index is cast to the enum.
constexpr std::array<std::string_view, 3> kFormats = {"delta", "enhanced-json", "enhanced-binary"};
constexpr std::array<std::string_view, 2> kFields = {"2a", "full"};
constexpr std::array<std::string_view, 4> kEventKinds = {"leak", "silent", "link-degrade", "boot-loop"};

void read_positive(const Section& s, std::string_view key, double& v, const std::string& hint) {
  s.read(key, v);
  s.check(v > 0.0, key, "must be greater than 0 (got " + number_text(v) + "); " + hint);
}

void read_range(const Section& s, std::string_view key, uint32_t& v, uint32_t lo, uint32_t hi, const std::string& hint) {
  s.read(key, v);
  s.check(v >= lo && v <= hi, key,
          "must be " + std::to_string(lo) + " to " + std::to_string(hi) + " (got " + std::to_string(v) + "); " + hint);
}

void read_detectors(const Section& top, TelemetrySpec& t) {
  const Section s = top.child("detectors", kDetectorKeys);
  read_range(s, "raise_after", t.raise_after, 1, 10, "consecutive anomalous points before an alert, e.g. 3");
  read_range(s, "clear_after", t.clear_after, 1, 10, "consecutive normal points before it clears, e.g. 3");
  read_positive(s, "z", t.z_threshold, "the EWMA z-score that is anomalous, e.g. 4");
  read_positive(s, "loss_sigma_floor_pct", t.loss_sigma_floor_pct, "e.g. 5");
  read_positive(s, "leak_threshold_bytes", t.leak_threshold_bytes, "the seeds' low-memory level is 10240");
  read_positive(s, "leak_horizon_s", t.leak_horizon_s, "alarm when the threshold is projected within this, e.g. 3600");
  read_range(s, "boot_loop_boots", t.boot_loop_boots, 1, 255, "ESPHome's safe mode uses 10");
  read_positive(s, "boot_loop_window_s", t.boot_loop_window_s, "uptime that makes a boot good, ESPHome uses 60");
  read_positive(s, "offline_floor_s", t.offline_floor_s, "painlessMesh's NODE_TIMEOUT is 10");
  s.read("offline_grace_s", t.offline_grace_s);
  s.check(t.offline_grace_s >= 0.0, "offline_grace_s", "must not be negative, e.g. 5");
  read_range(s, "offline_missed", t.offline_missed, 1, 10, "reports that may go missing before offline, e.g. 1");
}

void read_event(const Section& s, const Scenario& sc, TelemetryEvent& e) {
  e.pos = s.pos();
  s.require("kind", "kind: leak");
  s.require("node", "node: 3");
  s.require("at_s", "at_s: 600");
  e.kind = static_cast<TelemetryEventKind>(s.read_choice("kind", kEventKinds));
  const std::string kind(kEventKinds[static_cast<size_t>(e.kind)]);
  s.only_when(e.kind == TelemetryEventKind::kLeak, "bytes_per_s", "kind: leak");
  s.only_when(e.kind == TelemetryEventKind::kSilent, "for_s", "kind: silent");
  s.only_when(e.kind == TelemetryEventKind::kLinkDegrade, "loss", "kind: link-degrade");
  s.only_when(e.kind == TelemetryEventKind::kBootLoop, "period_s", "kind: boot-loop");
  s.only_when(e.kind == TelemetryEventKind::kBootLoop, "boots", "kind: boot-loop");
  s.read("node", e.node);
  s.check(e.node < sc.topology.nodes, "node",
          "is " + std::to_string(e.node) + " but the mesh has " + std::to_string(sc.topology.nodes) +
              " node(s), numbered 0.." + std::to_string(sc.topology.nodes - 1));
  s.check(sc.topology.root_at_center || e.node != sc.topology.root, "node",
          "is the root, which hosts the collector; inject " + kind + " into another node");
  s.read("at_s", e.at_s);
  s.check(e.at_s >= 0.0 && e.at_s < sc.duration_s, "at_s",
          "is " + number_text(e.at_s) + " s, outside the run [0, duration_s = " + number_text(sc.duration_s) +
              " s); move it into the run");
  if (e.kind == TelemetryEventKind::kLeak) {
    s.require("bytes_per_s", "bytes_per_s: 20");
    read_positive(s, "bytes_per_s", e.bytes_per_s, "heap lost per second, e.g. 20");
  }
  s.read("for_s", e.for_s);
  s.check(e.for_s >= 0.0, "for_s", "must not be negative (0 = silent for the rest of the run)");
  if (e.kind == TelemetryEventKind::kLinkDegrade) {
    s.require("loss", "loss: 0.4");
    s.read_probability("loss", e.loss);
    s.check(e.loss > 0.0 && e.loss < 1.0, "loss", "must be above 0 and below 1 (segment loss), e.g. 0.4");
  }
  s.read("period_s", e.period_s);
  s.check(e.period_s > sc.node.boot_s, "period_s",
          "must be longer than nodes.boot_s (" + number_text(sc.node.boot_s) + " s): a node resets once it runs");
  read_range(s, "boots", e.boots, 1, 1000, "resets in the loop, e.g. 12");
}

void read_events(const Section& t, const Scenario& sc, TelemetrySpec& spec) {
  const std::vector<YAML::Node> items = t.list("events");
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].IsNull())
      t.fail("events", "item " + std::to_string(i) + " is empty; write it as '- {kind: leak, node: 3, at_s: 600, "
                                                     "bytes_per_s: 20}'");
    const Section s(sc.path, items[i], "telemetry.events[" + std::to_string(i) + "]", kEventKeys, items[i].Mark());
    TelemetryEvent e;
    read_event(s, sc, e);
    spec.events.push_back(e);
  }
}

}  // namespace

void read_telemetry(const Section& top, Scenario& sc) {
  if (!top.has("telemetry")) return;
  const Section s = top.child("telemetry", kTelemetryKeys);
  TelemetrySpec& t = sc.telemetry;
  t.pos = s.pos();
  t.enabled = true;
  s.read("enabled", t.enabled);
  if (sc.medium.kind == MediumKind::kTcpTree && sc.medium.channel != Channel::kLinks)
    s.fail_at(top.mark("telemetry"),
              "telemetry runs on painlessMesh's tree over links (medium kind: tcp-tree) or on raw ESP-NOW (kind: "
              "radio); painlessMesh over the shared radio (channel: radio) does not measure its links yet");
  read_positive(s, "interval_s", t.interval_s, "seconds between reports, the seeds use 30");
  s.check(t.interval_s >= 1.0 && t.interval_s <= 3600.0, "interval_s", "must be 1 to 3600 s (the wire carries whole "
                                                                          "seconds), e.g. 30");
  read_range(s, "snapshot_every", t.snapshot_every, 0, 65535, "full snapshot every N reports, 0 = only on request");
  if (const int f = s.read_choice("format", kFormats); f >= 0) t.format = static_cast<TelemetryFormat>(f);
  if (const int f = s.read_choice("fields", kFields); f >= 0) t.fields = static_cast<TelemetryFields>(f);
  s.read("heap_bytes", t.heap_bytes);
  s.check(t.heap_bytes >= 16384, "heap_bytes", "must be at least 16384 (an ESP32 running painlessMesh has ~180000)");
  s.read("heap_jitter_bytes", t.heap_jitter_bytes);
  s.check(t.heap_jitter_bytes < t.heap_bytes / 4, "heap_jitter_bytes", "must be below a quarter of heap_bytes");
  s.read("connection_heap_bytes", t.connection_heap_bytes);
  s.read("dead_link_keep_s", t.dead_link_keep_s);
  s.check(t.dead_link_keep_s >= 0.0, "dead_link_keep_s", "must not be negative, e.g. 120");
  read_detectors(s, t);
  const Section st = s.child("status", kStatusKeys);
  st.read("every_s", t.status_every_s);
  st.check(t.status_every_s >= 0.0, "every_s", "must not be negative (0 = no status aggregations)");
  read_positive(st, "timeout_s", t.status_timeout_s, "the seeds say 5-10 s");
  read_events(s, sc, t);
}

}  // namespace meshota::sim::detail
