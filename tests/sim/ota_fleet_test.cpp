// meshota's strategies on the F10-tree fleet (shared/bench/ota-fleet.md), end to
// end: every receiver boots the image, with and without loss, with and without
// compression, a node that is down during the rollout catches up, and a run is
// reproducible to the byte.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "meshota/core/ota/wire.hpp"
#include "meshota/sim/scenario/scenario_run.hpp"
#include "shipped.hpp"

namespace ms = meshota::sim;
using meshota::test::shipped;

namespace {

void check_all_updated(const ms::ScenarioRun& run) {
  CAPTURE(run.scenario.name, run.scenario.seed);
  REQUIRE(run.result.receivers == 10);
  CHECK(run.result.updated == run.result.receivers);
  for (const ms::NodeResult& n : run.result.nodes) {
    INFO("node " << n.index);
    CHECK(n.boot_slot_sha256 == run.image.sha256);
  }
  CHECK(run.analysis.ota.present);
  CHECK(run.analysis.ota.completion_over_lb >= 1.0);  // nothing beats the lower bound
}

/// Fleet `name` with `strategy` and, when `loss` > 0, that share of Bernoulli loss: of TCP segments on
/// painlessMesh's tree, of received frames on the radio.
ms::Scenario with_strategy(const std::string& name, ms::Strategy strategy, double loss) {
  ms::Scenario sc = shipped(name);
  sc.ota.strategy = strategy;
  if (loss > 0) {
    ms::LossSpec& l = sc.medium.kind == ms::MediumKind::kRadio ? sc.medium.radio.rx_loss : sc.medium.loss;
    l = ms::LossSpec{};
    l.kind = ms::LossKind::kBernoulli;
    l.p = loss;
  }
  return sc;
}

/// The report's 99 % time is the nearest rank of the receivers' own times, and its last node ran it last.
void check_p99(const ms::ScenarioRun& run) {
  std::vector<double> times;
  for (const ms::NodeResult& n : run.result.nodes)
    if (n.is_receiver && n.updated_at_ns >= 0) times.push_back(static_cast<double>(n.updated_at_ns - run.result.offer_ns) / 1e9);
  std::sort(times.begin(), times.end());
  const size_t rank = (99 * static_cast<size_t>(run.result.receivers) + 99) / 100;
  REQUIRE(times.size() >= rank);
  CHECK(run.analysis.p99_updated_s == Approx(times[rank - 1]));
  CHECK(run.analysis.p99_updated_s <= run.analysis.last_updated_s);
  REQUIRE(run.analysis.last_updated_node >= 0);
  const ms::NodeResult& last = run.result.nodes[static_cast<size_t>(run.analysis.last_updated_node)];
  CHECK(static_cast<double>(last.updated_at_ns - run.result.offer_ns) / 1e9 == Approx(times.back()));
}

/// Every receiver updated, none left on neither image, and nothing faster than the lower bound.
void check_strategy_run(const ms::ScenarioRun& run) {
  CHECK(run.result.updated == run.result.receivers);
  CHECK(run.result.safety.on_neither == 0);
  CHECK(run.analysis.ota.completion_over_lb >= 1.0);
  check_p99(run);
}

}  // namespace

TEST_CASE("ota fleet: every strategy updates F10-tree, at 0 % and 10 % segment loss") {
  for (const char* name : {"fleet-f10-tree", "fleet-f10-tree-broadcast", "fleet-f10-tree-unicast"}) {
    for (const double loss : {0.0, 0.1}) {
      ms::Scenario sc = shipped(name);
      if (loss > 0) {
        sc.medium.loss.kind = ms::LossKind::kBernoulli;
        sc.medium.loss.p = loss;
      }
      INFO(name << " loss " << loss);
      check_all_updated(ms::run_scenario(sc));
    }
  }
}

