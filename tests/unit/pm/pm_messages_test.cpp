// painlessMesh's own messages, byte for byte as protocol.hpp writes them, and
// the dynamic tree they describe.

#include <catch2/catch.hpp>

#include "meshota/sim/pm/mesh_tree.hpp"
#include "meshota/sim/pm/pm_messages.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace ms = meshota::sim;

namespace {

// 0 -- 1 -- 3
//  \-- 2
ms::Topology small_tree() { return ms::tree_from_parents(4, 0, {ms::kNoNode, 0, 0, 1}, {{0, 1}, {0, 2}, {1, 3}}); }
const std::vector<uint32_t> kIds = {1000000000, 1111111111, 2222222222, 3333333333};

std::string text(std::string s) {
  if (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("node sync: the sender's re-rooted tree minus the receiver's branch, keys in protocol.hpp's order") {
  const ms::MeshTree tree(small_tree());
  // From 1 to 3: 1's view without 3's branch is 1 with its parent 0 (root), which has 2.
  CHECK(text(ms::pm_node_sync(tree, kIds, 0, 1, 3, false)) ==
        R"({"nodeId":1111111111,"subs":[{"nodeId":1000000000,"root":true,"subs":[{"nodeId":2222222222}]}],)"
        R"("type":5,"dest":3333333333,"from":1111111111})");
  // From the root to 1, a reply: the root (root:true) with 2 only.
  CHECK(text(ms::pm_node_sync(tree, kIds, 0, 0, 1, true)) ==
        R"({"nodeId":1000000000,"root":true,"subs":[{"nodeId":2222222222}],"type":6,"dest":1111111111,)"
        R"("from":1000000000})");
  // A leaf towards its parent: nothing else to tell.
  CHECK(text(ms::pm_node_sync(tree, kIds, 0, 3, 1, false)) ==
        R"({"nodeId":3333333333,"type":5,"dest":1111111111,"from":3333333333})");
  // Every message ends with the '\0' that frames it on the stream.
  CHECK(ms::pm_node_sync(tree, kIds, 0, 3, 1, false).back() == '\0');
}

TEST_CASE("node sync: about 35 bytes per node, as painlessMesh's maintainer says") {
  std::vector<uint32_t> parent(40, 0);
  parent[0] = ms::kNoNode;
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (uint32_t v = 1; v < 40; ++v) edges.emplace_back(0, v);
  const ms::MeshTree tree(ms::tree_from_parents(40, 0, parent, edges));
  std::vector<uint32_t> ids(40);
  for (uint32_t v = 0; v < 40; ++v) ids[v] = 1000000000 + v;
  const std::string sync = ms::pm_node_sync(tree, ids, 0, 0, 1, false);  // the root tells 1 about the 38 others
  const double per_node = static_cast<double>(sync.size()) / 39.0;
  CAPTURE(sync.size());
  CHECK(per_node > 20.0);
  CHECK(per_node < 40.0);
}

TEST_CASE("time sync and Hello: ntp.hpp's and the basic example's packages") {
  CHECK(text(ms::pm_time_sync(11, 22, 1, 5, 0, 0)) == R"({"type":4,"dest":22,"from":11,"msg":{"type":1,"t0":5}})");
  CHECK(text(ms::pm_time_sync(22, 11, 2, 5, 6, 7)) ==
        R"({"type":4,"dest":11,"from":22,"msg":{"type":2,"t0":5,"t1":6,"t2":7}})");
  const std::string hello = ms::pm_hello(1234567890);
  CHECK(text(hello) == R"({"type":8,"dest":0,"from":1234567890,"msg":"Hello from node 1234567890"})");
}

TEST_CASE("message type: the top-level type, not a nested one") {
  auto bytes = [](const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); };
  CHECK(ms::pm_message_type(bytes(ms::pm_time_sync(1, 2, 2, 3, 4, 5))) == 4);
  const ms::MeshTree tree(small_tree());
  CHECK(ms::pm_message_type(bytes(ms::pm_node_sync(tree, kIds, 0, 1, 3, false))) == 5);
  CHECK(ms::pm_message_type(bytes(R"({"msg":"\"type\":9","type":8})")) == 8);
  CHECK(ms::pm_message_type(bytes(R"({"from":1})")) == -1);
}

TEST_CASE("mesh tree: stations leave with their subtree and join elsewhere") {
  ms::MeshTree tree(small_tree());
  CHECK(tree.next_hop(3, 2) == 1);
  CHECK(tree.next_hop(0, 3) == 1);
  CHECK(tree.next_hop(1, 3) == 3);
  CHECK(tree.hops(3, 2) == 3);
  CHECK(tree.subtree_size(0) == 4);
  CHECK(tree.subtree_size(1) == 2);
  const uint64_t v0 = tree.version();
  tree.detach(1);  // 1 and 3 are cut off from the root
  CHECK(tree.version() > v0);
  CHECK_FALSE(tree.connected_to_root(3));
  CHECK(tree.top(3) == 1);
  CHECK(tree.next_hop(3, 2) == ms::kNoNode);
  CHECK(tree.hops(3, 2) == UINT32_MAX);
  CHECK(tree.child_count(0) == 1);
  tree.attach(1, 2);  // re-joins under 2: 0 - 2 - 1 - 3
  CHECK(tree.connected_to_root(3));
  CHECK(tree.depth(3) == 3);
  CHECK(tree.next_hop(0, 3) == 2);
  CHECK(tree.in_subtree(3, 2));
  CHECK_FALSE(tree.in_subtree(2, 1));
}
