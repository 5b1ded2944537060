// Report by exception (2C) against a plain reference: a test-only model of
// what the root must hold after each report, written from the documented
// rules (counters, ids, enums and strings exact; a gauge follows only moves
// of at least its deadband from the value last sent; neighbours keep their
// slot while they stay), with no wire format. Random sequences check that the
// root's state equals the reference after every message and never strays a
// deadband from the truth; lost messages are detected and healed by a snapshot.

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <random>
#include <vector>

#include "meshota/core/telemetry/codec/delta_decoder.hpp"
#include "meshota/core/telemetry/codec/delta_encoder.hpp"
#include "telemetry_test_util.hpp"

using namespace meshota::core;
using meshota::test::Bytes;
using meshota::test::Dynamics;
using meshota::test::SyntheticNode;

namespace {

constexpr NodeId kNode = 4242;

// ---- The reference ----------------------------------------------------------------------------

bool ref_changed(int64_t x, int64_t held, int64_t deadband, std::optional<int64_t> unmeasured = std::nullopt) {
  if (x == held) return false;
  if (unmeasured && (x == *unmeasured || held == *unmeasured)) return true;
  return std::llabs(x - held) >= std::max<int64_t>(deadband, 1);
}

template <typename T>
void follow(T& held, T value, int64_t deadband, std::optional<int64_t> unmeasured = std::nullopt) {
  if (ref_changed(value, held, deadband, unmeasured)) held = value;
}

/// The documented slot rule: a neighbour keeps its slot; newcomers fill the free slots in order.
std::vector<NeighbourLink> ref_align(const NodeMetrics& held, const NodeMetrics& s) {
  const size_t n = s.neighbour_count;
  std::vector<std::optional<NeighbourLink>> slot(n);
  std::vector<bool> used(n, false);
  for (size_t i = 0; i < std::min<size_t>(n, held.neighbour_count); ++i)
    for (size_t j = 0; j < n; ++j)
      if (!used[j] && s.neighbours[j].id == held.neighbours[i].id) {
        slot[i] = s.neighbours[j];
        used[j] = true;
        break;
      }
  size_t next = 0;
  for (auto& x : slot) {
    if (x) continue;
    while (used[next]) ++next;
    x = s.neighbours[next];
    used[next] = true;
  }
  std::vector<NeighbourLink> out;
  for (auto& x : slot) out.push_back(*x);
  return out;
}

struct Reference {
  NodeMetrics held;
  bool has = false;

  void apply(NodeMetrics s, bool snapshot, const Deadbands& d) {
    s.normalize();
    if (snapshot || !has) {
      REQUIRE(snapshot);
      if (has) s.neighbours = aligned(s);
      held = s;
      has = true;
      return;
    }
    NodeMetrics h = held;
    h.uptime_s = s.uptime_s;
    h.msgs_sent = s.msgs_sent;
    h.msgs_received = s.msgs_received;
    h.msgs_dropped = s.msgs_dropped;
    h.boot_count = s.boot_count;
    h.reset_reason = s.reset_reason;
    h.parent_id = s.parent_id;
    h.hop_count = s.hop_count;
    h.update_state = s.update_state;
    h.fw_version = s.fw_version;
    h.image_hash_prefix = s.image_hash_prefix;
    follow(h.free_heap_bytes, s.free_heap_bytes, d.heap_bytes);
    follow(h.min_free_heap_bytes, s.min_free_heap_bytes, d.heap_bytes);
    follow(h.queue_depth, s.queue_depth, d.queue_depth);
    follow(h.airtime_permille, s.airtime_permille, d.airtime_permille);
    follow(h.throughput_bps, s.throughput_bps, d.throughput_bps, int64_t{kThroughputUnmeasured});
    follow(h.update_progress_permille, s.update_progress_permille, d.progress_permille);
    follow(h.known_nodes, s.known_nodes, d.known_nodes);
    follow(h.direct_links, s.direct_links, d.direct_links);
    const auto a = aligned(s);
    for (size_t i = 0; i < s.neighbour_count; ++i) {
      NeighbourLink& l = h.neighbours[i];
      if (i >= held.neighbour_count || held.neighbours[i].id != a[i].id) {
        l = a[i];  // a new neighbour in this slot is sent whole
        continue;
      }
      l.flags = a[i].flags;
      follow(l.rssi_dbm, a[i].rssi_dbm, d.rssi_db, int64_t{kRssiUnmeasured});
      follow(l.snr_db, a[i].snr_db, d.snr_db, int64_t{kSnrUnmeasured});
      follow(l.loss_pct, a[i].loss_pct, d.loss_pct, int64_t{kLossUnmeasured});
      follow(l.rtt_ms, a[i].rtt_ms, d.rtt_ms, int64_t{kRttUnmeasured});
    }
    h.neighbour_count = s.neighbour_count;
    for (size_t i = s.neighbour_count; i < kMaxNeighbours; ++i) h.neighbours[i] = NeighbourLink{};
    held = h;
  }

