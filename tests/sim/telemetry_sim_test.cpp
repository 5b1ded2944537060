// Telemetry end to end in the simulator (docs/telemetry.md, "In the simulator"):
// the injected events of the F10/F50-tree and F100-rgg telemetry scenarios are caught
// within the delay their detectors allow, nothing is raised before them, the
// offline alert comes within 15 s of the last frame at a 10 s interval, the
// root learns the real hop counts and dead links, the rollout moves the
// update fields, and a run is reproducible to the byte.

#include <catch2/catch.hpp>

#include <string>

#include "meshota/sim/report/report.hpp"
#include "meshota/sim/report/telemetry_analysis.hpp"
#include "meshota/sim/scenario/scenario_run.hpp"
#include "shipped.hpp"

namespace ms = meshota::sim;
using meshota::test::shipped;

TEST_CASE("telemetry sim: every injected event is caught in time, no false alarm", "[telemetry][sim]") {
  for (const char* name : {"telemetry-f10-tree", "telemetry-f50-tree"}) {
    const ms::ScenarioRun run = ms::run_scenario(shipped(name));
    const ms::TelemetryAnalysis a = ms::analyse_telemetry(run.scenario, run.result);
    INFO(name);
    REQUIRE(a.present);
    REQUIRE(a.events.size() == 4);
    for (const ms::TelemetryEventOutcome& e : a.events) {
      INFO(e.kind << " on node " << e.node << ": " << e.detector << " after " << e.delay_s << " s, bound " << e.bound_s);
      CHECK(e.detected_s >= e.at_s);
      CHECK(e.delay_s >= 0);
      CHECK(e.delay_s <= e.bound_s);
    }
    CHECK(a.events[0].detector == "low_heap");   // leak: the EWMA sees the drop before Holt's projection
    CHECK(a.events[1].detector == "parent_loss");
    CHECK(a.events[2].detector == "offline");
    CHECK(a.events[3].detector == "boot_loop");
    CHECK(a.false_before_events == 0);
    CHECK(a.false_alarms == 0);
    // The rollout in the same run: the update fields moved at the root.
    CHECK(a.rollout.present);
    CHECK(a.rollout.nodes_seen_downloading >= a.rollout.receivers - 2);  // the silent node never saw the offer
    CHECK(a.rollout.nodes_seen_confirmed >= 1);
    // Every report the nodes sent was classified and counted in bytes.
    CHECK(a.mean_delta_bytes > 5.0);
    CHECK(a.mean_snapshot_bytes > a.mean_delta_bytes);
    CHECK(a.json_2a_mean_bytes > 10 * a.mean_delta_bytes);
  }
}

TEST_CASE("telemetry sim: offline alert within 15 s of the last frame at a 10 s interval", "[telemetry][sim]") {
  ms::Scenario sc = shipped("telemetry-f10-tree");
  sc.telemetry.interval_s = 10;
  const ms::ScenarioRun run = ms::run_scenario(sc);
  const ms::TelemetryAnalysis a = ms::analyse_telemetry(run.scenario, run.result);
  bool seen = false;
  for (const ms::TelemetryEventOutcome& e : a.events) {
    if (e.kind != "silent") continue;
    seen = true;
    INFO("last frame " << e.last_frame_s << " s, alert " << e.detected_s << " s");
    REQUIRE(e.delay_after_last_frame_s > 0);
    CHECK(e.delay_after_last_frame_s <= 15.0 + 1e-6);
    CHECK(e.delay_after_last_frame_s >= 10.0);  // never sooner than painlessMesh's NODE_TIMEOUT
  }
  CHECK(seen);
}

