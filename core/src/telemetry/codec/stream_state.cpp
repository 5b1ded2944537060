#include "meshota/core/telemetry/codec/stream_state.hpp"

#include "meshota/core/telemetry/codec/metrics_codec.hpp"

namespace meshota::core {
namespace {

bool set_field(NodeMetrics& m, MetricField f, int64_t v) {
  if (v < 0 || v > field_max(f)) return false;
  const auto u32 = static_cast<uint32_t>(v);
  const auto u16 = static_cast<uint16_t>(v);
  const auto u8 = static_cast<uint8_t>(v);
  switch (f) {
    case MetricField::kMsgsReceived: m.msgs_received = u32; break;
    case MetricField::kMsgsSent: m.msgs_sent = u32; break;
    case MetricField::kFreeHeap: m.free_heap_bytes = u32; break;
    case MetricField::kQueueDepth: m.queue_depth = u16; break;
    case MetricField::kAirtime: m.airtime_permille = u16; break;
    case MetricField::kThroughput: m.throughput_bps = u32; break;
    case MetricField::kMsgsDropped: m.msgs_dropped = u32; break;
    case MetricField::kUptime: m.uptime_s = u32; break;
    case MetricField::kMinFreeHeap: m.min_free_heap_bytes = u32; break;
    case MetricField::kKnownNodes: m.known_nodes = u16; break;
    case MetricField::kDirectLinks: m.direct_links = u8; break;
    case MetricField::kParentId: m.parent_id = u32; break;
    case MetricField::kHopCount: m.hop_count = u8; break;
    case MetricField::kUpdateState: m.update_state = static_cast<UpdateState>(u8); break;
    case MetricField::kUpdateProgress: m.update_progress_permille = u16; break;
    case MetricField::kBootCount: m.boot_count = u32; break;
    case MetricField::kResetReason: m.reset_reason = static_cast<ResetReason>(u8); break;
    default: return false;
  }
  return true;
}

// One neighbour entry's changes, applied to the slot's previous entry when the id stays.
void read_link(VarReader& r, NeighbourLink& n) {
  const uint8_t bits = r.u8();
  if (bits == 0 || (bits & ~kLinkAll) != 0) {
    r.fail();
    return;
  }
  if (bits & kLinkId) {
    // Another neighbour in this slot: it starts from a fresh entry, not from its predecessor's values.
    n = NeighbourLink{};
    n.id = r.u32();
  }
  if (bits & kLinkFlags) n.flags = r.u8();
  const int64_t rssi = (bits & kLinkRssi) ? n.rssi_dbm + r.svarint() : n.rssi_dbm;
  const int64_t snr = (bits & kLinkSnr) ? n.snr_db + r.svarint() : n.snr_db;
  const int64_t loss = (bits & kLinkLoss) ? n.loss_pct + r.svarint() : n.loss_pct;
  const int64_t rtt = (bits & kLinkRtt) ? n.rtt_ms + r.svarint() : n.rtt_ms;
  if (rssi < INT8_MIN || rssi > INT8_MAX || snr < INT8_MIN || snr > INT8_MAX || rtt < 0 || rtt > 0xFFFF ||
      loss < 0 || (loss > 100 && loss != kLossUnmeasured)) {
    r.fail();
    return;
  }
  n.rssi_dbm = static_cast<int8_t>(rssi);
  n.snr_db = static_cast<int8_t>(snr);
  n.loss_pct = static_cast<uint8_t>(loss);
  n.rtt_ms = static_cast<uint16_t>(rtt);
}

// Header varint: count in the low 4 bits, changed-slot mask above; slots past count are cleared.
void read_neighbours(VarReader& r, NodeMetrics& m) {
  const uint64_t header = r.varint(0xFFF);
  const auto count = static_cast<uint8_t>(header & 0x0F);
  const auto slots = static_cast<uint8_t>(header >> 4);
  if (!r.ok() || count > kMaxNeighbours || (count < 8 && (slots >> count) != 0)) {
    r.fail();
    return;
  }
  m.neighbour_count = count;
  for (size_t i = count; i < kMaxNeighbours; ++i) m.neighbours[i] = NeighbourLink{};
  for (size_t i = 0; i < count && r.ok(); ++i)
    if ((slots >> i) & 1) read_link(r, m.neighbours[i]);
}

void read_bytes_field(VarReader& r, NodeMetrics& m, MetricField f) {
  if (f == MetricField::kImageHash) {
    const auto hash = r.bytes(kImageHashPrefixBytes);
    for (size_t i = 0; i < hash.size(); ++i) m.image_hash_prefix[i] = hash[i];
    return;
  }
  const uint8_t len = r.u8();
  if (len > kFwVersionMaxBytes) r.fail();
  const auto text = r.bytes(r.ok() ? len : 0);
  m.fw_version.assign(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
}

void read_field(VarReader& r, StreamState& s, MetricField f, bool present) {
  NodeMetrics& m = s.metrics;
  const int c = counter_index(f);
  if (c >= 0) {
    // Counters run mod 2^32: a wrap is just another increment.
    const auto last = static_cast<uint32_t>(field_value(m, f));
    const int64_t diff = present ? r.svarint() : 0;
    if (diff < INT32_MIN || diff > INT32_MAX) r.fail();
    const uint32_t value = predicted_counter(s, f) + static_cast<uint32_t>(diff);
    s.increment_before[c] = s.increment[c];
    s.increment[c] = value - last;
    set_field(m, f, value);
    return;
  }
  if (!present) return;
  switch (field_kind(f)) {
    case FieldKind::kGauge:
      if (!set_field(m, f, field_value(m, f) + r.svarint())) r.fail();
      break;
    case FieldKind::kValue:
      if (!set_field(m, f, static_cast<int64_t>(r.varint(0xFF)))) r.fail();
      break;
    case FieldKind::kId: m.parent_id = r.u32(); break;
    case FieldKind::kBytes: read_bytes_field(r, m, f); break;
    case FieldKind::kTable: read_neighbours(r, m); break;
    default: r.fail(); break;
  }
}

}  // namespace

FieldKind field_kind(MetricField f) {
  switch (f) {
    case MetricField::kMsgsReceived:
    case MetricField::kMsgsSent:
    case MetricField::kMsgsDropped:
    case MetricField::kUptime: return FieldKind::kCounter;
    case MetricField::kParentId: return FieldKind::kId;
    case MetricField::kHopCount:
    case MetricField::kUpdateState:
    case MetricField::kResetReason: return FieldKind::kValue;
    case MetricField::kFwVersion:
    case MetricField::kImageHash: return FieldKind::kBytes;
    case MetricField::kNeighbours: return FieldKind::kTable;
    default: return FieldKind::kGauge;
  }
}

int64_t field_value(const NodeMetrics& m, MetricField f) {
  switch (f) {
    case MetricField::kMsgsReceived: return m.msgs_received;
    case MetricField::kMsgsSent: return m.msgs_sent;
    case MetricField::kFreeHeap: return m.free_heap_bytes;
    case MetricField::kQueueDepth: return m.queue_depth;
    case MetricField::kAirtime: return m.airtime_permille;
    case MetricField::kThroughput: return m.throughput_bps;
    case MetricField::kMsgsDropped: return m.msgs_dropped;
    case MetricField::kUptime: return m.uptime_s;
    case MetricField::kMinFreeHeap: return m.min_free_heap_bytes;
    case MetricField::kKnownNodes: return m.known_nodes;
    case MetricField::kDirectLinks: return m.direct_links;
    case MetricField::kParentId: return m.parent_id;
    case MetricField::kHopCount: return m.hop_count;
    case MetricField::kUpdateState: return static_cast<int64_t>(m.update_state);
    case MetricField::kUpdateProgress: return m.update_progress_permille;
    case MetricField::kBootCount: return m.boot_count;
    case MetricField::kResetReason: return static_cast<int64_t>(m.reset_reason);
    default: return 0;
  }
}

int64_t field_max(MetricField f) {
  switch (f) {
    case MetricField::kQueueDepth:
    case MetricField::kKnownNodes: return 0xFFFF;
    case MetricField::kAirtime:
    case MetricField::kUpdateProgress: return kPermilleMax;
    case MetricField::kDirectLinks:
    case MetricField::kHopCount: return 0xFF;
    case MetricField::kUpdateState: return kUpdateStateCount - 1;
    case MetricField::kResetReason: return kResetReasonCount - 1;
    default: return UINT32_MAX;
  }
}

int counter_index(MetricField f) {
  switch (f) {
    case MetricField::kMsgsReceived: return 0;
    case MetricField::kMsgsSent: return 1;
    case MetricField::kMsgsDropped: return 2;
    case MetricField::kUptime: return 3;
    default: return -1;
  }
}

uint32_t predicted_counter(const StreamState& s, MetricField f) {
  const int c = counter_index(f);
  const auto last = static_cast<uint32_t>(field_value(s.metrics, f));
  return c < 0 ? last : last + s.increment_before[static_cast<size_t>(c)];
}

TelemetryStatus apply_snapshot(StreamState& s, const TelemetryFrame& f) {
  Snapshot snap;
  const TelemetryStatus status = decode_snapshot(f, snap);
  if (status != TelemetryStatus::kOk) return status;
  s.metrics = snap.metrics;
  s.increment = {};
  s.increment_before = {};
  s.report_interval_s = snap.report_interval_s;
  s.last_seq = f.seq;
  s.has_base = true;
  return TelemetryStatus::kOk;
}

TelemetryStatus apply_delta(StreamState& s, const TelemetryFrame& f) {
  if (f.type != TelemetryType::kDelta || !s.has_base) return TelemetryStatus::kWrongType;
  StreamState next = s;
  VarReader r(f.body);
  const uint64_t mask = r.varint((uint64_t{1} << kMetricFieldCount) - 1);
  for (uint8_t i = 0; i < kMetricFieldCount && r.ok(); ++i)
    read_field(r, next, static_cast<MetricField>(i), ((mask >> i) & 1) != 0);
  const TelemetryStatus status = finish_body(r);
  if (status != TelemetryStatus::kOk) return status;
  next.last_seq = f.seq;
  s = next;
  return TelemetryStatus::kOk;
}

}  // namespace meshota::core
