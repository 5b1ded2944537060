// What reports cost: bytes per snapshot and per delta under a synthetic
// dynamic like a real node's (free heap wandering slowly, RSSI noise +-3 dB,
// message counters climbing at Poisson rates), the bytes per node-hour at
// 30 s, and the same for the 2A JSON package. Fixed seeds, so the table in
// docs/telemetry.md can be regenerated: meshota_tests "[size]" -s.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <string>

#include "meshota/core/outbox.hpp"
#include "meshota/core/telemetry/codec/delta_encoder.hpp"
#include "meshota/core/telemetry/codec/enhanced_status.hpp"
#include "meshota/core/telemetry/codec/metrics_codec.hpp"
#include "meshota/core/transport.hpp"
#include "telemetry_test_util.hpp"

using namespace meshota::core;
using meshota::test::Bytes;
using meshota::test::Dynamics;
using meshota::test::SyntheticNode;

namespace {

constexpr int kNodes = 40;            // synthetic nodes (seeds) averaged per row

struct Cost {
  double snapshot_bytes = 0;    ///< average snapshot message
  double delta_bytes = 0;       ///< average delta message
  double hour_bytes = 0;        ///< telemetry message bytes per node-hour
  double hour_pm_bytes = 0;     ///< the same inside painlessMesh type-90 envelopes (base64)
  double json_hour_bytes = 0;   ///< the 2A JSON type-8 broadcast per node-hour
};

size_t pm_envelope_bytes(std::span<const uint8_t> message) {
  static Outbox out;
  out.clear();
  const MessageOut pm(Transport::kPainlessMesh, 3000000001u);
  REQUIRE(pm.send(out, 3000000002u, Routing::kSingle, message));
  return out.bytes(0).size();
}

Cost measure(const Dynamics& d, const DeltaConfig& c) {
  const int kReportsPerHour = static_cast<int>(3600 / d.interval_s);
  Cost cost;
  size_t snaps = 0, deltas = 0;
  double snap_sum = 0, delta_sum = 0, total = 0, pm_total = 0, json_total = 0;
  Bytes buf(kTelemetryMaxFrameBytes), json(2048);
  for (int node = 0; node < kNodes; ++node) {
    SyntheticNode n(d, 1000u + static_cast<uint32_t>(node));
    DeltaEncoder e(c);
    // One hour after a warm-up hour, so the first snapshot after boot does not count twice.
    for (int r = 0; r < 2 * kReportsPerHour; ++r) {
      const NodeMetrics& m = n.step();
      const size_t size = e.encode(m, static_cast<uint16_t>(d.interval_s), buf);
      REQUIRE(size > 0);
      if (r < kReportsPerHour) continue;
      (e.last_was_snapshot() ? snap_sum : delta_sum) += static_cast<double>(size);
      ++(e.last_was_snapshot() ? snaps : deltas);
      total += static_cast<double>(size);
      pm_total += static_cast<double>(pm_envelope_bytes(std::span<const uint8_t>(buf).first(size)));
      json_total += static_cast<double>(encode_enhanced_status_broadcast(make_enhanced_status(m, 3000000001u), json));
    }
  }
  cost.snapshot_bytes = snaps ? snap_sum / static_cast<double>(snaps) : 0;
  cost.delta_bytes = deltas ? delta_sum / static_cast<double>(deltas) : 0;
  cost.hour_bytes = total / kNodes;
  cost.hour_pm_bytes = pm_total / kNodes;
  cost.json_hour_bytes = json_total / kNodes;
  return cost;
}

void row(const char* name, const Cost& c) {
  std::printf("| %-44s | %5.1f | %5.2f | %6.0f | %6.0f | %6.0f |\n", name, c.snapshot_bytes, c.delta_bytes,
              c.hour_bytes, c.hour_pm_bytes, c.json_hour_bytes);
}

Dynamics field_set_2a() {
  Dynamics d;  // the parent link's RSSI only (2A's wifi), heap, counters
  d.neighbours = 1;
  d.snr = false;
  return d;
}

}  // namespace

TEST_CASE("telemetry sizes: bytes per report and per node-hour at 30 s", "[telemetry][size]") {
  std::printf("\n| dynamic (defaults unless said)                | snap B | delta B | B/h 2C | B/h 2C in pm | B/h 2A JSON |\n");
  std::printf("|---|---|---|---|---|---|\n");
  const DeltaConfig defaults;
  const Cost a = measure(field_set_2a(), defaults);
  row("2A field set: heap, parent RSSI +-3, counters", a);
  for (uint8_t db : {uint8_t{0}, uint8_t{3}, uint8_t{4}}) {
    DeltaConfig c;
    c.deadband.rssi_db = db;
    const std::string name = "  same, RSSI deadband " + std::to_string(db) + " dB";
    row(name.c_str(), measure(field_set_2a(), c));
  }
  for (uint32_t db : {uint32_t{0}, uint32_t{1024}}) {
    DeltaConfig c;
    c.deadband.heap_bytes = db;
    const std::string name = "  same, heap deadband " + std::to_string(db) + " B";
    row(name.c_str(), measure(field_set_2a(), c));
  }
  {
    DeltaConfig c;
    c.snapshot_every_reports = 10;
    row("  same, snapshot every 10th report", measure(field_set_2a(), c));
  }
  {
    Dynamics d = field_set_2a();
    d.rx_per_report = 0;
    d.tx_per_report = 0;
    d.drop_probability = 0;
    row("  same, steady counters (+1 report each)", measure(d, defaults));
  }
  for (uint32_t interval : {uint32_t{10}, uint32_t{60}}) {
    // The same node reporting more or less often: per-report changes scale with the interval.
    Dynamics d = field_set_2a();
    const double k = interval / 30.0;
    d.interval_s = interval;
    d.rx_per_report *= k;
    d.tx_per_report *= k;
    d.drop_probability *= k;
    d.heap_step_sd_bytes *= std::sqrt(k);
    const std::string name = "  same, a report every " + std::to_string(interval) + " s";
    row(name.c_str(), measure(d, defaults));
  }
  Dynamics tcp = field_set_2a();
  tcp.tcp_links = true;
  tcp.throughput = true;
  const Cost b = measure(tcp, defaults);
  row("+ parent loss, rtt, throughput (tcp-tree)", b);
  Dynamics radio;
  radio.neighbours = 8;
  const Cost r = measure(radio, defaults);
  row("radio: 8 neighbours, RSSI +-3 and SNR +-2", r);
  {
    DeltaConfig c;
    c.deadband.rssi_db = 4;
    c.deadband.snr_db = 3;
    row("  same, RSSI deadband 4 dB, SNR 3 dB", measure(radio, c));
  }
  std::printf("largest frames: snapshot %zu B, status response %zu B, 2A binary %zu B\n", kMaxSnapshotBytes,
              kMaxStatusResponseBytes, kMaxEnhancedStatusBytes);
  const double per_value = a.delta_bytes / 16.0;
  std::printf("2A field set: %.2f B per value per delta (16 keys); %.0f B per node-hour; target 1024\n", per_value,
              a.hour_bytes);
  // What this measures must stay what docs/telemetry.md says (regenerate the table if it moves).
  CHECK(a.hour_bytes < 1300);
  CHECK(a.json_hour_bytes > 20 * a.hour_bytes);
}
