// Scenarios on the shared radio channel, end to end: painlessMesh's TCP tree
// over the radio (the baseline's twins) and meshota over raw ESP-NOW frames.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "meshota/sim/scenario/placement.hpp"
#include "meshota/sim/scenario/scenario_run.hpp"
#include "shipped.hpp"

namespace ms = meshota::sim;

namespace {

ms::ScenarioRun run_file(const std::string& name) {
  return ms::run_scenario(meshota::test::shipped(name));
}

ms::ScenarioRun run_text(const std::string& yaml) {
  return ms::run_scenario(ms::parse_scenario(yaml, std::string(MESHOTA_SOURCE_DIR) + "/scenarios/test.yaml"));
}

double airtime_s(const ms::RunResult& r) {
  double s = 0;
  for (const ms::NodeResult& n : r.nodes) s += static_cast<double>(n.radio.tx_airtime_ns) / 1e9;
  return s;
}

std::string espnow_fleet(uint32_t version, const char* strategy) {
  return std::string("seed: 3\n"
                     "topology: {kind: grid, nodes: 16, spacing_m: 40, root: 0}\n"
                     "medium:\n  kind: radio\n  espnow_version: ") +
         std::to_string(version) +
         "\n  radio: {propagation: log-distance, path_loss_exponent: 3.5}\n"
         "firmware: {file: ../data/firmware/hello_world_new.bin}\n"
         "ota: {protocol: meshota, strategy: " +
         strategy + ", compressed: true}\n";
}

}  // namespace

TEST_CASE("radio: painlessMesh's TCP tree over the shared channel updates every node, slower than on private links") {
  const ms::ScenarioRun radio = run_file("baseline-unicast-10-radio");
  const ms::ScenarioRun links = run_file("baseline-unicast-10");
  CAPTURE(radio.scenario.seed);
  REQUIRE(radio.result.on_radio);
  CHECK(radio.result.updated == radio.result.receivers);
  for (const ms::NodeResult& n : radio.result.nodes) CHECK(n.boot_slot_sha256 == radio.image.sha256);
  // Every byte of Data crossed the air at 1 Mbit/s at least once: 8 us of airtime per byte.
  const auto& data = radio.result.traffic[static_cast<size_t>(ms::TrafficClass::kData)];
  CHECK(airtime_s(radio.result) > static_cast<double>(data.link_bytes) * 8e-6);
  // One channel for all links: the same update takes longer than over private 1 Mbit/s links.
  CHECK(radio.analysis.last_updated_s > links.analysis.last_updated_s);
  uint64_t collisions = 0, acks = 0;
  for (const ms::NodeResult& n : radio.result.nodes) collisions += n.radio.collisions, acks += n.radio.ack_frames;
  CHECK(acks > 0);
  INFO("collisions " << collisions);
}

TEST_CASE("radio: the tree forms by RSSI, every station under an access point it hears") {
  const ms::ScenarioRun run = run_file("baseline-unicast-50-radio");
  const ms::RadioGraph g = ms::radio_graph(run.scenario.medium.radio, run.topology.positions, run.scenario.seed);
  uint32_t children_max = 0;
  for (uint32_t v = 0; v < run.topology.nodes; ++v) {
    if (v == run.topology.root) continue;
    const uint32_t ap = run.topology.parent[v];
    INFO("node " << v << " parent " << ap);
    const auto& heard = g.heard[v];
    CHECK(std::any_of(heard.begin(), heard.end(), [&](const ms::ApCandidate& c) { return c.ap == ap; }));
    children_max = std::max<uint32_t>(children_max,
                                      static_cast<uint32_t>(std::count(run.topology.parent.begin(), run.topology.parent.end(), ap)));
  }
  CHECK(children_max <= run.scenario.topology.max_children);
}

TEST_CASE("radio: a crashed node re-joins over the radio and still updates") {
  const ms::ScenarioRun run = run_file("baseline-unicast-10-bursty-radio");
  CAPTURE(run.scenario.seed);
  CHECK(run.result.nodes[3].crashes == 1);
  CHECK(run.result.nodes[3].updated);
  CHECK(run.result.updated == run.result.receivers);
}

TEST_CASE("radio: same scenario and seed give byte-identical reports") {
  const ms::ScenarioRun a = run_file("baseline-broadcast-10-relay-radio");
  const ms::ScenarioRun b = run_file("baseline-broadcast-10-relay-radio");
  CHECK(ms::report_json(a.report_input()).dump() == ms::report_json(b.report_input()).dump());
  CHECK(ms::report_markdown(a.report_input()) == ms::report_markdown(b.report_input()));
}

TEST_CASE("radio: meshota over raw ESP-NOW frames updates a grid fleet, v1 and v2, p2p and broadcast") {
  for (const char* strategy : {"p2p", "broadcast"}) {
    for (const uint32_t version : {1u, 2u}) {
      INFO(strategy << " ESP-NOW v" << version);
      const ms::ScenarioRun run = run_text(espnow_fleet(version, strategy));
      CAPTURE(run.scenario.seed);
      CHECK(run.result.updated == run.result.receivers);
      CHECK(run.result.ota_chunk_bytes <= (version == 1 ? 229u : 1449u));
      uint64_t frames = 0, air = 0;
      for (const ms::NodeResult& n : run.result.nodes) {
        frames += n.radio.tx_frames;
        air += static_cast<uint64_t>(n.radio.tx_airtime_ns);
        CHECK(n.boot_slot_sha256 == run.image.sha256);
      }
      CHECK(frames > run.result.ota_chunks);  // at least one copy of every chunk went on the air
      CHECK(air > 0);
    }
  }
}
