// meshota's binary telemetry frames: every message type round-trips with
// boundary values; every truncation and every single-bit flip of every type
// is refused (run under ASan: no read outside the exact-size input); random
// bytes, even behind a valid header and CRC, never crash and never decode to
// a value out of range; varints are canonical.

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "meshota/core/telemetry/codec/delta_encoder.hpp"
#include "meshota/core/telemetry/codec/enhanced_status.hpp"
#include "meshota/core/telemetry/codec/metrics_codec.hpp"
#include "meshota/core/telemetry/codec/stream_state.hpp"
#include "telemetry_test_util.hpp"

using namespace meshota::core;
using meshota::test::Bytes;
using meshota::test::sample_metrics;

namespace {

template <typename Fn>
Bytes frame(Fn&& encode) {
  Bytes b(kTelemetryMaxFrameBytes);
  b.resize(encode(std::span<uint8_t>(b)));
  return b;
}

/// Every field at the top of its range, a 31-byte version, 8 neighbours.
NodeMetrics extreme_metrics() {
  NodeMetrics m;
  m.uptime_s = m.boot_count = m.free_heap_bytes = m.min_free_heap_bytes = UINT32_MAX;
  m.msgs_sent = m.msgs_received = m.msgs_dropped = UINT32_MAX;
  m.reset_reason = ResetReason::kDeepSleep;
  m.parent_id = UINT32_MAX;
  m.hop_count = 0xFE;
  m.queue_depth = 0xFFFF;
  m.airtime_permille = kPermilleMax;
  m.throughput_bps = UINT32_MAX - 1;  // the largest measured value
  m.known_nodes = 0xFFFF;
  m.direct_links = 0xFF;
  m.update_state = UpdateState::kFailed;
  m.update_progress_permille = kPermilleMax;
  m.fw_version.assign(std::string(kFwVersionMaxBytes, 'v'));
  m.image_hash_prefix = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  m.neighbour_count = kMaxNeighbours;
  for (size_t i = 0; i < kMaxNeighbours; ++i)
    m.neighbours[i] = NeighbourLink{static_cast<NodeId>(0xFFFFFFF0u + i), INT8_MAX, INT8_MIN + 1, 100, 0xff, 0xFFFE};
  return m;
}

/// A DELTA from `base` to `next`, and the state it applies to.
struct DeltaSample {
  StreamState base;
  Bytes frame;
};

DeltaSample delta_between(const NodeMetrics& base, const NodeMetrics& next) {
  DeltaConfig c;
  c.snapshot_every_reports = 0;
  DeltaEncoder e(c);
  Bytes b(kTelemetryMaxFrameBytes);
  REQUIRE(e.encode(base, 30, b) > 0);
  DeltaSample s{e.mirror(), {}};
  b.resize(e.encode(next, 30, b));
  REQUIRE(!e.last_was_snapshot());
  s.frame = b;
  return s;
}

/// Tries every decoder (a delta against `base`); true when any accepted the bytes.
bool any_decoder_accepts(const Bytes& b, const StreamState& base) {
  TelemetryFrame f;
  if (open_telemetry_frame(b, f) != TelemetryStatus::kOk) return false;
  Snapshot snap;
  StatusResponse resp;
  SnapshotRequest sreq;
  StatusRequest qreq;
  EnhancedStatus es;
  StreamState s = base;
  return decode_snapshot(f, snap) == TelemetryStatus::kOk || decode_status_response(f, resp) == TelemetryStatus::kOk ||
         decode_snapshot_request(f, sreq) == TelemetryStatus::kOk ||
         decode_status_request(f, qreq) == TelemetryStatus::kOk ||
         decode_enhanced_status_binary(f, es) == TelemetryStatus::kOk || apply_delta(s, f) == TelemetryStatus::kOk;
}

struct Sample {
  std::string name;
  Bytes frame;
  StreamState base;
};

std::vector<Sample> samples() {
  std::vector<Sample> s;
  const NodeMetrics m = sample_metrics();
  s.push_back({"snapshot", frame([&](auto out) { return encode_snapshot({30, m}, 7, out); }), {}});
  s.push_back({"snapshot-extreme", frame([&](auto out) { return encode_snapshot({0xFFFF, extreme_metrics()}, 255, out); }), {}});
  NodeMetrics next = m;
  next.msgs_received += 9;
  next.free_heap_bytes -= 4000;
  next.neighbours[1].rssi_dbm = -80;
  next.fw_version.assign("1.2.4");
  const DeltaSample d = delta_between(m, next);
  s.push_back({"delta", d.frame, d.base});
  const DeltaSample full = delta_between(NodeMetrics{}, extreme_metrics());
  s.push_back({"delta-everything", full.frame, full.base});
  s.push_back({"snapshot-request", frame([](auto out) { return encode_snapshot_request({SnapshotReason::kGap, 41}, 3, out); }), {}});
  s.push_back({"status-request", frame([](auto out) { return encode_status_request({UINT32_MAX}, 0, out); }), {}});
  s.push_back({"status-response", frame([&](auto out) { return encode_status_response({77, extreme_metrics()}, 9, out); }), {}});
  EnhancedStatus es = make_enhanced_status(m, 1234567890);
  es.last_err.assign("reset: watchdog");
  s.push_back({"enhanced", frame([&](auto out) { return encode_enhanced_status_binary(es, 1, out); }), {}});
  return s;
}

}  // namespace

