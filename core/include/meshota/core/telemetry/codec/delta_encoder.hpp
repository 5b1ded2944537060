#pragma once
// Report by exception (seed option 2C, Sparkplug B's rules): each report is a
// SNAPSHOT (every field) or a DELTA (a change mask plus the changed fields).
// Every message carries a sequence number (0-255, wrapping) so the root sees a
// gap and asks for a snapshot. A gauge counts as changed only when it moved at
// least its deadband away from what the root holds, which is the value last
// SENT, never the last sample: so the root's copy never drifts by a deadband
// or more, however slowly the true value creeps.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/telemetry/node_metrics.hpp"
#include "meshota/core/telemetry/codec/stream_state.hpp"

namespace meshota::core {

/// Smallest change of each gauge worth sending; 0 or 1 sends every change. Decoded values stay
/// within (deadband - 1) of the truth. Counters, ids, enums and strings are always exact.
struct Deadbands {
  uint32_t heap_bytes = 1024;         ///< free heap and its minimum: 1 KB, the 2A package's own unit
  uint16_t queue_depth = 2;
  uint16_t airtime_permille = 10;     ///< 1 % of airtime
  uint32_t throughput_bps = 128;
  uint16_t progress_permille = 10;    ///< 1 % of an update
  uint16_t known_nodes = 1;
  uint8_t direct_links = 1;
  uint8_t rssi_db = 2;                ///< neighbour RSSI
  uint8_t snr_db = 2;
  uint8_t loss_pct = 5;
  uint16_t rtt_ms = 10;
};

/// When reports are snapshots, and what counts as a change.
struct DeltaConfig {
  Deadbands deadband;
  /// Every Nth report is a snapshot (0: only the first after boot and on request). Recovery does
  /// not wait for it: every delta the root cannot apply (gap, no base, rejected) brings another
  /// SNAPSHOT_REQUEST, so a lost request or snapshot heals at the next report. It only bounds a
  /// divergence nothing detects (a loss of exactly 256k reports, a corruption the CRC missed).
  /// 720 = every 6 h at 30 s, ~8 B per node-hour (120, hourly, cost ~45 B).
  uint16_t snapshot_every_reports = 720;
};

/// Node side of 2C: turns samples into SNAPSHOT/DELTA frames and mirrors the root's state.
class DeltaEncoder {
 public:
  explicit DeltaEncoder(const DeltaConfig& config) : config_(config) {}

  /// After a (re)boot: the next report is a snapshot; the sequence number carries on.
  void reset() { mirror_.has_base = false; }
  /// The root asked (SNAPSHOT_REQUEST): the next report is a snapshot.
  void request_snapshot() { snapshot_due_ = true; }

  /// Encodes one report of `sample` into `out` (at least kMaxSnapshotBytes). Returns the frame
  /// size, 0 when `out` is too small (nothing changes then).
  size_t encode(const NodeMetrics& sample, uint16_t report_interval_s, std::span<uint8_t> out);

  /// What the root holds after the last report, if it received every one.
  const StreamState& mirror() const { return mirror_; }
  uint8_t last_seq() const { return static_cast<uint8_t>(next_seq_ - 1u); }
  bool last_was_snapshot() const { return last_was_snapshot_; }
  uint32_t snapshots() const { return snapshots_; }
  uint32_t deltas() const { return deltas_; }

 private:
  size_t encode_delta(const NodeMetrics& sample, uint8_t seq, std::span<uint8_t> out) const;
  bool changed(const NodeMetrics& sample, MetricField f) const;

  DeltaConfig config_;
  StreamState mirror_;
  uint8_t next_seq_ = 0;
  bool snapshot_due_ = false;
  bool last_was_snapshot_ = false;
  uint16_t since_snapshot_ = 0;
  uint32_t snapshots_ = 0;
  uint32_t deltas_ = 0;
};

/// Puts `sample`'s neighbours in the slots `previous` has them in (same id, same slot), new ones
/// in the free slots, so a stable neighbourhood costs no id changes whatever order the source lists.
void align_neighbours(const NodeMetrics& previous, NodeMetrics& sample);

/// Whether a gauge moved at least `deadband` from `held` (any move to or from `unmeasured` counts).
bool gauge_changed(int64_t value, int64_t held, uint32_t deadband, int64_t unmeasured);

/// Which fields of a neighbour entry (kLink* bits) differ from `held` under `deadband`.
uint8_t link_changes(const NeighbourLink& value, const NeighbourLink& held, const Deadbands& deadband);

}  // namespace meshota::core