TEST_CASE("telemetry sim: the root learns the real hop counts, and a dead link shows dead", "[telemetry][sim]") {
  ms::Scenario sc = shipped("telemetry-f10-tree");
  // Node 2 hangs below node 1 (seed 1's tree): silence it and look at node 1's reports.
  sc.telemetry.events.clear();
  ms::TelemetryEvent off;
  off.kind = ms::TelemetryEventKind::kSilent;
  off.node = 2;
  off.at_s = 900;
  sc.telemetry.events.push_back(off);
  const ms::ScenarioRun run = ms::run_scenario(sc);
  const ms::TelemetryAnalysis a = ms::analyse_telemetry(run.scenario, run.result);
  REQUIRE(a.hops_compared >= 9);
  CHECK(a.hops_match == a.hops_compared);
  int deepest = 0;
  for (const ms::TelemetryTopologyNode& n : a.topology) {
    INFO("node " << n.node);
    if (n.true_hops >= 0 && n.last_report_s >= 0) CHECK(n.reported_hops == n.true_hops);
    deepest = std::max(deepest, n.reported_hops);
  }
  CHECK(deepest == static_cast<int>(run.topology.max_depth));  // node 10 is three hops out and says 3
  const uint32_t id2 = run.result.nodes[2].id;
  bool live_before = false, dead_after = false;
  for (const ms::TelemetrySample& s : run.result.telemetry.samples) {
    if (s.node != 1) continue;
    for (size_t k = 0; k < s.metrics.neighbour_count; ++k) {
      const auto& l = s.metrics.neighbours[k];
      if (l.id != id2) continue;
      if (s.at_ns < 900 * ms::kNsPerS && !(l.flags & meshota::core::kLinkDead)) live_before = true;
      if (s.at_ns > 960 * ms::kNsPerS && (l.flags & meshota::core::kLinkDead)) dead_after = true;
    }
  }
  CHECK(live_before);
  CHECK(dead_after);
}

TEST_CASE("telemetry sim: same scenario and seed give the same report bytes", "[telemetry][sim]") {
  const ms::ScenarioRun a = ms::run_scenario(shipped("telemetry-f10-tree"));
  const ms::ScenarioRun b = ms::run_scenario(shipped("telemetry-f10-tree"));
  CHECK(ms::report_json(a.report_input()).dump() == ms::report_json(b.report_input()).dump());
  CHECK(ms::report_markdown(a.report_input()) == ms::report_markdown(b.report_input()));
  const std::string csv = ms::telemetry_csv(a.report_input());
  CHECK(csv == ms::telemetry_csv(b.report_input()));
  CHECK(csv.size() > 1000);
}

TEST_CASE("telemetry sim: on raw ESP-NOW (F100-rgg) events are caught and frames routed hop by hop", "[telemetry][sim]") {
  const ms::ScenarioRun run = ms::run_scenario(shipped("telemetry-f100-rgg"));
  const ms::TelemetryAnalysis a = ms::analyse_telemetry(run.scenario, run.result);
  REQUIRE(a.present);
  REQUIRE(a.events.size() == 4);
  for (const ms::TelemetryEventOutcome& e : a.events) {
    INFO(e.kind << " on node " << e.node << ": " << e.detector << " after " << e.delay_s << " s, bound " << e.bound_s);
    CHECK(e.delay_s >= 0);
    CHECK(e.delay_s <= e.bound_s);
  }
  CHECK(a.events[1].detector == "parent_loss");  // the MAC's retransmissions on the degraded radio link
  CHECK(a.false_before_events == 0);
  CHECK(a.false_alarms == 0);
  // Multi-hop: nodes up to the tree's depth reported, and said how far out they are.
  CHECK(a.hops_compared >= 95);
  CHECK(a.hops_match == a.hops_compared);
  uint64_t forwarded = 0;
  for (const ms::NodeResult& n : run.result.nodes) forwarded += n.frames_forwarded;
  CHECK(forwarded > a.samples);  // the mean node is ~4 hops out: most reports cross relays
  // RSSI and SNR come from the radio model, so the parent link carries them.
  bool rssi = false;
  for (const ms::TelemetrySample& smp : run.result.telemetry.samples)
    if (const auto* p = smp.metrics.parent_link(); p && p->rssi_dbm != meshota::core::kRssiUnmeasured) rssi = true;
  CHECK(rssi);
}
