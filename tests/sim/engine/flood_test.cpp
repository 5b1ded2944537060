// The flood benchmark engine against exact small cases and the analytic
// answer on a tree, plus the edge-list parser's error reporting.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <string>
#include <vector>

#include "meshota/sim/scenario/edge_list.hpp"
#include "meshota/sim/bench/flood_bench.hpp"
#include "meshota/sim/scenario/input_error.hpp"

using namespace meshota::sim;

namespace {

std::string topology(const std::string& name) {
  return std::string(MESHOTA_DATA_DIR) + "/topologies/" + name;
}

/// Hop counts from `source` by breadth-first search, independent of the engine's CSR.
std::vector<int> bfs_depths(const EdgeList& g, uint32_t source) {
  std::vector<std::vector<uint32_t>> adj(g.nodes);
  for (const auto& [u, v] : g.edges) {
    adj[u].push_back(v);
    adj[v].push_back(u);
  }
  std::vector<int> depth(g.nodes, -1);
  std::deque<uint32_t> frontier{source};
  depth[source] = 0;
  while (!frontier.empty()) {
    const uint32_t u = frontier.front();
    frontier.pop_front();
    for (uint32_t v : adj[u])
      if (depth[v] < 0) {
        depth[v] = depth[u] + 1;
        frontier.push_back(v);
      }
  }
  return depth;
}

/// The InputError message parse_edge_list gives for `text`, or "" if it parses.
std::string parse_error(const std::string& text) {
  try {
    parse_edge_list(text, "bad.txt");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

constexpr double kHopS = 0.010208;  // 8.208 ms serialisation + 2 ms propagation

}  // namespace

TEST_CASE("flood: one lossless hop takes exactly 10.208 ms", "[flood]") {
  const EdgeList g = parse_edge_list("# nodes 2 edges 1\n0 1\n", "pair");
  FloodParams p;
  p.loss = 0.0;
  p.packets = 3;
  const FloodResult r = run_flood(g, p, 1);
  CHECK(r.deliveries == 3);
  CHECK(r.delivery_ratio == 1.0);
  CHECK(r.tx_frames == 3);
  CHECK(r.duplicates == 0);
  CHECK(r.sum_lat_ns == 3 * 10'208'000);
  CHECK(r.max_lat_s == Approx(kHopS).epsilon(1e-12));
  CHECK(r.sim_end_s == Approx(1.0 + 2 * 0.05 + kHopS).epsilon(1e-12));
}

TEST_CASE("flood: a lossless triangle forwards once per other link", "[flood]") {
  const EdgeList g = parse_edge_list("# nodes 3 edges 3\n0 1\n1 2\n2 0\n", "triangle");
  FloodParams p;
  p.loss = 0.0;
  p.packets = 1;
  const FloodResult r = run_flood(g, p, 1);
  CHECK(r.deliveries == 2);
  CHECK(r.tx_frames == 4);   // 2 from the source, 1 from each receiver
  CHECK(r.duplicates == 2);  // 1 and 2 hear each other's copy
}

TEST_CASE("flood: the drop-tail queue holds queue_frames waiting frames", "[flood]") {
  const EdgeList g = parse_edge_list("# nodes 2 edges 1\n0 1\n", "pair");
  FloodParams p;
  p.loss = 0.0;
  p.packets = 10;
  p.packet_interval_ns = 0;  // all at once: one on the wire, 3 waiting, 6 refused
  p.queue_frames = 3;
  const FloodResult r = run_flood(g, p, 1);
  CHECK(r.tx_frames == 4);
  CHECK(r.queue_drops == 6);
  CHECK(r.deliveries == 4);
  CHECK(r.max_lat_s == Approx(0.002 + 4 * 0.008208).epsilon(1e-12));
  CHECK(r.sum_lat_ns == 4 * 2'000'000 + (1 + 2 + 3 + 4) * 8'208'000);
}

TEST_CASE("flood: on a tree, delivery and latency match the analytic answer", "[flood]") {
  const EdgeList g = read_edge_list(topology("tree_500.txt"));
  REQUIRE(g.edges.size() == g.nodes - 1);
  const std::vector<int> depth = bfs_depths(g, 0);

  double sum_p = 0.0, sum_p_depth = 0.0;
  for (uint32_t n = 1; n < g.nodes; ++n) {
    REQUIRE(depth[n] > 0);
    const double p = std::pow(0.9, depth[n]);
    sum_p += p;
    sum_p_depth += p * depth[n];
  }
  const double expected_ratio = sum_p / (g.nodes - 1);
  const double expected_lat_s = sum_p_depth * kHopS / sum_p;

  // Losses near the root drop whole subtrees, so the noise is large: with
  // 4,000 packets the ratio's relative sd is ~0.3 %; 50,000 bring it to
  // ~0.09 % (measured over 20 seeds), well inside the 0.5 % tolerance.
  FloodParams params;
  params.packets = 50'000;
  const uint64_t seed = 20240611;
  CAPTURE(seed, expected_ratio, expected_lat_s);
  const FloodResult r = run_flood(g, params, seed);
  INFO(format_flood_line(r));
  CHECK(r.duplicates == 0);
  CHECK(r.queue_drops == 0);
  CHECK(r.delivery_ratio == Approx(expected_ratio).epsilon(0.005));
  CHECK(r.mean_lat_s == Approx(expected_lat_s).epsilon(0.005));
  // No queueing on a tree: the deepest node hears a packet after depth hops exactly.
  int max_depth = 0;
  for (int d : depth) max_depth = std::max(max_depth, d);
  CHECK(r.max_lat_s == Approx(max_depth * kHopS).epsilon(1e-9));
}

TEST_CASE("flood: results depend on the seed and on nothing else", "[flood]") {
  const EdgeList g = read_edge_list(topology("topo_500.txt"));
  const FloodParams params;
  const FloodResult a = run_flood(g, params, 7);
  const FloodResult b = run_flood(g, params, 7);
  const FloodResult c = run_flood(g, params, 8);
  CHECK(a.deliveries == b.deliveries);
  CHECK(a.duplicates == b.duplicates);
  CHECK(a.tx_frames == b.tx_frames);
  CHECK(a.lost_frames == b.lost_frames);
  CHECK(a.events == b.events);
  CHECK(a.sum_lat_ns == b.sum_lat_ns);
  CHECK(a.sim_end_s == b.sim_end_s);
  CHECK((a.deliveries != c.deliveries || a.duplicates != c.duplicates || a.tx_frames != c.tx_frames ||
         a.sum_lat_ns != c.sum_lat_ns));
}

TEST_CASE("flood: the topo_500 mesh delivers almost everything", "[flood]") {
  const EdgeList g = read_edge_list(topology("topo_500.txt"));
  const uint64_t seed = 1;
  CAPTURE(seed);
  const FloodResult r = run_flood(g, FloodParams{}, seed);
  INFO(format_flood_line(r));
  CHECK(r.nodes == 500);
  CHECK(r.edges == 875);
  CHECK(r.delivery_ratio > 0.9);
  CHECK(r.delivery_ratio <= 1.0);
  CHECK(r.duplicates > 0);
  CHECK(r.tx_frames == r.lost_frames + r.deliveries + r.duplicates);
  CHECK(r.mean_lat_s >= kHopS);
  CHECK(r.max_lat_s <= r.sim_end_s);
}

TEST_CASE("flood: the output line has the spec's keys in order", "[flood]") {
  const EdgeList g = parse_edge_list("# nodes 2 edges 1\n0 1\n", "pair");
  const std::string line = format_flood_line(run_flood(g, FloodParams{}, 1));
  INFO(line);
  const std::vector<std::string> expected = {
      "nodes",     "edges",     "pkts",      "loss",   "deliveries", "delivery_ratio",
      "duplicates", "tx_frames", "mean_lat_s", "max_lat_s", "sim_end_s", "events",
      "setup_s",   "run_s",     "cpu_s",     "frames_per_cpu_s", "max_rss_kb"};
  std::vector<std::string> keys;
  size_t at = 0;
  while (at < line.size()) {
    const size_t space = std::min(line.find(' ', at), line.size());
    const std::string pair = line.substr(at, space - at);
    REQUIRE(pair.find('=') != std::string::npos);
    keys.push_back(pair.substr(0, pair.find('=')));
    at = space + 1;
  }
  CHECK(keys == expected);
  CHECK(line.rfind("nodes=2 edges=1 pkts=150 loss=0.1 deliveries=", 0) == 0);
}

TEST_CASE("edge list: accepts comments, blank lines and CRLF", "[flood][edge_list]") {
  const EdgeList g =
      parse_edge_list("\n# nodes 4 edges 3\r\n\n# a comment\n0 1\r\n 1\t2 \n  # indented comment\n3 2", "ok");
  CHECK(g.nodes == 4);
  REQUIRE(g.edges.size() == 3);
  CHECK(g.edges[2] == std::pair<uint32_t, uint32_t>{3, 2});
}

TEST_CASE("edge list: errors say file:line:column and what is wrong", "[flood][edge_list]") {
  struct Case {
    const char* text;
    const char* where;
    const char* says;
  };
  const Case cases[] = {
      {"0 1\n", "bad.txt:1:1:", "missing header"},
      {"", "bad.txt:1:1:", "missing header"},
      {"# nodes 3 edgs 2\n0 1\n1 2\n", "bad.txt:1:11:", "garbled header"},
      {"# nodes 3\n", "bad.txt:1:10:", "incomplete header"},
      {"# nodes three edges 2\n", "bad.txt:1:9:", "not a valid node count"},
      {"# nodes 3 edges 2\n0 1\n1 x\n", "bad.txt:3:3:", "not a valid node id"},
      {"# nodes 3 edges 2\n0 1\n1 -2\n", "bad.txt:3:3:", "not a valid node id"},
      {"# nodes 3 edges 2\n0 1\n1 99999999999\n", "bad.txt:3:3:", "too large"},
      {"# nodes 3 edges 2\n0 1\n1 3\n", "bad.txt:3:3:", "out of range"},
      {"# nodes 3 edges 2\n0 1\n2 2\n", "bad.txt:3:3:", "self-loop"},
      {"# nodes 3 edges 2\n0 1\n\n1 0\n", "bad.txt:4:1:", "duplicate edge 1 0 (already given on line 2)"},
      {"# nodes 3 edges 2\n0 1\n1\n", "bad.txt:3:2:", "two node ids"},
      {"# nodes 3 edges 2\n0 1\n1 2 3\n", "bad.txt:3:5:", "exactly two node ids"},
      {"# nodes 3 edges 3\n0 1\n1 2\n", "bad.txt:1:17:", "declares 3 edges but the file has 2"},
      {"# nodes 3 edges 1\n0 1\n1 2\n", "bad.txt:3:1:", "more edges than"},
  };
  for (const Case& c : cases) {
    const std::string message = parse_error(c.text);
    INFO("input: " << c.text << "\nerror: " << message);
    CHECK(message.rfind(c.where, 0) == 0);
    CHECK(message.find(c.says) != std::string::npos);
  }
}

TEST_CASE("edge list: a missing file is an InputError at line 0", "[flood][edge_list]") {
  const std::string path = topology("no_such_topology.txt");
  try {
    read_edge_list(path);
    FAIL("no exception");
  } catch (const InputError& e) {
    CHECK(e.line() == 0);
    CHECK(std::string(e.what()).rfind(path + ": cannot open", 0) == 0);
  }
}

TEST_CASE("edge list: the shared topologies parse", "[flood][edge_list]") {
  for (const char* name : {"tree_500.txt", "topo_500.txt", "topo_2000.txt", "topo_10000.txt"}) {
    INFO(name);
    const EdgeList g = read_edge_list(topology(name));
    CHECK(g.nodes >= 500);
    CHECK(g.edges.size() >= g.nodes - 1);
  }
}
