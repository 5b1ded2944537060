// TelemetryAgent and TelemetryCollector hosted in core::Nodes on both
// transports, over a toy mesh that delivers frames at once and drops some:
// reports reach the root and decode to the node's state, lost reports are
// healed by snapshot requests, the 2A package arrives as painlessMesh JSON,
// a status aggregation names the nodes that are down, and the root raises
// offline, leak and boot-loop alerts.

#include <catch2/catch.hpp>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "meshota/core/node.hpp"
#include "meshota/core/telemetry/telemetry_agent.hpp"
#include "meshota/core/telemetry/telemetry_collector.hpp"
#include "telemetry_test_util.hpp"

using namespace meshota::core;
using meshota::test::Dynamics;
using meshota::test::FakeHal;
using meshota::test::SyntheticNode;

namespace {

constexpr NodeId kRoot = 1;
const Instant kStart = Instant{0} + Duration::seconds(100);

/// A MetricsSource whose node moves one report interval per sample.
class SyntheticSource final : public MetricsSource {
 public:
  SyntheticSource(const Dynamics& d, uint32_t seed) : node(d, seed) {}
  void sample(Instant, NodeMetrics& out) override { out = node.step(); }
  SyntheticNode node;
};

struct Events final : CollectorListener {
  void on_report(Instant, NodeId node, const NodeMetrics&, bool snapshot) override { ++(snapshot ? snapshots : deltas)[node]; }
  void on_alert(const Alert& a) override { alerts.push_back(a); }
  void on_enhanced_status(Instant, const EnhancedStatus& s) override { enhanced.push_back(s); }
  void on_aggregation_done(Instant, const AggregationStatus& a) override { done.push_back(a); }
  std::map<NodeId, int> snapshots, deltas;
  std::vector<Alert> alerts;
  std::vector<EnhancedStatus> enhanced;
  std::vector<AggregationStatus> done;
  const Alert* find(AlertMetric m, NodeId node, bool raised) const {
    for (const Alert& a : alerts)
      if (a.metric == m && a.node == node && a.raised == raised) return &a;
    return nullptr;
  }
};

/// A root with a collector and nodes with agents; frames arrive at once unless dropped.
class ToyMesh {
 public:
  ToyMesh(Transport t, const TelemetryAgentConfig& agent_config, size_t nodes, uint32_t seed,
          TelemetryCollectorConfig collector_config = {})
      : transport_(t), rng_(seed) {
    collector_config.routing = t == Transport::kEspNow ? Routing::kNeighbour : Routing::kSingle;
    root_ = make_node(kRoot);
    collector_ = std::make_unique<TelemetryCollector>(collector_config, MessageOut(t, kRoot), *storage_, &events);
    REQUIRE(root_->node->add_component(*collector_));
    for (size_t i = 0; i < nodes; ++i) {
      auto m = make_node(static_cast<NodeId>(101 + i));
      m->source = std::make_unique<SyntheticSource>(dynamics, seed + static_cast<uint32_t>(i));
      TelemetryAgentConfig c = agent_config;
      c.root_id = kRoot;
      if (t == Transport::kEspNow) c.routing = Routing::kNeighbour;
      m->agent = std::make_unique<TelemetryAgent>(c, *m->source, MessageOut(t, m->id), m->hal.rng);
      REQUIRE(m->node->add_component(*m->agent));
      members_.push_back(std::move(m));
    }
  }

  struct Member {
    NodeId id = 0;
    FakeHal hal;
    std::unique_ptr<Node> node;
    std::unique_ptr<SyntheticSource> source;
    std::unique_ptr<TelemetryAgent> agent;
    Outbox out;
    Instant next = Instant::never();
    bool up = true;
  };

  void boot(Instant now) {
    for (Member* m : all()) boot(*m, now);
  }
  void boot(Member& m, Instant now) {
    m.node->on_boot(now);
    m.next = now;
  }