TEST_CASE("telemetry wire: frame header, CRC and size bounds", "[telemetry][wire]") {
  const Bytes b = frame([](auto out) { return encode_snapshot_request({SnapshotReason::kNoBase, 200}, 17, out); });
  REQUIRE(b.size() == kTelemetryOverheadBytes + 2);
  CHECK(b[0] == (0xE0 | static_cast<uint8_t>(TelemetryType::kSnapshotRequest)));  // magic and type in one byte
  CHECK(b[1] == 17);
  TelemetryFrame f;
  REQUIRE(open_telemetry_frame(b, f) == TelemetryStatus::kOk);
  CHECK(f.seq == 17);
  CHECK(f.body.size() == 2);
  // painlessMesh JSON and OTA frames are not telemetry.
  const std::string json = R"({"type":8})";
  CHECK(open_telemetry_frame(Bytes(json.begin(), json.end()), f) == TelemetryStatus::kBadMagic);
  CHECK(open_telemetry_frame(Bytes{0xD1, 1, 0, 0, 0}, f) == TelemetryStatus::kBadMagic);
  CHECK(open_telemetry_frame(Bytes{0xE9, 1, 0, 0, 0}, f) == TelemetryStatus::kBadVersion);  // a later version's header
  CHECK(open_telemetry_frame(Bytes{0xE1, 1, 0}, f) == TelemetryStatus::kTruncated);
  for (const uint8_t code : {uint8_t{0xE0}, uint8_t{0xE7}}) {
    Bytes unknown = {code, 9, 0, 0};
    meshota::test::reseal(unknown);
    CHECK(open_telemetry_frame(unknown, f) == TelemetryStatus::kUnknownType);
  }
  // Buffers too small are refused with size 0, never overrun.
  Bytes small(kMaxSnapshotBytes - 1);
  CHECK(encode_snapshot({0xFFFF, extreme_metrics()}, 0, small) == 0);
  Bytes exact(kMaxSnapshotBytes);
  CHECK(encode_snapshot({0xFFFF, extreme_metrics()}, 0, exact) == kMaxSnapshotBytes);
  Bytes big(kTelemetryMaxFrameBytes);
  CHECK(encode_status_response({UINT32_MAX, extreme_metrics()}, 0, big) == kMaxStatusResponseBytes);
}

TEST_CASE("telemetry wire: every message type round-trips", "[telemetry][wire]") {
  for (const NodeMetrics& m : {sample_metrics(), extreme_metrics(), NodeMetrics{}}) {
    TelemetryFrame f;
    Bytes b = frame([&](auto out) { return encode_snapshot({30, m}, 200, out); });
    REQUIRE(open_telemetry_frame(b, f) == TelemetryStatus::kOk);
    Snapshot snap;
    REQUIRE(decode_snapshot(f, snap) == TelemetryStatus::kOk);
    CHECK(snap.metrics == m);
    CHECK(snap.report_interval_s == 30);
    CHECK(f.seq == 200);
    b = frame([&](auto out) { return encode_status_response({4000000000u, m}, 5, out); });
    REQUIRE(open_telemetry_frame(b, f) == TelemetryStatus::kOk);
    StatusResponse resp;
    REQUIRE(decode_status_response(f, resp) == TelemetryStatus::kOk);
    CHECK(resp.request_id == 4000000000u);
    CHECK(resp.metrics == m);
    CHECK(decode_snapshot(f, snap) == TelemetryStatus::kWrongType);
  }
  TelemetryFrame f;
  Bytes b = frame([](auto out) { return encode_snapshot_request({SnapshotReason::kOperator, 255}, 1, out); });
  REQUIRE(open_telemetry_frame(b, f) == TelemetryStatus::kOk);
  SnapshotRequest sr;
  REQUIRE(decode_snapshot_request(f, sr) == TelemetryStatus::kOk);
  CHECK(sr.reason == SnapshotReason::kOperator);
  CHECK(sr.last_seq == 255);
  b = frame([](auto out) { return encode_status_request({123456}, 2, out); });
  REQUIRE(open_telemetry_frame(b, f) == TelemetryStatus::kOk);
  StatusRequest qr;
  REQUIRE(decode_status_request(f, qr) == TelemetryStatus::kOk);
  CHECK(qr.request_id == 123456);
  CHECK(decode_snapshot_request(f, sr) == TelemetryStatus::kWrongType);
}

