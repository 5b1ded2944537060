// painlessMesh's surroundings of the OTA protocol: node sync and its
// NODE_TIMEOUT, time sync, scheduler passes and the sender presets.

#include <catch2/catch.hpp>

#include "meshota/sim/scenario/scenario_run.hpp"

namespace ms = meshota::sim;

namespace {

ms::ScenarioRun run_yaml(const std::string& yaml) {
  return ms::run_scenario(ms::parse_scenario(yaml, std::string(MESHOTA_SOURCE_DIR) + "/scenarios/test.yaml"));
}

const ms::TypeTraffic& traffic(const ms::ScenarioRun& r, ms::TrafficClass c) {
  return r.result.traffic[static_cast<size_t>(c)];
}

// A mesh that never starts an update (the root sends a broadcasted offer), so
// only painlessMesh's own traffic moves: 5 nodes on a chain, 10 minutes.
const std::string kIdle = R"(
seed: 3
duration_s: 600
topology: {kind: grid, rows: 1, cols: 5}
firmware: {size_bytes: 4096}
ota: {sender: 0, broadcasted: true}
)";

}  // namespace

TEST_CASE("pm: every link syncs its layout about once a minute and time every minute after the first") {
  const ms::ScenarioRun r = run_yaml(kIdle);
  const uint64_t links = 4;
  // One request and one reply per link per minute (the side whose timer fires
  // first; an unchanged sync delays the other side's), plus the first wave.
  const auto& sync = traffic(r, ms::TrafficClass::kNodeSync);
  CAPTURE(sync.app_sends);
  CHECK(sync.app_sends >= links * 2 * 9);
  CHECK(sync.app_sends <= links * 2 * 14);
  // Each end requests time every 60 s once synced, and is answered.
  const auto& time = traffic(r, ms::TrafficClass::kTimeSync);
  CAPTURE(time.app_sends);
  CHECK(time.app_sends >= links * 4 * 9);
  CHECK(time.app_sends <= links * 4 * 12);
  CHECK(r.result.link_drops == 0);
}

TEST_CASE("pm: node sync and time sync can be switched off") {
  const ms::ScenarioRun r = run_yaml(kIdle + "mesh: {node_sync: false, time_sync: false}\n");
  CHECK(traffic(r, ms::TrafficClass::kNodeSync).app_sends == 0);
  CHECK(traffic(r, ms::TrafficClass::kTimeSync).app_sends == 0);
}

TEST_CASE("pm: a link whose queue holds more than NODE_TIMEOUT of data is closed by its node sync") {
  // Every node says Hello every 1-5 s to everyone; at 0.5 kbit/s the links fall
  // behind, node sync requests wait behind the backlog and time out.
  const std::string slow = kIdle + "medium: {kind: tcp-tree, bandwidth_kbps: 0.5}\nmesh: {hello: true}\n";
  const ms::ScenarioRun r = run_yaml(slow);
  CHECK(traffic(r, ms::TrafficClass::kUser).app_sends > 100);
  CHECK(r.result.link_drops > 0);
  // The same traffic on 1 Mbit/s links keeps every link.
  const ms::ScenarioRun fast = run_yaml(kIdle + "mesh: {hello: true}\n");
  CHECK(fast.result.link_drops == 0);
  CHECK(traffic(fast, ms::TrafficClass::kUser).app_sends > 100);
}

TEST_CASE("pm: the stock sender example reads one DataRequest per second per link") {
  const std::string base = R"(
seed: 1
topology: {kind: grid, rows: 1, cols: 3}
firmware: {size_bytes: 40960}
ota: {sender: 0}
)";
  const ms::ScenarioRun serviced = run_yaml(base);
  const ms::ScenarioRun stock = run_yaml(base + "mesh: {sender_preset: stock-example}\n");
  REQUIRE(serviced.result.updated == 2);
  REQUIRE(stock.result.updated == 2);
  // 40 chunks per node. Each request is read on a 1 s pass and its 1.5 KB Data
  // takes two passes to write: about 2 s a chunk on the sender's one link.
  CAPTURE(serviced.analysis.mean_chunk_ms, stock.analysis.mean_chunk_ms);
  CHECK(serviced.analysis.mean_chunk_ms < 100.0);
  CHECK(stock.analysis.mean_chunk_ms > 1000.0);
  CHECK(stock.analysis.mean_chunk_ms < 4000.0);
}