  /// Runs every node at its deadlines until `end`.
  void run_until(Instant end) {
    for (int guard = 0; guard < 10000000; ++guard) {
      Instant t = Instant::never();
      for (Member* m : all())
        if (m->up) t = earliest(t, m->next);
      if (t > end || t == Instant::never()) break;
      now_ = t;
      for (Member* m : all()) {
        if (!m->up || m->next > t) continue;
        m->out.clear();
        m->next = m->node->poll(t, m->out);
        deliver(*m);
      }
    }
    now_ = end;
  }

  /// Host call into the collector (a dashboard's query), then the poll it asks for.
  uint32_t aggregate(const StatusFilter& f) {
    const uint32_t id = collector_->begin_aggregation(now_, f);
    root_->next = now_;
    return id;
  }

  Member& member(size_t i) { return *members_[i]; }
  TelemetryCollector& collector() { return *collector_; }
  Instant now() const { return now_; }
  double loss_to_root = 0;  ///< share of node -> root frames dropped
  Dynamics dynamics;
  Events events;

 private:
  std::unique_ptr<Member> make_node(NodeId id) {
    auto m = std::make_unique<Member>();
    m->id = id;
    NodeConfig c;
    c.id = id;
    c.is_root = id == kRoot;
    c.transport = transport_;
    c.pm_ota_receiver = false;
    m->node = std::make_unique<Node>(c, m->hal.hal);
    return m;
  }
  std::vector<Member*> all() {
    std::vector<Member*> v{root_.get()};
    for (auto& m : members_) v.push_back(m.get());
    return v;
  }
  Member* by_id(NodeId id) {
    for (Member* m : all())
      if (m->id == id) return m;
    return nullptr;
  }
  // Every frame reaches its destination (all others for a broadcast) at once; replies go in turn.
  void deliver(Member& from) {
    std::deque<std::pair<NodeId, std::vector<uint8_t>>> queue;
    std::deque<std::pair<NodeId, OutFrame>> meta;
    auto take = [&](Member& m) {
      for (size_t i = 0; i < m.out.size(); ++i) {
        queue.emplace_back(m.id, std::vector<uint8_t>(m.out.bytes(i).begin(), m.out.bytes(i).end()));
        meta.emplace_back(m.id, m.out.frame(i));
      }
      m.out.clear();
    };
    take(from);
    for (int guard = 0; guard < 100000 && !queue.empty(); ++guard) {
      const auto [sender, bytes] = queue.front();
      const auto frame = meta.front().second;
      queue.pop_front();
      meta.pop_front();
      for (Member* m : all()) {
        const bool addressed = frame.routing == Routing::kBroadcast || frame.dest == kAllNeighbours || frame.dest == m->id;
        if (m->id == sender || !addressed || !m->up) continue;
        if (m->id == kRoot && std::uniform_real_distribution<double>(0, 1)(rng_) < loss_to_root) continue;
        m->node->on_frame(now_, sender, bytes, m->out);
        m->next = earliest(m->next, now_);
        take(*m);
      }
    }
  }

  Transport transport_;
  std::mt19937 rng_;
  std::unique_ptr<CollectorStorage<64>> storage_ = std::make_unique<CollectorStorage<64>>();
  std::unique_ptr<Member> root_;
  std::unique_ptr<TelemetryCollector> collector_;
  std::vector<std::unique_ptr<Member>> members_;
  Instant now_ = kStart;
};

}  // namespace

