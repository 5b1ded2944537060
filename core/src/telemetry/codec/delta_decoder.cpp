#include "meshota/core/telemetry/codec/delta_decoder.hpp"

namespace meshota::core {
namespace {

DecodeResult need_snapshot(DecoderSlot& slot, SnapshotReason reason, TelemetryStatus status) {
  slot.stream.has_base = false;
  return DecodeResult{DecodeOutcome::kNeedSnapshot, status, reason, &slot};
}

}  // namespace

DecodeResult DeltaDecoder::on_frame(NodeId from, const TelemetryFrame& frame) {
  if (frame.type != TelemetryType::kSnapshot && frame.type != TelemetryType::kDelta) return {};
  DecoderSlot* slot = table_.insert(from);
  if (slot == nullptr) return DecodeResult{DecodeOutcome::kTableFull, TelemetryStatus::kOk, SnapshotReason::kNoBase, nullptr};
  StreamState& s = slot->stream;
  if (frame.type == TelemetryType::kSnapshot) {
    const TelemetryStatus status = apply_snapshot(s, frame);
    if (status != TelemetryStatus::kOk) {
      ++slot->rejected;
      return need_snapshot(*slot, SnapshotReason::kRejected, status);
    }
    ++slot->snapshots;
    return DecodeResult{DecodeOutcome::kSnapshot, status, SnapshotReason::kNoBase, slot};
  }
  if (!s.has_base) return need_snapshot(*slot, SnapshotReason::kNoBase, TelemetryStatus::kOk);
  if (frame.seq == s.last_seq) {
    ++slot->duplicates;
    return DecodeResult{DecodeOutcome::kDuplicate, TelemetryStatus::kOk, SnapshotReason::kNoBase, slot};
  }
  if (frame.seq != static_cast<uint8_t>(s.last_seq + 1u)) {
    ++slot->gaps;
    return need_snapshot(*slot, SnapshotReason::kGap, TelemetryStatus::kOk);
  }
  const TelemetryStatus status = apply_delta(s, frame);
  if (status != TelemetryStatus::kOk) {
    ++slot->rejected;
    return need_snapshot(*slot, SnapshotReason::kRejected, status);
  }
  ++slot->deltas;
  return DecodeResult{DecodeOutcome::kDelta, status, SnapshotReason::kNoBase, slot};
}

}  // namespace meshota::core