  std::array<NeighbourLink, kMaxNeighbours> aligned(const NodeMetrics& s) const {
    std::array<NeighbourLink, kMaxNeighbours> out{};
    const auto a = ref_align(held, s);
    std::copy(a.begin(), a.end(), out.begin());
    return out;
  }
};

// ---- Checks against the truth --------------------------------------------------------------------

void check_within(int64_t decoded, int64_t truth, int64_t deadband, std::optional<int64_t> unmeasured = std::nullopt) {
  if (unmeasured && (decoded == *unmeasured || truth == *unmeasured)) {
    CHECK(decoded == truth);
    return;
  }
  CHECK(std::llabs(decoded - truth) < std::max<int64_t>(deadband, 1));
}

void check_fidelity(const NodeMetrics& root, NodeMetrics truth, const Deadbands& d) {
  truth.normalize();
  CHECK(root.uptime_s == truth.uptime_s);
  CHECK(root.msgs_sent == truth.msgs_sent);
  CHECK(root.msgs_received == truth.msgs_received);
  CHECK(root.msgs_dropped == truth.msgs_dropped);
  CHECK(root.boot_count == truth.boot_count);
  CHECK(root.parent_id == truth.parent_id);
  CHECK(root.update_state == truth.update_state);
  CHECK(root.fw_version == truth.fw_version);
  check_within(root.free_heap_bytes, truth.free_heap_bytes, d.heap_bytes);
  check_within(root.min_free_heap_bytes, truth.min_free_heap_bytes, d.heap_bytes);
  check_within(root.queue_depth, truth.queue_depth, d.queue_depth);
  check_within(root.throughput_bps, truth.throughput_bps, d.throughput_bps, int64_t{kThroughputUnmeasured});
  REQUIRE(root.neighbour_count == truth.neighbour_count);
  for (size_t i = 0; i < truth.neighbour_count; ++i) {
    const NeighbourLink& t = truth.neighbours[i];
    const auto* r = std::find_if(root.neighbours.begin(), root.neighbours.end(), [&](auto& l) { return l.id == t.id; });
    REQUIRE(r != root.neighbours.end());
    check_within(r->rssi_dbm, t.rssi_dbm, d.rssi_db, int64_t{kRssiUnmeasured});
    check_within(r->rtt_ms, t.rtt_ms, d.rtt_ms, int64_t{kRttUnmeasured});
  }
}

// ---- Random node histories ---------------------------------------------------------------------

/// Shakes a node's measurements the way real nodes change: links come and go, lists reorder,
/// firmware and update state move, measurements appear and vanish, counters wrap.
void perturb(NodeMetrics& m, std::mt19937& rng) {
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  if (chance(0.05) && m.neighbour_count < kMaxNeighbours) {
    NeighbourLink n;
    n.id = static_cast<NodeId>(500000000u + rng() % 1000);
    for (size_t i = 0; i < m.neighbour_count; ++i)
      if (m.neighbours[i].id == n.id) return;  // ids are unique in a neighbour table
    n.rssi_dbm = static_cast<int8_t>(-90 + static_cast<int>(rng() % 50));
    m.neighbours[m.neighbour_count++] = n;
  }
  if (chance(0.04) && m.neighbour_count > 0) {
    const size_t k = rng() % m.neighbour_count;
    for (size_t i = k; i + 1 < m.neighbour_count; ++i) m.neighbours[i] = m.neighbours[i + 1];
    m.neighbours[--m.neighbour_count] = NeighbourLink{};
  }
  if (chance(0.1)) std::shuffle(m.neighbours.begin(), m.neighbours.begin() + m.neighbour_count, rng);
  if (chance(0.03) && m.neighbour_count > 0) m.neighbours[rng() % m.neighbour_count].rssi_dbm = kRssiUnmeasured;
  if (chance(0.03) && m.neighbour_count > 0) m.neighbours[rng() % m.neighbour_count].flags ^= kLinkDead;
  if (chance(0.03)) m.throughput_bps = chance(0.5) ? kThroughputUnmeasured : static_cast<uint32_t>(rng() % 5000);
  if (chance(0.02)) m.fw_version.assign(chance(0.5) ? "2.0.0-rc1" : "1.2.3");
  if (chance(0.03)) m.update_state = static_cast<UpdateState>(rng() % kUpdateStateCount);
  if (chance(0.05)) m.update_progress_permille = static_cast<uint16_t>(rng() % 1001);
  if (chance(0.02)) m.parent_id = m.neighbour_count > 0 ? m.neighbours[0].id : 0;
  if (chance(0.02)) m.msgs_received = static_cast<uint32_t>(UINT32_MAX - rng() % 20);  // a counter about to wrap
  if (chance(0.05)) m.queue_depth = static_cast<uint16_t>(rng() % 40);
  if (chance(0.02)) m.image_hash_prefix[rng() % kImageHashPrefixBytes] ^= 0x5a;
}

Deadbands random_deadbands(std::mt19937& rng) {
  Deadbands d;
  d.heap_bytes = std::vector<uint32_t>{0, 1, 64, 256, 1024}[rng() % 5];
  d.rssi_db = static_cast<uint8_t>(rng() % 5);
  d.rtt_ms = static_cast<uint16_t>(rng() % 20);
  d.queue_depth = static_cast<uint16_t>(rng() % 4);
  d.throughput_bps = static_cast<uint32_t>(rng() % 300);
  return d;
}

}  // namespace