TEST_CASE("telemetry components: reports reach the root and lost ones heal, on both transports",
          "[telemetry][components]") {
  for (Transport t : {Transport::kPainlessMesh, Transport::kEspNow}) {
    CAPTURE(static_cast<int>(t));
    const uint32_t seed = meshota::test::telemetry_seed("components loss");
    CAPTURE(seed);
    // On a lossy link one lost report must not mean "offline": allow three missed reports.
    TelemetryCollectorConfig cc;
    cc.detectors.offline.missed_reports = 3;
    ToyMesh mesh(t, TelemetryAgentConfig{}, 6, seed, cc);
    mesh.loss_to_root = 0.1;
    mesh.boot(kStart);
    mesh.run_until(kStart + Duration::seconds(7200));
    const CollectorStats& s = mesh.collector().stats();
    CHECK(s.snapshot_requests > 0);
    CHECK(s.not_applied > 0);
    // Two final reports without loss: every node's stream is whole again.
    mesh.loss_to_root = 0;
    mesh.run_until(mesh.now() + Duration::seconds(61));
    for (size_t i = 0; i < 6; ++i) {
      const auto& agent = *mesh.member(i).agent;
      const DecoderSlot* slot = mesh.collector().decoder().find(mesh.member(i).id);
      REQUIRE(slot != nullptr);
      CHECK(slot->stream.has_base);
      CHECK(slot->stream.metrics == agent.encoder().mirror().metrics);
      CHECK(mesh.collector().status().find(mesh.member(i).id)->metrics == slot->stream.metrics);
      CHECK(agent.stats().snapshot_requests > 0);
    }
    std::printf("telemetry components (%s, 10%% loss to the root, 6 nodes, 2 h): %u snapshots, %u deltas, %u "
                "deltas not applied, %u snapshot requests\n", t == Transport::kEspNow ? "ESP-NOW" : "painlessMesh",
                s.snapshots, s.deltas, s.not_applied, s.snapshot_requests);
    // Healthy nodes on lossy links: nothing but silence to alert on, and silence only when three
    // reports in a row were lost (10 % loss: about 1 in 1000 reports).
    size_t offline = 0;
    for (const Alert& a : mesh.events.alerts) {
      CHECK(a.metric == AlertMetric::kOffline);
      offline += a.raised;
    }
    std::printf("telemetry components: offline alerts from loss alone (3 missed reports allowed): %zu in %u reports\n",
                offline, s.snapshots + s.deltas + s.not_applied);
    CHECK(offline <= 8);
  }
}

TEST_CASE("telemetry components: the 2A package travels as painlessMesh JSON", "[telemetry][components]") {
  TelemetryAgentConfig c;
  c.format = StatusFormat::kEnhancedJson;
  ToyMesh mesh(Transport::kPainlessMesh, c, 3, 5);
  mesh.boot(kStart);
  mesh.run_until(kStart + Duration::seconds(300));
  REQUIRE(mesh.events.enhanced.size() >= 27);  // 3 nodes x 9-10 reports
  CHECK(mesh.collector().stats().enhanced == mesh.events.enhanced.size());
  const EnhancedStatus& last = mesh.events.enhanced.back();
  CHECK(last.from >= 101);
  CHECK(last.fw == std::string_view("1.2.3"));
  CHECK(mesh.member(0).agent->last_report_bytes() > 250);
  // The binary 2A frame instead: a tenth of the bytes.
  TelemetryAgentConfig b = c;
  b.format = StatusFormat::kEnhancedBinary;
  ToyMesh binary(Transport::kEspNow, b, 1, 5);
  binary.boot(kStart);
  binary.run_until(kStart + Duration::seconds(100));
  CHECK(binary.events.enhanced.size() >= 3);
  CHECK(binary.member(0).agent->last_report_bytes() < 40);
}

TEST_CASE("telemetry components: an aggregation names the nodes that are down (C26)", "[telemetry][components]") {
  ToyMesh mesh(Transport::kPainlessMesh, TelemetryAgentConfig{}, 8, 11);
  mesh.boot(kStart);
  mesh.run_until(kStart + Duration::seconds(60));
  mesh.member(2).up = false;
  mesh.member(5).up = false;
  const Instant asked = mesh.now();
  const uint32_t id = mesh.aggregate(StatusFilter{});
  REQUIRE(id != 0);
  mesh.run_until(asked + Duration::seconds(30));
  REQUIRE(mesh.events.done.size() == 1);
  const AggregationStatus& a = mesh.events.done[0];
  CHECK(a.partial);
  CHECK(a.targets == 8);
  CHECK(a.answered == 6);
  CHECK(a.finished_at == asked + Duration::seconds(10));  // the timeout, not later
  NodeId silent[8];
  uint32_t cursor = 0;
  const size_t n = mesh.collector().status().silent_nodes(cursor, silent);
  CHECK(std::set<NodeId>(silent, silent + n) == std::set<NodeId>{mesh.member(2).id, mesh.member(5).id});
  CHECK(mesh.collector().stats().status_requests == 8);
  CHECK(mesh.collector().stats().status_responses == 6);
}

