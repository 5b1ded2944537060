// The flood-radio benchmark: determinism, work per frame independent of N,
// and the output line.

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include "meshota/sim/bench/flood_radio.hpp"
#include "run_meshota.hpp"

using namespace meshota::sim;

namespace {

/// Every counted field of a run; the wall-clock fields (setup_s, run_s, cpu_s,
/// frames_per_cpu_s, max_rss_kb) are left out.
auto counters(const FloodRadioResult& r) {
  const FloodResult& f = r.flood;
  return std::make_tuple(f.nodes, f.edges, f.pkts, f.deliveries, f.duplicates, f.tx_frames, f.sum_lat_ns,
                         f.max_lat_s, f.sim_end_s, f.events, f.lost_frames, f.queue_drops, r.collisions, r.busy_drops,
                         r.extra_losses, r.receiver_visits, r.busy_fraction);
}

}  // namespace

TEST_CASE("flood-radio: the same seed gives the same run, another seed another", "[radio]") {
  FloodRadioParams p;
  p.nodes = 100;
  p.packets = 30;
  const FloodRadioResult a = run_flood_radio(p, 7), b = run_flood_radio(p, 7), c = run_flood_radio(p, 8);
  INFO(format_flood_radio_line(a));
  INFO(format_flood_radio_line(c));
  CHECK(counters(a) == counters(b));
  CHECK(counters(a) != counters(c));
  CHECK(a.flood.sum_lat_ns != c.flood.sum_lat_ns);
  CHECK(a.collisions + a.busy_drops > 0);
}

TEST_CASE("flood-radio: receiver visits per frame do not grow with N", "[radio]") {
  // Fixed density: every node hears its 4 grid neighbours, fewer on the edge.
  double per_frame[2] = {0, 0}, per_degree[2] = {0, 0};
  const uint32_t sizes[2] = {100, 10'000};
  for (int i = 0; i < 2; ++i) {
    FloodRadioParams p;
    p.nodes = sizes[i];
    p.packets = sizes[i] == 100 ? 40 : 3;
    const uint64_t seed = 21;
    CAPTURE(p.nodes, seed);
    const FloodRadioResult r = run_flood_radio(p, seed);
    INFO(format_flood_radio_line(r));
    REQUIRE(r.flood.tx_frames > 100);
    per_frame[i] = static_cast<double>(r.receiver_visits) / static_cast<double>(r.flood.tx_frames);
    // Every node sends about once per packet, so frames weigh nodes evenly: visits per
    // frame is the mean degree, 2 E / N (3.6 at N = 100, 3.96 at N = 10,000).
    per_degree[i] = per_frame[i] / (2.0 * r.flood.edges / r.flood.nodes);
    CHECK(per_frame[i] <= 4.0);
  }
  INFO("visits per frame: " << per_frame[0] << " at N = 100, " << per_frame[1] << " at N = 10,000");
  CHECK(per_frame[1] == Approx(per_frame[0]).epsilon(0.12));    // the edge nodes' share is the difference
  CHECK(per_degree[0] == Approx(1.0).epsilon(0.03));
  CHECK(per_degree[1] == Approx(1.0).epsilon(0.03));
}

TEST_CASE("flood-radio: two nodes, no loss: every packet crosses in one frame time", "[radio]") {
  FloodRadioParams p;
  p.nodes = 2;
  p.packets = 20;
  p.loss = 0.0;
  const FloodRadioResult r = run_flood_radio(p, 3);
  CHECK(r.flood.edges == 1);
  CHECK(r.flood.deliveries == 20);
  CHECK(r.flood.delivery_ratio == 1.0);
  CHECK(r.flood.duplicates == 20);  // node 1's rebroadcast comes back to the source
  CHECK(r.flood.tx_frames == 40);
  CHECK(r.collisions == 0);
  // DIFS + backoff (<= 31 slots) + 8,672 µs + 167 ns of propagation.
  CHECK(r.flood.max_lat_s >= 0.008672 + 50e-6);
  CHECK(r.flood.max_lat_s <= 0.008672 + 670e-6 + 1e-6);
}

TEST_CASE("flood-radio: the line has flood.md's keys, then collisions and busy_drops", "[radio]") {
  FloodRadioParams p;
  p.nodes = 9;
  p.packets = 3;
  const std::string line = format_flood_radio_line(run_flood_radio(p, 1));
  INFO(line);
  CHECK(line.rfind("nodes=9 edges=12 pkts=3 loss=0.1 deliveries=", 0) == 0);
  const size_t rss = line.find(" max_rss_kb=");
  REQUIRE(rss != std::string::npos);
  CHECK(line.find(" collisions=", rss) != std::string::npos);
  CHECK(line.find(" busy_drops=", rss) != std::string::npos);
}

TEST_CASE("cli: bench flood --medium radio, and --topo / --nodes mixed up", "[radio]") {
  using meshota::test::run_meshota;
  const auto ok = run_meshota("bench flood --medium radio --nodes 16 --packets 2 --seed 3");
  CHECK(ok.code == 0);
  CHECK_THAT(ok.output, Catch::StartsWith("nodes=16 edges=24 pkts=2 loss=0.1 "));
  CHECK_THAT(ok.output, Catch::Contains(" busy_drops="));
  const std::string topo = std::string(MESHOTA_DATA_DIR) + "/topologies/tree_500.txt";
  const auto mixed = run_meshota("bench flood --medium radio --nodes 16 --topo " + topo);
  CHECK(mixed.code != 0);
  CHECK_THAT(mixed.output, Catch::Contains("--topo") && Catch::Contains("--medium tree"));
  const auto nodes_on_tree = run_meshota("bench flood --topo " + topo + " --nodes 16");
  CHECK(nodes_on_tree.code != 0);
  CHECK_THAT(nodes_on_tree.output, Catch::Contains("--nodes") && Catch::Contains("--medium radio"));
  const auto no_nodes = run_meshota("bench flood --medium radio");
  CHECK(no_nodes.code != 0);
  CHECK_THAT(no_nodes.output, Catch::Contains("--nodes"));
  const auto no_topo = run_meshota("bench flood");
  CHECK(no_topo.code != 0);
  CHECK_THAT(no_topo.output, Catch::Contains("--topo"));
}
