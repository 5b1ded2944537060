#pragma once
// Root side of 2C: one StreamState per node in caller storage (fixed
// capacity; the simulator sizes it for 10,000 nodes), applying each node's
// SNAPSHOT/DELTA frames. A delta whose sequence number is not the next one
// (a lost message), or that arrives with no base (the root restarted, or the
// node's snapshot was lost), cannot be applied: the decoder drops the base and
// answers "ask this node for a snapshot" until one arrives.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/telemetry/node_table.hpp"
#include "meshota/core/telemetry/codec/stream_state.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// One node's stream at the root, with counts for reports.
struct DecoderSlot {
  NodeId id = 0;
  StreamState stream;
  uint32_t snapshots = 0;
  uint32_t deltas = 0;
  uint32_t gaps = 0;           ///< deltas that skipped a sequence number
  uint32_t duplicates = 0;     ///< repeats of the last applied sequence number
  uint32_t rejected = 0;       ///< frames that did not decode against the state
  Instant last_request_at = Instant{INT64_MIN};  ///< last SNAPSHOT_REQUEST (the collector rate-limits)
};

/// What one frame did to a node's stream.
enum class DecodeOutcome : uint8_t {
  kSnapshot,       ///< a new base
  kDelta,          ///< applied to the base
  kDuplicate,      ///< the last sequence number again: ignored
  kNeedSnapshot,   ///< not applicable (gap, no base, or did not decode): ask for a snapshot
  kTableFull,      ///< a new node and no free slot
  kNotReport,      ///< not a SNAPSHOT or DELTA frame
};

/// The result of one frame: what happened and, when applied, the node's state.
struct DecodeResult {
  DecodeOutcome outcome = DecodeOutcome::kNotReport;
  TelemetryStatus status = TelemetryStatus::kOk;  ///< why a frame was refused
  SnapshotReason reason = SnapshotReason::kNoBase; ///< with kNeedSnapshot
  DecoderSlot* slot = nullptr;                     ///< the node's slot (null with kTableFull)
};

/// Per-node 2C decoding over caller storage.
class DeltaDecoder {
 public:
  explicit DeltaDecoder(std::span<DecoderSlot> storage) : table_(storage) {}

  /// Applies an intact SNAPSHOT or DELTA frame from `from` (the node that measured it).
  DecodeResult on_frame(NodeId from, const TelemetryFrame& frame);

  const DecoderSlot* find(NodeId id) const { return table_.find(id); }
  DecoderSlot* find(NodeId id) { return table_.find(id); }
  const NodeTable<DecoderSlot>& table() const { return table_; }

 private:
  NodeTable<DecoderSlot> table_;
};

}  // namespace meshota::core