TEST_CASE("telemetry wire: every truncation and every single-bit flip is refused", "[telemetry][wire]") {
  for (const Sample& s : samples()) {
    CAPTURE(s.name, s.frame.size());
    REQUIRE(!s.frame.empty());
    REQUIRE(any_decoder_accepts(s.frame, s.base));
    for (size_t n = 0; n < s.frame.size(); ++n) {
      CAPTURE(n);
      // An exact-size copy, so ASan catches any read past the end.
      const Bytes cut(s.frame.begin(), s.frame.begin() + static_cast<std::ptrdiff_t>(n));
      CHECK_FALSE(any_decoder_accepts(cut, s.base));
    }
    for (size_t bit = 0; bit < s.frame.size() * 8; ++bit) {
      CAPTURE(bit);
      Bytes flipped = s.frame;
      flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      CHECK_FALSE(any_decoder_accepts(flipped, s.base));
    }
  }
}

TEST_CASE("telemetry wire: a truncated body is refused even when its CRC happens to match", "[telemetry][wire]") {
  // Bodies are self-delimiting: cut anywhere and re-sealed, the decoder runs out or finds bytes left.
  for (const Sample& s : samples()) {
    CAPTURE(s.name);
    for (size_t n = kTelemetryOverheadBytes; n < s.frame.size(); ++n) {
      Bytes cut(s.frame.begin(), s.frame.begin() + static_cast<std::ptrdiff_t>(n));
      meshota::test::reseal(cut);
      CAPTURE(n);
      CHECK_FALSE(any_decoder_accepts(cut, s.base));
    }
  }
}

TEST_CASE("telemetry wire: garbage never crashes and never decodes out of range", "[telemetry][wire]") {
  const uint32_t seed = meshota::test::telemetry_seed("wire garbage");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  const StreamState base = samples()[2].base;
  size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes b(std::uniform_int_distribution<size_t>(0, 260)(rng));
    for (auto& v : b) v = static_cast<uint8_t>(rng());
    if (b.size() >= kTelemetryOverheadBytes && i % 2 == 0) {
      // Half the inputs get a valid header and CRC, so the body decoders see them.
      b[0] = telemetry_header_byte(static_cast<TelemetryType>(1 + i % 6));
      meshota::test::reseal(b);
    }
    TelemetryFrame f;
    if (open_telemetry_frame(b, f) != TelemetryStatus::kOk) continue;
    Snapshot snap;
    if (decode_snapshot(f, snap) == TelemetryStatus::kOk) {
      ++accepted;
      NodeMetrics normal = snap.metrics;
      normal.normalize();
      CHECK(normal == snap.metrics);
    }
    StreamState s = base;
    if (apply_delta(s, f) == TelemetryStatus::kOk) {
      ++accepted;
      NodeMetrics normal = s.metrics;
      normal.normalize();
      CHECK(normal == s.metrics);
    }
    StatusResponse resp;
    EnhancedStatus es;
    SnapshotRequest sr;
    StatusRequest qr;
    accepted += decode_status_response(f, resp) == TelemetryStatus::kOk;
    accepted += decode_enhanced_status_binary(f, es) == TelemetryStatus::kOk;
    accepted += decode_snapshot_request(f, sr) == TelemetryStatus::kOk;
    accepted += decode_status_request(f, qr) == TelemetryStatus::kOk;
  }
  std::printf("telemetry: garbage frames that decoded (valid by chance): %zu of 20000\n", accepted);
}

TEST_CASE("telemetry wire: varints are LEB128, canonical and bounded", "[telemetry][wire]") {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128}, uint64_t{16383}, uint64_t{16384},
                     uint64_t{UINT32_MAX}, UINT64_MAX}) {
    Bytes b(10);
    VarWriter w(b);
    w.varint(v);
    REQUIRE(w.ok());
    CHECK(w.size() == varint_size(v));
    VarReader r(std::span<const uint8_t>(b).first(w.size()));
    CHECK(r.varint() == v);
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{-64}, int64_t{63}, int64_t{-65}, INT64_MIN, INT64_MAX})
    CHECK(zigzag_decode(zigzag_encode(v)) == v);
  CHECK(zigzag_encode(-64) == 127);  // one byte holds -64..63
  const Bytes overlong = {0x80, 0x00};
  VarReader r1(overlong);
  r1.varint();
  CHECK_FALSE(r1.ok());
  const Bytes too_wide = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  VarReader r2(too_wide);
  r2.varint();
  CHECK_FALSE(r2.ok());
  const Bytes big = {0x80, 0x02};  // 256
  VarReader r3(big);
  CHECK(r3.varint(255) == 0);
  CHECK_FALSE(r3.ok());
  CHECK_FALSE(r3.truncated());
  const Bytes cut = {0x80};
  VarReader r4(cut);
  r4.varint();
  CHECK(r4.truncated());
}