TEST_CASE("telemetry 2C: the root's state equals the reference after every message", "[telemetry][delta]") {
  const uint32_t seed = meshota::test::telemetry_seed("delta vs reference");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  size_t snapshot_bytes = 0, delta_bytes = 0, snapshots = 0, deltas = 0;
  for (int run = 0; run < 60; ++run) {
    DeltaConfig config;
    config.deadband = random_deadbands(rng);
    config.snapshot_every_reports = static_cast<uint16_t>(std::vector<int>{0, 1, 7, 120}[rng() % 4]);
    Dynamics dyn;
    dyn.neighbours = static_cast<uint8_t>(1 + rng() % kMaxNeighbours);
    dyn.tcp_links = rng() % 2 == 0;
    dyn.throughput = rng() % 2 == 0;
    SyntheticNode node(dyn, static_cast<uint32_t>(rng()));
    DeltaEncoder encoder(config);
    std::vector<DecoderSlot> storage(16);
    DeltaDecoder decoder(storage);
    Reference ref;
    Bytes buf(kTelemetryMaxFrameBytes);
    for (int report = 0; report < 300; ++report) {
      CAPTURE(run, report);
      NodeMetrics truth = node.step();
      perturb(node.metrics(), rng);
      truth = node.metrics();
      const size_t n = encoder.encode(truth, 30, buf);
      REQUIRE(n > 0);
      TelemetryFrame f;
      REQUIRE(open_telemetry_frame(std::span<const uint8_t>(buf).first(n), f) == TelemetryStatus::kOk);
      const DecodeResult r = decoder.on_frame(kNode, f);
      const bool snapshot = encoder.last_was_snapshot();
      REQUIRE(r.outcome == (snapshot ? DecodeOutcome::kSnapshot : DecodeOutcome::kDelta));
      (snapshot ? snapshot_bytes : delta_bytes) += n;
      ++(snapshot ? snapshots : deltas);
      ref.apply(truth, snapshot, config.deadband);
      REQUIRE(r.slot->stream.metrics == ref.held);
      REQUIRE(encoder.mirror().metrics == ref.held);
      check_fidelity(r.slot->stream.metrics, truth, config.deadband);
    }
  }
  std::printf("telemetry 2C vs reference: %zu snapshots (%.1f B avg), %zu deltas (%.1f B avg), random deadbands\n",
              snapshots, double(snapshot_bytes) / double(snapshots), deltas, double(delta_bytes) / double(deltas));
}

