#include "meshota/core/telemetry/codec/delta_encoder.hpp"

#include "meshota/core/telemetry/codec/metrics_codec.hpp"

namespace meshota::core {
namespace {

constexpr int64_t kNoSentinel = INT64_MIN;

uint32_t gauge_deadband(const Deadbands& d, MetricField f) {
  switch (f) {
    case MetricField::kFreeHeap:
    case MetricField::kMinFreeHeap: return d.heap_bytes;
    case MetricField::kQueueDepth: return d.queue_depth;
    case MetricField::kAirtime: return d.airtime_permille;
    case MetricField::kThroughput: return d.throughput_bps;
    case MetricField::kUpdateProgress: return d.progress_permille;
    case MetricField::kKnownNodes: return d.known_nodes;
    case MetricField::kDirectLinks: return d.direct_links;
    default: return 0;  // boot count: exact
  }
}

void write_link(VarWriter& w, const NeighbourLink& n, const NeighbourLink& held, uint8_t bits) {
  w.u8(bits);
  if (bits & kLinkId) w.u32(n.id);
  if (bits & kLinkFlags) w.u8(n.flags);
  if (bits & kLinkRssi) w.svarint(int64_t{n.rssi_dbm} - held.rssi_dbm);
  if (bits & kLinkSnr) w.svarint(int64_t{n.snr_db} - held.snr_db);
  if (bits & kLinkLoss) w.svarint(int64_t{n.loss_pct} - held.loss_pct);
  if (bits & kLinkRtt) w.svarint(int64_t{n.rtt_ms} - held.rtt_ms);
}

// What the root holds for slot i as the base of this report's entry: the slot's entry when the
// same neighbour stays there, else a fresh entry (sent whole, id included).
NeighbourLink slot_base(const NodeMetrics& held, size_t i, NodeId id, bool& fresh) {
  fresh = !(i < held.neighbour_count && held.neighbours[i].id == id);
  return fresh ? NeighbourLink{} : held.neighbours[i];
}

uint8_t slot_changes(const NodeMetrics& m, const NodeMetrics& held, size_t i, const Deadbands& d) {
  bool fresh = false;
  const NeighbourLink base = slot_base(held, i, m.neighbours[i].id, fresh);
  const uint8_t bits = link_changes(m.neighbours[i], base, d);
  return fresh ? static_cast<uint8_t>(bits | kLinkId) : bits;
}

// The neighbour section: count and changed-slot mask in one varint, then each changed entry.
void write_neighbours(VarWriter& w, const NodeMetrics& m, const NodeMetrics& held, const Deadbands& d) {
  uint8_t bits[kMaxNeighbours] = {};
  uint32_t slots = 0;
  for (size_t i = 0; i < m.neighbour_count; ++i) {
    bits[i] = slot_changes(m, held, i, d);
    if (bits[i] != 0) slots |= 1u << i;
  }
  w.varint(m.neighbour_count | (slots << 4));
  for (size_t i = 0; i < m.neighbour_count; ++i) {
    bool fresh = false;
    const NeighbourLink base = slot_base(held, i, m.neighbours[i].id, fresh);
    if (bits[i] != 0) write_link(w, m.neighbours[i], base, bits[i]);
  }
}

bool neighbours_changed(const NodeMetrics& m, const NodeMetrics& held, const Deadbands& d) {
  if (m.neighbour_count != held.neighbour_count) return true;
  for (size_t i = 0; i < m.neighbour_count; ++i)
    if (slot_changes(m, held, i, d) != 0) return true;
  return false;
}

}  // namespace

bool gauge_changed(int64_t value, int64_t held, uint32_t deadband, int64_t unmeasured) {
  if (value == held) return false;
  if (value == unmeasured || held == unmeasured) return true;
  const int64_t diff = value > held ? value - held : held - value;
  return diff >= static_cast<int64_t>(deadband);
}

uint8_t link_changes(const NeighbourLink& value, const NeighbourLink& held, const Deadbands& d) {
  uint8_t bits = 0;
  if (value.id != held.id) bits |= kLinkId;
  if (value.flags != held.flags) bits |= kLinkFlags;
  if (gauge_changed(value.rssi_dbm, held.rssi_dbm, d.rssi_db, kRssiUnmeasured)) bits |= kLinkRssi;
  if (gauge_changed(value.snr_db, held.snr_db, d.snr_db, kSnrUnmeasured)) bits |= kLinkSnr;
  if (gauge_changed(value.loss_pct, held.loss_pct, d.loss_pct, kLossUnmeasured)) bits |= kLinkLoss;
  if (gauge_changed(value.rtt_ms, held.rtt_ms, d.rtt_ms, kRttUnmeasured)) bits |= kLinkRtt;
  return bits;
}

void align_neighbours(const NodeMetrics& previous, NodeMetrics& sample) {
  const size_t count = sample.neighbour_count;
  NeighbourLink placed[kMaxNeighbours] = {};
  bool filled[kMaxNeighbours] = {};
  bool used[kMaxNeighbours] = {};
  for (size_t slot = 0; slot < count && slot < previous.neighbour_count; ++slot)
    for (size_t j = 0; j < count; ++j)
      if (!used[j] && sample.neighbours[j].id == previous.neighbours[slot].id) {
        placed[slot] = sample.neighbours[j];
        filled[slot] = used[j] = true;
        break;
      }
  size_t next = 0;
  for (size_t slot = 0; slot < count; ++slot) {
    if (filled[slot]) continue;
    while (next < count && used[next]) ++next;
    if (next == count) break;
    placed[slot] = sample.neighbours[next];
    used[next] = true;
  }
  for (size_t i = 0; i < count; ++i) sample.neighbours[i] = placed[i];
}

bool DeltaEncoder::changed(const NodeMetrics& m, MetricField f) const {
  const NodeMetrics& held = mirror_.metrics;
  switch (field_kind(f)) {
    case FieldKind::kCounter: return static_cast<uint32_t>(field_value(m, f)) != predicted_counter(mirror_, f);
    case FieldKind::kGauge: {
      const int64_t unmeasured = f == MetricField::kThroughput ? int64_t{kThroughputUnmeasured} : kNoSentinel;
      return gauge_changed(field_value(m, f), field_value(held, f), gauge_deadband(config_.deadband, f), unmeasured);
    }
    case FieldKind::kValue:
    case FieldKind::kId: return field_value(m, f) != field_value(held, f);
    case FieldKind::kBytes:
      return f == MetricField::kImageHash ? m.image_hash_prefix != held.image_hash_prefix
                                          : !(m.fw_version == held.fw_version);
    case FieldKind::kTable: return neighbours_changed(m, held, config_.deadband);
  }
  return false;
}

size_t DeltaEncoder::encode_delta(const NodeMetrics& m, uint8_t seq, std::span<uint8_t> out) const {
  bool present[kMetricFieldCount] = {};
  uint32_t mask = 0;
  for (uint8_t i = 0; i < kMetricFieldCount; ++i)
    if ((present[i] = changed(m, static_cast<MetricField>(i)))) mask |= 1u << i;
  TelemetryFrameWriter frame(out, TelemetryType::kDelta, seq);
  VarWriter& w = frame.body();
  w.varint(mask);
  const NodeMetrics& held = mirror_.metrics;
  for (uint8_t i = 0; i < kMetricFieldCount; ++i) {
    if (!present[i]) continue;
    const auto f = static_cast<MetricField>(i);
    const int64_t value = field_value(m, f);
    switch (field_kind(f)) {
      case FieldKind::kCounter:
        w.svarint(static_cast<int32_t>(static_cast<uint32_t>(value) - predicted_counter(mirror_, f)));
        break;
      case FieldKind::kGauge: w.svarint(value - field_value(held, f)); break;
      case FieldKind::kValue: w.varint(static_cast<uint64_t>(value)); break;
      case FieldKind::kId: w.u32(m.parent_id); break;
      case FieldKind::kBytes:
        if (f == MetricField::kImageHash) {
          w.bytes(m.image_hash_prefix);
        } else {
          const std::string_view fw = m.fw_version.view();
          w.u8(static_cast<uint8_t>(fw.size()));
          w.bytes(std::span(reinterpret_cast<const uint8_t*>(fw.data()), fw.size()));
        }
        break;
      case FieldKind::kTable: write_neighbours(w, m, held, config_.deadband); break;
    }
  }
  return frame.seal();
}

size_t DeltaEncoder::encode(const NodeMetrics& input, uint16_t report_interval_s, std::span<uint8_t> out) {
  NodeMetrics sample = input;
  sample.normalize();
  if (mirror_.has_base) align_neighbours(mirror_.metrics, sample);
  const uint8_t seq = next_seq_;
  const bool periodic = config_.snapshot_every_reports != 0 && since_snapshot_ + 1u >= config_.snapshot_every_reports;
  const bool snapshot = !mirror_.has_base || snapshot_due_ || periodic || report_interval_s != mirror_.report_interval_s;
  const size_t n = snapshot ? encode_snapshot(Snapshot{report_interval_s, sample}, seq, out)
                            : encode_delta(sample, seq, out);
  if (n == 0) return 0;
  // Mirror the root by running its own decoder on the frame just written.
  TelemetryFrame frame;
  TelemetryStatus status = open_telemetry_frame(out.first(n), frame);
  if (status == TelemetryStatus::kOk)
    status = snapshot ? apply_snapshot(mirror_, frame) : apply_delta(mirror_, frame);
  if (status != TelemetryStatus::kOk) {
    mirror_.has_base = false;  // cannot happen with a normalized sample; the next report resyncs
    return 0;
  }
  ++next_seq_;
  last_was_snapshot_ = snapshot;
  if (snapshot) {
    ++snapshots_;
    since_snapshot_ = 0;
    snapshot_due_ = false;
  } else {
    ++deltas_;
    ++since_snapshot_;
  }
  return n;
}

}  // namespace meshota::core