TEST_CASE("ota fleet: every strategy updates F50-tree and F100-rgg, at 0 % and 10 % loss") {
  // F50-tree: painlessMesh's TCP tree (10 % segment loss); F100-rgg: raw ESP-NOW (10 % receiver loss).
  for (const char* name : {"fleet-f50-tree", "fleet-f100-rgg"})
    for (const ms::Strategy strategy : {ms::Strategy::kP2p, ms::Strategy::kBroadcast, ms::Strategy::kUnicast})
      for (const double loss : {0.0, 0.1}) {
        const ms::Scenario sc = with_strategy(name, strategy, loss);
        // Unicast fetches end to end from the source: it needs painlessMesh's routing, and the loader
        // refuses it on raw ESP-NOW (docs/scenarios.md).
        if (strategy == ms::Strategy::kUnicast && sc.medium.kind == ms::MediumKind::kRadio) continue;
        INFO(name << " strategy " << static_cast<int>(strategy) << " loss " << loss << " seed " << sc.seed);
        check_strategy_run(ms::run_scenario(sc));
      }
}

TEST_CASE("ota fleet: peer-to-peer and broadcast update F500-grid and F500-rgg, at 0 % and 10 % loss") {
  // The 500-node radio fleets of ota-fleet.md (unicast needs painlessMesh's routing); F10k-rgg below.
  for (const char* name : {"fleet-f500-grid", "fleet-f500-rgg"})
    for (const ms::Strategy strategy : {ms::Strategy::kP2p, ms::Strategy::kBroadcast})
      for (const double loss : {0.0, 0.1}) {
        const ms::Scenario sc = with_strategy(name, strategy, loss);
        INFO(name << " strategy " << static_cast<int>(strategy) << " loss " << loss << " seed " << sc.seed);
        const ms::ScenarioRun run = ms::run_scenario(sc);
        CHECK(run.result.receivers == 499);
        check_strategy_run(run);
      }
}

TEST_CASE("ota fleet: on F500-rgg at 10 % loss a node at the edge of range fetches in pieces, and the fleet finishes sooner") {
  // F500-rgg at 10 % loss, seed 3: node 53 hears its four neighbours at -97.4 to -98.0 dBm, at the ESP32's
  // -98 dBm sensitivity. A full chunk frame reaches it about 15 % of the time, an ESP-NOW v1-sized piece
  // about 67 % (docs/ota-protocol.md).
  ms::Scenario sc = shipped("fleet-f500-rgg-loss10");
  sc.seed = 3;
  sc.ota.piece_below = 0.0;  // never in pieces
  const ms::ScenarioRun whole = ms::run_scenario(sc);
  sc.ota.piece_below = 0.5;  // the default
  const ms::ScenarioRun pieces = ms::run_scenario(sc);
  check_strategy_run(whole);
  check_strategy_run(pieces);
  CHECK(whole.analysis.ota.pieces_sent == 0);
  CHECK(whole.analysis.ota.piece_requests == 0);
  const ms::NodeResult& edge_whole = whole.result.nodes[53];
  const ms::NodeResult& edge = pieces.result.nodes[53];
  CHECK(edge.ota.piece_requests_sent > 0);
  CHECK(pieces.analysis.ota.pieces_sent > 0);
  CHECK(edge.ota.written_at < edge_whole.ota.written_at);
  CHECK(pieces.analysis.last_updated_s < whole.analysis.last_updated_s);
  // A node asks for pieces only once pages in a row lost most of a round of full frames: whole chunks
  // still carry nearly all the data, and most requests are for them (4 % and 6 % here).
  CHECK(pieces.analysis.ota.piece_askers > 0);
  uint64_t requests = 0;
  for (const ms::NodeResult& n : pieces.result.nodes) requests += n.ota.requests_sent;
  CHECK(pieces.analysis.ota.piece_requests * 4 < requests);
  CHECK(pieces.analysis.ota.pieces_sent * meshota::core::wire::kPieceBytes * 4 < pieces.analysis.ota.data_link_bytes);
}

// F10k-rgg: 10,000 nodes, two to three minutes a run, so one test case per run for ctest to spread
// them; left out of the ASan pass like the other radio fleets.
static void check_f10k(ms::Strategy strategy, double loss) {
  const ms::Scenario sc = with_strategy("fleet-f10k-rgg", strategy, loss);
  INFO("fleet-f10k-rgg strategy " << static_cast<int>(strategy) << " loss " << loss << " seed " << sc.seed);
  const ms::ScenarioRun run = ms::run_scenario(sc);
  CHECK(run.result.receivers == 9999);
  check_strategy_run(run);
}

