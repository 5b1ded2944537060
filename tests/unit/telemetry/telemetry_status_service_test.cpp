// Seed option 2B at the root: filters, pagination with cursors, the TTL cache
// of answers, aggregation that finishes at its timeout with a PARTIAL result
// naming the nodes that did not answer (claim C26), and the topology export.

#include <catch2/catch.hpp>
#include <algorithm>
#include <set>
#include <vector>

#include "meshota/core/telemetry/status_service.hpp"
#include "meshota/core/telemetry/topology_export.hpp"
#include "telemetry_test_util.hpp"

using namespace meshota::core;
using meshota::test::sample_metrics;

namespace {

const Instant kT0 = Instant{0} + Duration::seconds(1000);

NodeMetrics metrics_for(NodeId id) {
  NodeMetrics m = sample_metrics();
  m.free_heap_bytes = 20000 + (id % 10) * 3000;  // 20-47 KB
  m.update_state = id % 3 == 0 ? UpdateState::kDownloading : UpdateState::kIdle;
  m.fw_version.assign(id % 4 == 0 ? "2.0.0" : "1.2.3");
  return m;
}

struct Fleet {
  explicit Fleet(size_t nodes, size_t capacity = 256) : storage(capacity), service(StatusServiceConfig{}, storage) {
    for (NodeId id = 1; id <= nodes; ++id) REQUIRE(service.update(kT0, 1000 + id, metrics_for(1000 + id), 30));
  }
  std::vector<NodeStatus> storage;
  StatusService service;
};

std::vector<NodeId> all_pages(StatusService& s, StatusQuery q, Instant now, int& pages) {
  std::vector<NodeId> ids;
  pages = 0;
  for (int guard = 0; guard < 1000; ++guard) {
    const StatusPage p = s.query(now, q);
    ++pages;
    CHECK(p.count <= q.page_size);
    for (uint16_t i = 0; i < p.count; ++i) ids.push_back(p.entries[i]->id);
    if (p.next_cursor == kCursorEnd) break;
    CHECK(p.count == q.page_size);
    q.cursor = p.next_cursor;
  }
  return ids;
}

}  // namespace

TEST_CASE("telemetry 2B: pages cover every matching node once, in a stable order", "[telemetry][status]") {
  Fleet f(150);
  StatusQuery q;
  q.filter.min_free_heap_bytes = 35000;
  q.page_size = 20;
  const uint32_t total = f.service.count(q.filter);
  REQUIRE(total > 20);
  int pages = 0;
  const std::vector<NodeId> ids = all_pages(f.service, q, kT0, pages);
  CHECK(ids.size() == total);
  CHECK(std::set<NodeId>(ids.begin(), ids.end()).size() == ids.size());
  for (NodeId id : ids) CHECK(f.service.find(id)->metrics.free_heap_bytes >= 35000);
  CHECK(pages == static_cast<int>((total + 19) / 20));
  const StatusPage first = f.service.query(kT0, q, false);
  CHECK(first.total_matching == total);
  // A node that joins while a client pages never shifts the pages it has not read yet.
  q.cursor = first.next_cursor;
  const StatusPage second = f.service.query(kT0, q, false);
  f.service.update(kT0, 99999, metrics_for(9), 30);
  const StatusPage again = f.service.query(kT0, q, false);
  CHECK(again.entries[0] == second.entries[0]);
}

TEST_CASE("telemetry 2B: filters by node, state, heap, firmware, alerts and liveness", "[telemetry][status]") {
  Fleet f(60);
  f.service.add_node(5);  // known from the mesh's node list, no data yet
  StatusFilter all;
  CHECK(f.service.count(all) == 61);
  StatusFilter one;
  one.node = 1007;
  CHECK(f.service.count(one) == 1);
  StatusFilter state;
  state.match_state = true;
  state.state = UpdateState::kDownloading;
  CHECK(f.service.count(state) == 20);  // ids 1001-1060 divisible by 3
  StatusFilter fw;
  fw.fw_version.assign("2.0.0");
  CHECK(f.service.count(fw) == 15);
  StatusFilter heap;
  heap.max_free_heap_bytes = 25999;
  CHECK(f.service.count(heap) == 12);  // heap 20000 and 23000: two of every ten
  f.service.set_alert(1010, AlertMetric::kOffline, true);
  f.service.set_alert(1020, AlertMetric::kBootLoop, true);
  StatusFilter alerting;
  alerting.any_alert_mask = (1u << static_cast<int>(AlertMetric::kBootLoop)) | (1u << static_cast<int>(AlertMetric::kOffline));
  CHECK(f.service.count(alerting) == 2);
  StatusFilter online;
  online.online_only = true;
  CHECK(f.service.count(online) == 60);
  f.service.set_alert(1010, AlertMetric::kOffline, false);
  CHECK(f.service.count(online) == 61);
}

TEST_CASE("telemetry 2B: an answer is cached for its TTL", "[telemetry][status]") {
  Fleet f(30);
  StatusQuery q;
  q.page_size = 10;
  const StatusPage a = f.service.query(kT0, q);
  CHECK_FALSE(a.from_cache);
  const StatusPage b = f.service.query(kT0 + Duration::seconds(59), q);
  CHECK(b.from_cache);
  CHECK(b.count == a.count);
  CHECK(std::equal(a.entries, a.entries + a.count, b.entries));
  StatusQuery other = q;
  other.cursor = a.next_cursor;
  CHECK_FALSE(f.service.query(kT0 + Duration::seconds(59), other).from_cache);
  CHECK_FALSE(f.service.query(kT0 + Duration::seconds(60), q).from_cache);  // TTL 60 s (the seeds' cacheTTL)
}

