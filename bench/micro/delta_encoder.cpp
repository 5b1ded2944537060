// Telemetry report by exception (core/telemetry/codec/delta_encoder.hpp): one
// DeltaEncoder::encode per 30 s report of a node whose heap drifts, RSSI
// jitters and counters climb, mostly DELTAs with a SNAPSHOT every 120.
// Reports per second, and the mean frame size (report_bytes).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "micro/micro.hpp"
#include "meshota/core/telemetry/codec/delta_encoder.hpp"
#include "meshota/core/telemetry/codec/metrics_codec.hpp"
#include "meshota/sim/engine/rng_stream.hpp"

namespace {

using namespace meshota::core;

/// `count` consecutive 30 s samples of a plausible ESP32 node with two neighbours.
std::vector<NodeMetrics> samples(size_t count) {
  meshota::sim::RngStream rng(7);
  NodeMetrics m;
  m.boot_count = 3;
  m.reset_reason = ResetReason::kSoftware;
  m.free_heap_bytes = 43210;
  m.min_free_heap_bytes = 39876;
  m.parent_id = 2222222222u;
  m.hop_count = 2;
  m.throughput_bps = 512;
  m.known_nodes = 12;
  m.direct_links = 2;
  m.fw_version.assign("1.2.3");
  m.neighbour_count = 2;
  m.neighbours[0] = NeighbourLink{2222222222u, -64, kSnrUnmeasured, 1, 0, 45};
  m.neighbours[1] = NeighbourLink{3333333333u, -71, kSnrUnmeasured, 0, 0, 38};
  std::vector<NodeMetrics> out(count);
  for (NodeMetrics& s : out) {
    m.uptime_s += 30;
    m.msgs_sent += static_cast<uint32_t>(rng.below(40));
    m.msgs_received += static_cast<uint32_t>(rng.below(40));
    m.free_heap_bytes = 43210 - static_cast<uint32_t>(rng.below(1024));
    m.min_free_heap_bytes = std::min(m.min_free_heap_bytes, m.free_heap_bytes);
    m.queue_depth = static_cast<uint16_t>(rng.below(4));
    m.airtime_permille = static_cast<uint16_t>(10 + rng.below(30));
    m.neighbours[0].rssi_dbm = static_cast<int8_t>(-64 - static_cast<int>(rng.below(5)));
    m.neighbours[1].rssi_dbm = static_cast<int8_t>(-71 - static_cast<int>(rng.below(5)));
    s = m;
  }
  return out;
}

void BM_delta_encode(benchmark::State& state) {
  const std::vector<NodeMetrics> reports = samples(1024);
  DeltaEncoder encoder{DeltaConfig{}};
  std::array<uint8_t, kMaxSnapshotBytes> frame{};
  size_t i = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    const size_t n = encoder.encode(reports[i++ & 1023], 30, frame);
    if (n == 0) state.SkipWithError("encode refused the report");
    bytes += n;
    benchmark::DoNotOptimize(frame.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["report_bytes"] = static_cast<double>(bytes) / static_cast<double>(state.iterations());
}

}  // namespace

namespace meshota::bench {

void register_delta_encoder() {
  benchmark::RegisterBenchmark("telemetry/delta_encode", BM_delta_encode);
}

}  // namespace meshota::bench