TEST_CASE("ota fleet: peer-to-peer updates F10k-rgg at 0 % loss") { check_f10k(ms::Strategy::kP2p, 0.0); }
TEST_CASE("ota fleet: peer-to-peer updates F10k-rgg at 10 % loss") { check_f10k(ms::Strategy::kP2p, 0.1); }
TEST_CASE("ota fleet: broadcast updates F10k-rgg at 0 % loss") { check_f10k(ms::Strategy::kBroadcast, 0.0); }
TEST_CASE("ota fleet: broadcast updates F10k-rgg at 10 % loss") { check_f10k(ms::Strategy::kBroadcast, 0.1); }

TEST_CASE("ota fleet: a run that cannot finish says why each receiver did not update") {
  ms::Scenario sc = shipped("fleet-f100-rgg");
  sc.duration_s = 60;  // cut short mid-transfer: pages are still arriving
  const ms::ScenarioRun cut = ms::run_scenario(sc);
  REQUIRE(cut.result.updated == 0);
  REQUIRE(cut.analysis.stalls.size() == 1);
  CHECK(cut.analysis.stalls[0].reason == "in-progress");
  CHECK(cut.analysis.stalls[0].nodes.size() == cut.result.receivers);

  // The source goes down for good at 20 s: nobody holds the pages it had not sent yet.
  uint32_t source = 0;
  for (const ms::NodeResult& n : cut.result.nodes)
    if (n.is_sender) source = n.index;
  sc.duration_s = 200;
  sc.faults.push_back(ms::FaultSpec{ms::FaultKind::kCrash, 20.0, source, 0, 1000.0, {}});
  const ms::ScenarioRun dead = ms::run_scenario(sc);
  REQUIRE(dead.analysis.stalls.size() == 1);
  const ms::StallGroup& g = dead.analysis.stalls[0];
  CHECK(g.reason == "stuck");
  CHECK(g.nodes.size() == dead.result.receivers);
  CHECK(g.explanation.find("of the " + std::to_string(dead.result.ota_pages) + " pages") != std::string::npos);
  for (const uint32_t i : g.nodes) CHECK(dead.result.nodes[i].pages_held < dead.result.ota_pages);
}

TEST_CASE("ota fleet: uncompressed transfer updates F10-tree too, and sends more bytes") {
  ms::Scenario sc = shipped("fleet-f10-tree");
  const ms::ScenarioRun compressed = ms::run_scenario(sc);
  sc.ota.compressed = false;
  const ms::ScenarioRun raw = ms::run_scenario(sc);
  check_all_updated(raw);
  CHECK(raw.result.ota_transfer_bytes > compressed.result.ota_transfer_bytes);
  CHECK(compressed.analysis.ota.ratio < 0.8);  // https_server.bin deflates to about 67 %
}

TEST_CASE("ota fleet: a node down during the rollout catches up after it boots") {
  for (const char* name : {"fleet-f10-tree", "fleet-f10-tree-unicast"}) {
    ms::Scenario sc = shipped(name);
    ms::FaultSpec f;
    f.kind = ms::FaultKind::kCrash;
    f.at_s = 5;
    f.node = 4;
    f.for_s = 30;
    sc.faults.push_back(f);
    const ms::ScenarioRun run = ms::run_scenario(sc);
    INFO(name);
    check_all_updated(run);
    CHECK(run.result.nodes[4].crashes == 1);
    CHECK(run.result.nodes[4].updated_at_ns > static_cast<int64_t>(35e9));  // after it came back
  }
}

TEST_CASE("ota fleet: the same fleet and seed give byte-identical reports") {
  const ms::ScenarioRun a = ms::run_scenario(shipped("fleet-f10-tree-broadcast"));
  const ms::ScenarioRun b = ms::run_scenario(shipped("fleet-f10-tree-broadcast"));
  CHECK(ms::report_json(a.report_input()).dump() == ms::report_json(b.report_input()).dump());
}