TEST_CASE("telemetry 2C: a lost message is detected and healed by a snapshot", "[telemetry][delta]") {
  const uint32_t seed = meshota::test::telemetry_seed("delta loss");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  DeltaConfig config;
  config.snapshot_every_reports = 0;  // only requests heal
  SyntheticNode node(Dynamics{}, seed);
  DeltaEncoder encoder(config);
  std::vector<DecoderSlot> storage(4);
  DeltaDecoder decoder(storage);
  Bytes buf(kTelemetryMaxFrameBytes);
  int lost = 0, gaps = 0, requests = 0, healed = 0;
  bool broken = false;
  for (int report = 0; report < 2000; ++report) {
    CAPTURE(report);
    const NodeMetrics truth = node.step();
    const size_t n = encoder.encode(truth, 30, buf);
    REQUIRE(n > 0);
    if (report > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < 0.05) {
      ++lost;
      broken = true;
      continue;
    }
    TelemetryFrame f;
    REQUIRE(open_telemetry_frame(std::span<const uint8_t>(buf).first(n), f) == TelemetryStatus::kOk);
    const DecodeResult r = decoder.on_frame(kNode, f);
    if (r.outcome == DecodeOutcome::kNeedSnapshot) {
      REQUIRE(broken);
      gaps += r.reason == SnapshotReason::kGap;
      ++requests;
      encoder.request_snapshot();  // the SNAPSHOT_REQUEST reaches the node
      continue;
    }
    if (broken) {
      // Nothing but a snapshot is applied after a loss, and it brings back the exact state.
      REQUIRE(r.outcome == DecodeOutcome::kSnapshot);
      REQUIRE(r.slot->stream.metrics == encoder.mirror().metrics);
      ++healed;
      broken = false;
    }
    REQUIRE(r.slot->stream.metrics == encoder.mirror().metrics);
  }
  std::printf("telemetry 2C loss: %d of 2000 reports lost, %d gaps seen, %d snapshot requests, %d heals\n", lost,
              gaps, requests, healed);
  CHECK(gaps > 0);
  CHECK(healed > 0);
}

TEST_CASE("telemetry 2C: snapshots come at the configured period and on request", "[telemetry][delta]") {
  for (uint16_t every : {uint16_t{0}, uint16_t{1}, uint16_t{10}}) {
    CAPTURE(every);
    DeltaConfig c;
    c.snapshot_every_reports = every;
    DeltaEncoder e(c);
    SyntheticNode node(Dynamics{}, 1);
    Bytes buf(kTelemetryMaxFrameBytes);
    std::string kinds;
    for (int i = 0; i < 25; ++i) {
      if (i == 14) e.request_snapshot();
      REQUIRE(e.encode(node.step(), 30, buf) > 0);
      kinds += e.last_was_snapshot() ? 'S' : 'd';
    }
    if (every == 0) CHECK(kinds == "Sddddddddddddd" "Sdddddddddd");
    if (every == 1) CHECK(kinds == std::string(25, 'S'));
    // Every 10th report; the request at 14 starts a new period.
    if (every == 10) CHECK(kinds == "Sddddddddd" "Sddd" "Sddddddddd" "S");
  }
  // A changed report interval forces a snapshot (the root's offline timer depends on it).
  DeltaEncoder e(DeltaConfig{});
  Bytes buf(kTelemetryMaxFrameBytes);
  e.encode(meshota::test::sample_metrics(), 30, buf);
  e.encode(meshota::test::sample_metrics(), 30, buf);
  CHECK_FALSE(e.last_was_snapshot());
  e.encode(meshota::test::sample_metrics(), 10, buf);
  CHECK(e.last_was_snapshot());
  e.reset();  // a reboot
  e.encode(meshota::test::sample_metrics(), 10, buf);
  CHECK(e.last_was_snapshot());
}