TEST_CASE("telemetry 2B: aggregation ends at its timeout with a partial result naming the silent nodes (C26)",
          "[telemetry][status]") {
  Fleet f(30);
  const uint32_t id = f.service.begin_aggregation(kT0, StatusFilter{});
  REQUIRE(id != 0);
  CHECK(f.service.begin_aggregation(kT0, StatusFilter{}) == 0);  // one at a time
  std::vector<NodeId> asked;
  NodeId node = 0;
  uint32_t rid = 0;
  while (f.service.next_request(node, rid)) {
    CHECK(rid == id);
    asked.push_back(node);
  }
  CHECK(asked.size() == 30);
  CHECK(std::set<NodeId>(asked.begin(), asked.end()).size() == 30);
  // Every node but five answers within the timeout.
  std::set<NodeId> silent(asked.begin(), asked.begin() + 5);
  for (NodeId n : asked)
    if (!silent.count(n)) CHECK(f.service.on_response(kT0 + Duration::seconds(2), n, id, metrics_for(n)));
  CHECK_FALSE(f.service.poll(kT0 + Duration::seconds(9)));
  CHECK(f.service.aggregation().running);
  CHECK(f.service.deadline() == kT0 + Duration::seconds(10));
  CHECK(f.service.poll(kT0 + Duration::seconds(10)));
  const AggregationStatus& a = f.service.aggregation();
  CHECK_FALSE(a.running);
  CHECK(a.partial);
  CHECK(a.targets == 30);
  CHECK(a.answered == 25);
  // The silent nodes, two at a time.
  std::set<NodeId> named;
  uint32_t cursor = 0;
  NodeId out[2];
  for (int guard = 0; guard < 10 && cursor != kCursorEnd; ++guard) {
    const size_t n = f.service.silent_nodes(cursor, out);
    named.insert(out, out + n);
  }
  CHECK(named == silent);
  // A late answer updates the node's status but not the finished aggregation.
  CHECK_FALSE(f.service.on_response(kT0 + Duration::seconds(11), *silent.begin(), id, metrics_for(1)));
  CHECK(f.service.find(*silent.begin())->updated_at == kT0 + Duration::seconds(11));

  // When everyone answers, it finishes at once and complete.
  StatusFilter few;
  few.fw_version.assign("2.0.0");
  const uint32_t id2 = f.service.begin_aggregation(kT0 + Duration::seconds(20), few);
  REQUIRE(id2 != 0);
  CHECK(id2 != id);
  while (f.service.next_request(node, rid)) f.service.on_response(kT0 + Duration::seconds(21), node, rid, metrics_for(node));
  CHECK_FALSE(f.service.aggregation().running);
  CHECK_FALSE(f.service.aggregation().partial);
  CHECK(f.service.aggregation().answered == 7);
  cursor = 0;
  CHECK(f.service.silent_nodes(cursor, out) == 0);
  CHECK(cursor == kCursorEnd);
}

TEST_CASE("telemetry 2B: the topology export is a node graph of measured links", "[telemetry][status]") {
  std::vector<NodeStatus> storage(16);
  StatusService s(StatusServiceConfig{}, storage);
  NodeMetrics root = sample_metrics();
  root.parent_id = 0;
  root.hop_count = 0;
  root.neighbour_count = 1;
  root.neighbours[0] = NeighbourLink{2, -55, kSnrUnmeasured, kLossUnmeasured, 0, kRttUnmeasured};
  NodeMetrics child = sample_metrics();
  child.parent_id = 1;
  child.hop_count = 1;
  child.neighbour_count = 2;
  child.neighbours[0] = NeighbourLink{1, -57, kSnrUnmeasured, 4, 0, 30};
  child.neighbours[1] = NeighbourLink{3, -90, kSnrUnmeasured, kLossUnmeasured, kLinkDead, kRttUnmeasured};
  NodeMetrics orphan = sample_metrics();
  orphan.parent_id = 2;
  orphan.neighbour_count = 0;
  s.update(kT0, 1, root, 30);
  s.update(kT0, 2, child, 30);
  s.update(kT0, 3, orphan, 30);
  s.add_node(4);
  TopologyNode nodes[8];
  TopologyEdge edges[8];
  const TopologyExport all = export_topology(s, 0, nodes, edges);
  CHECK(all.nodes == 4);
  CHECK(all.edges == 4);
  CHECK(all.next_cursor == kCursorEnd);
  const auto edge = [&](NodeId a, NodeId b) {
    return *std::find_if(edges, edges + all.edges, [&](auto& e) { return e.source == a && e.target == b; });
  };
  CHECK(edge(2, 1).tree);
  CHECK(edge(2, 1).quality_pct == 96);  // 100 - loss
  CHECK(edge(1, 2).quality_pct == 90);  // RSSI -55 mapped like painlessMesh's example
  CHECK(edge(2, 3).dead);
  CHECK(edge(2, 3).quality_pct == 20);
  CHECK(edge(3, 2).tree);
  CHECK(edge(3, 2).quality_pct == kQualityUnknown);  // parent known, link not measured
  // Small spans: a node comes with all its edges, the cursor says where to go on.
  size_t seen_nodes = 0, seen_edges = 0;
  uint32_t cursor = 0;
  for (int guard = 0; guard < 10 && cursor != kCursorEnd; ++guard) {
    const TopologyExport part = export_topology(s, cursor, std::span(nodes, 1), std::span(edges, 2));
    REQUIRE(part.nodes == 1);
    seen_nodes += part.nodes;
    seen_edges += part.edges;
    cursor = part.next_cursor;
  }
  CHECK(seen_nodes == 4);
  CHECK(seen_edges == 4);
}