TEST_CASE("ota fleet: broadcast on F50-tree at 10 % loss updates every node with about one copy per tree link") {
  // ota-fleet.md's target: no stall, and chunk frames on the links <= 1.3 x one copy per tree link.
  ms::Scenario sc = shipped("fleet-f50-tree");
  sc.ota.strategy = ms::Strategy::kBroadcast;
  sc.medium.loss.kind = ms::LossKind::kBernoulli;
  sc.medium.loss.p = 0.1;
  const ms::ScenarioRun run = ms::run_scenario(sc);
  CAPTURE(run.scenario.seed);
  CHECK(run.result.updated == run.result.receivers);
  CHECK(run.analysis.ota.copies_per_link >= 1.0);  // every tree link carries the image at least once
  CHECK(run.analysis.ota.copies_per_link <= 1.3);
}

TEST_CASE("ota fleet: without loss a tree relay never restarts while its subtree still needs chunks") {
  // A relay restarts only after reboot_delay of quiet (no chunk or request heard or served), so the
  // broadcast's flood is not cut at a relay and nothing needs repair.
  const ms::ScenarioRun run = ms::run_scenario(shipped("fleet-f10-tree-broadcast"));
  check_all_updated(run);
  const ms::TypeTraffic& chunks = run.result.traffic[static_cast<size_t>(ms::TrafficClass::kOtaChunk)];
  CHECK(chunks.lost == 0);
  CHECK(run.result.traffic[static_cast<size_t>(ms::TrafficClass::kOtaRequest)].app_sends == 0);
  CHECK(run.analysis.ota.copies_per_link == Approx(1.0));
}

TEST_CASE("ota fleet: a node that loses power mid-transfer resumes without fetching its completed pages again") {
  ms::Scenario sc = shipped("fleet-f10-tree");
  ms::FaultSpec f;
  f.kind = ms::FaultKind::kCrash;
  f.at_s = 15;  // about halfway through its transfer
  f.node = 4;
  f.for_s = 5;
  sc.faults.push_back(f);
  const ms::ScenarioRun run = ms::run_scenario(sc);
  check_all_updated(run);
  const ms::NodeResult& n = run.result.nodes[4];
  CHECK(n.crashes == 1);
  CHECK(n.image.writer_resumed_at > 0);  // the persisted progress said where to go on
  // Pages held before the cut are not fetched again: at most the page being assembled is lost.
  CHECK(n.image.chunks_useful < run.result.ota_chunks + 64);
}

TEST_CASE("ota fleet: F100-rgg's report counts the chunk frames that served nobody, and link loss adds to those lost where wanted") {
  const ms::ScenarioRun clean = ms::run_scenario(with_strategy("fleet-f100-rgg", ms::Strategy::kP2p, 0.0));
  const ms::ScenarioRun lossy = ms::run_scenario(with_strategy("fleet-f100-rgg", ms::Strategy::kP2p, 0.3));
  for (const ms::ScenarioRun* run : {&clean, &lossy}) {
    CAPTURE(run->scenario.medium.radio.rx_loss.p, run->scenario.seed);
    const ms::OtaAnalysis& a = run->analysis.ota;
    const ms::TypeTraffic& chunks = run->result.traffic[static_cast<size_t>(ms::TrafficClass::kOtaChunk)];
    CHECK(run->result.updated == run->result.receivers);
    // Whole chunk frames only (pieces are the rest of the chunk traffic), every one of them ended.
    CHECK(a.whole_chunk_frames + a.pieces_sent == chunks.link_tx);
    CHECK(a.frames_new_to_none < a.whole_chunk_frames);
    CHECK(a.frames_lost_where_wanted <= a.frames_new_to_none);
    // Each frame that served somebody gave at least one useful reception.
    CHECK(a.whole_chunk_frames - a.frames_new_to_none <= a.chunks_useful);
  }
  // 30 % receiver loss on every link: more frames are lost at a node that wanted them.
  CHECK(lossy.analysis.ota.frames_lost_where_wanted > clean.analysis.ota.frames_lost_where_wanted);
  CHECK(lossy.analysis.ota.frames_new_to_none > clean.analysis.ota.frames_new_to_none);
}