TEST_CASE("telemetry 2C: sequence numbers wrap; repeats, gaps and a root without state are told apart",
          "[telemetry][delta]") {
  DeltaEncoder e(DeltaConfig{});
  std::vector<DecoderSlot> storage(2);
  DeltaDecoder d(storage);
  SyntheticNode node(Dynamics{}, 2);
  Bytes buf(kTelemetryMaxFrameBytes);
  Bytes last;
  for (int i = 0; i < 600; ++i) {
    const size_t n = e.encode(node.step(), 30, buf);
    last.assign(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    TelemetryFrame f;
    REQUIRE(open_telemetry_frame(last, f) == TelemetryStatus::kOk);
    CHECK(f.seq == static_cast<uint8_t>(i));
    const auto outcome = d.on_frame(kNode, f).outcome;
    REQUIRE((outcome == DecodeOutcome::kDelta || outcome == DecodeOutcome::kSnapshot));
  }
  CHECK(d.find(kNode)->gaps == 0);
  TelemetryFrame f;
  REQUIRE(open_telemetry_frame(last, f) == TelemetryStatus::kOk);
  CHECK(d.on_frame(kNode, f).outcome == DecodeOutcome::kDuplicate);
  CHECK(d.find(kNode)->stream.metrics == e.mirror().metrics);
  // A root that restarted holds nothing: deltas ask for a snapshot.
  std::vector<DecoderSlot> fresh(2);
  DeltaDecoder restarted(fresh);
  const DecodeResult r = restarted.on_frame(kNode, f);
  CHECK(r.outcome == DecodeOutcome::kNeedSnapshot);
  CHECK(r.reason == SnapshotReason::kNoBase);
  // A full table refuses new nodes, keeps the old.
  std::vector<DecoderSlot> one(1);
  DeltaDecoder tiny(one);
  REQUIRE(open_telemetry_frame(last, f) == TelemetryStatus::kOk);
  CHECK(tiny.on_frame(1, f).outcome == DecodeOutcome::kNeedSnapshot);
  CHECK(tiny.on_frame(2, f).outcome == DecodeOutcome::kTableFull);
}

TEST_CASE("telemetry 2C: neighbours keep their slots whatever order the source lists them in",
          "[telemetry][delta]") {
  NodeMetrics a = meshota::test::sample_metrics();
  a.neighbour_count = 4;
  for (uint32_t i = 0; i < 4; ++i) a.neighbours[i] = NeighbourLink{10 + i, static_cast<int8_t>(-60 - int(i)), 5, kLossUnmeasured, 0, kRttUnmeasured};
  NodeMetrics b = a;
  std::reverse(b.neighbours.begin(), b.neighbours.begin() + 4);
  align_neighbours(a, b);
  CHECK(b.neighbours == a.neighbours);
  // One leaves, one arrives: the newcomer takes the free slot; only that slot changes.
  NodeMetrics c = a;
  c.neighbours[1] = NeighbourLink{99, -70, 5, kLossUnmeasured, 0, kRttUnmeasured};
  std::swap(c.neighbours[0], c.neighbours[3]);
  align_neighbours(a, c);
  CHECK(c.neighbours[0].id == 10);
  CHECK(c.neighbours[1].id == 99);
  CHECK(c.neighbours[2].id == 12);
  CHECK(c.neighbours[3].id == 13);
  DeltaConfig cfg;
  DeltaEncoder e(cfg);
  Bytes buf(kTelemetryMaxFrameBytes);
  e.encode(a, 30, buf);
  const size_t same = e.encode(b, 30, buf);
  CHECK(same == kTelemetryOverheadBytes + 1);  // nothing changed: an empty mask
}