TEST_CASE("telemetry components: offline 15 s after the last frame at 10 s reports, 35 s at 30 s",
          "[telemetry][components]") {
  for (int interval_s : {10, 30}) {
    CAPTURE(interval_s);
    TelemetryAgentConfig c;
    c.report_interval = Duration::seconds(interval_s);
    c.start_jitter = Duration{0};
    ToyMesh mesh(Transport::kPainlessMesh, c, 2, 3);
    mesh.boot(kStart);
    mesh.run_until(kStart + Duration::seconds(600));
    CHECK(mesh.events.alerts.empty());
    mesh.member(0).up = false;  // silent from here
    const Instant last = mesh.collector().status().find(mesh.member(0).id)->last_heard;
    mesh.run_until(mesh.now() + Duration::seconds(120));
    const Alert* a = mesh.events.find(AlertMetric::kOffline, mesh.member(0).id, true);
    REQUIRE(a != nullptr);
    const Duration after = a->at - last;
    std::printf("telemetry offline: %d s reports -> alert %.1f s after the last frame\n", interval_s,
                static_cast<double>(after.us) / 1e6);
    CHECK(after == Duration::seconds(interval_s == 10 ? 15 : 35));
    CHECK(mesh.events.find(AlertMetric::kOffline, mesh.member(1).id, true) == nullptr);
    // Back up: the first frame clears the alert.
    mesh.member(0).up = true;
    mesh.boot(mesh.member(0), mesh.now());
    mesh.run_until(mesh.now() + Duration::seconds(interval_s + 10));
    CHECK(mesh.events.find(AlertMetric::kOffline, mesh.member(0).id, false) != nullptr);
  }
}

TEST_CASE("telemetry components: the root raises a heap-leak alert and a boot-loop alert",
          "[telemetry][components]") {
  ToyMesh mesh(Transport::kPainlessMesh, TelemetryAgentConfig{}, 2, 21);
  mesh.dynamics.heap_leak_bytes = 0;
  mesh.boot(kStart);
  mesh.run_until(kStart + Duration::seconds(1800));
  // Node 0 starts leaking 150 B per report (5 B/s).
  const Instant leak_from = mesh.now();
  mesh.member(0).source->node.dynamics().heap_leak_bytes = 150;
  for (int i = 0; i < 200; ++i) {
    mesh.run_until(mesh.now() + Duration::seconds(30));
    const Alert* a = mesh.events.find(AlertMetric::kHeapLeak, mesh.member(0).id, true);
    if (a != nullptr) {
      std::printf("telemetry components: heap leak alert %.0f min after the leak began (projected %.0f min to "
                  "10 KB)\n", static_cast<double>((a->at - leak_from).us) / 6e7, a->value / 60);
      break;
    }
  }
  CHECK(mesh.events.find(AlertMetric::kHeapLeak, mesh.member(0).id, true) != nullptr);
  CHECK(mesh.events.find(AlertMetric::kHeapLeak, mesh.member(1).id, true) == nullptr);
  // Node 1 crashes 8 s after every boot (its boot count persists).
  auto& looping = mesh.member(1);
  for (int b = 0; b < 14; ++b) {
    looping.source->node.metrics().boot_count += 1;
    looping.source->node.metrics().uptime_s = 0;
    mesh.boot(looping, mesh.now());
    mesh.run_until(mesh.now() + Duration::seconds(8));
  }
  const Alert* loop = mesh.events.find(AlertMetric::kBootLoop, looping.id, true);
  REQUIRE(loop != nullptr);
  CHECK(loop->value >= 10);
  StatusFilter alerting;
  alerting.any_alert_mask = 1u << static_cast<int>(AlertMetric::kBootLoop);
  CHECK(mesh.collector().status().count(alerting) == 1);
}
