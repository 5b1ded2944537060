// Topologies: every generator gives a connected tree from the root that
// respects the access-point limit, and routing follows the tree.

#include <catch2/catch.hpp>

#include "meshota/sim/scenario/input_error.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace ms = meshota::sim;

namespace {

uint32_t children_of(const ms::Topology& t, uint32_t n) { return t.child_offsets[n + 1] - t.child_offsets[n]; }

void check_tree(const ms::Topology& t, uint32_t max_children) {
  uint32_t roots = 0;
  for (uint32_t v = 0; v < t.nodes; ++v) {
    INFO("node " << v);
    CHECK(children_of(t, v) <= max_children);
    if (t.parent[v] == ms::kNoNode) {
      ++roots;
      CHECK(t.depth[v] == 0);
    } else {
      CHECK(t.depth[v] == t.depth[t.parent[v]] + 1);
    }
  }
  CHECK(roots == 1);
}

}  // namespace

TEST_CASE("topology: every kind builds a tree within max_children") {
  const uint64_t seed = GENERATE(1, 2, 3);
  CAPTURE(seed);
  ms::TopologySpec spec;
  spec.max_children = 3;
  SECTION("random tree") {
    spec.kind = ms::TopologyKind::kRandomTree;
    spec.nodes = 200;
    const ms::Topology t = ms::build_topology(spec, seed, "t.yaml");
    CHECK(t.nodes == 200);
    check_tree(t, 3);
  }
  SECTION("grid") {
    spec.kind = ms::TopologyKind::kGrid;
    spec.rows = 6;
    spec.cols = 7;
    spec.max_children = 2;
    const ms::Topology t = ms::build_topology(spec, seed, "t.yaml");
    CHECK(t.nodes == 42);
    check_tree(t, 2);
  }
  SECTION("random geometric") {
    spec.kind = ms::TopologyKind::kRandomGeometric;
    spec.nodes = 300;
    spec.radius = 0.2;
    spec.max_children = 4;
    const ms::Topology t = ms::build_topology(spec, seed, "t.yaml");
    check_tree(t, 4);
    CHECK(t.graph_edges.size() > t.nodes - 1);  // a mesh graph, of which the tree is a part
  }
}

TEST_CASE("topology: a star whose centre has too few links cannot form, and says so") {
  std::vector<std::pair<uint32_t, uint32_t>> star;
  for (uint32_t v = 1; v < 8; ++v) star.emplace_back(0, v);
  REQUIRE_NOTHROW(ms::tree_from_graph(8, star, 0, 10, "star.txt", {3, 1}));
  try {
    ms::tree_from_graph(8, star, 0, 4, "star.txt", {3, 1});
    FAIL("a star of 7 leaves must not fit 4 links");
  } catch (const ms::InputError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("star.txt:3:1: 3 of 8 nodes cannot join"));
    CHECK_THAT(e.what(), Catch::Contains("max_children = 4"));
  }
}

TEST_CASE("topology: next hop and hop counts follow the tree") {
  // 0 - 1 - 2 - 3, and 1 - 4
  const ms::Topology t = ms::tree_from_graph(5, {{0, 1}, {1, 2}, {2, 3}, {1, 4}}, 0, 10, "t", {});
  CHECK(t.next_hop(0, 3) == 1);
  CHECK(t.next_hop(1, 3) == 2);
  CHECK(t.next_hop(3, 4) == 2);
  CHECK(t.next_hop(2, 4) == 1);
  CHECK(t.next_hop(1, 4) == 4);
  CHECK(t.next_hop(4, 0) == 1);
  CHECK(t.hops(3, 4) == 3);
  CHECK(t.hops(0, 3) == 3);
  CHECK(t.hops(2, 2) == 0);
  CHECK(t.adjacent(1, 4));
  CHECK_FALSE(t.adjacent(0, 2));
  CHECK(t.max_depth == 3);
}
