#include "meshota/core/telemetry/telemetry_collector.hpp"

#include "meshota/core/telemetry/codec/metrics_codec.hpp"

namespace meshota::core {

TelemetryCollector::TelemetryCollector(const TelemetryCollectorConfig& config, const MessageOut& out,
                                       std::span<DecoderSlot> decoder, std::span<NodeStatus> status,
                                       std::span<HealthSlot> health, CollectorListener* listener)
    : config_(config), out_(out), decoder_(decoder), status_(config.status, status), health_(health),
      listener_(listener) {}

const Alert& TelemetryCollector::alert(size_t i) const {
  const size_t first = alerts_seen_ < kAlertLog ? 0 : alerts_seen_ % kAlertLog;
  return alerts_[(first + i) % kAlertLog];
}

void TelemetryCollector::emit(const Alert& a) {
  alerts_[alerts_seen_ % kAlertLog] = a;
  ++alerts_seen_;
  if (a.raised) ++stats_.alerts_raised;
  else ++stats_.alerts_cleared;
  status_.set_alert(a.node, a.metric, a.raised);
  if (listener_ != nullptr) listener_->on_alert(a);
}

void TelemetryCollector::heard(Instant now, NodeId from, uint32_t interval_ms) {
  status_.heard(now, from);
  HealthSlot* h = health_.insert(from);
  if (h == nullptr) return;
  const Instant last = h->offline.last_heard();
  if (h->offline.heard(now, interval_ms) == AlarmEdge::kClear)
    emit(Alert{from, AlertMetric::kOffline, false, static_cast<float>((now - last).us) / 1e6f,
               static_cast<float>(h->offline.timeout(config_.detectors.offline).us) / 1e6f, now});
  next_offline_check_ = earliest(next_offline_check_, h->offline.deadline(config_.detectors.offline));
}

void TelemetryCollector::on_report(Instant now, NodeId from, const DecoderSlot& slot, bool snapshot) {
  const StreamState& s = slot.stream;
  heard(now, from, uint32_t{s.report_interval_s} * 1000u);
  status_.update(now, from, s.metrics, s.report_interval_s);
  if (HealthSlot* h = health_.insert(from)) {
    HealthEvent events[kMaxHealthEvents];
    const size_t n = run_health(*h, now, s.metrics, s.report_interval_s, config_.detectors, events);
    for (size_t i = 0; i < n; ++i)
      emit(Alert{from, events[i].metric, events[i].raised, events[i].value, events[i].threshold, now});
  }
  if (listener_ != nullptr) listener_->on_report(now, from, s.metrics, snapshot);
}

bool TelemetryCollector::send_snapshot_request(Instant now, DecoderSlot& slot, SnapshotReason reason, Outbox& out) {
  if (slot.last_request_at.us != INT64_MIN && now - slot.last_request_at < config_.snapshot_request_backoff)
    return false;
  const size_t n = encode_snapshot_request(SnapshotRequest{reason, slot.stream.last_seq}, seq_++, frame_);
  if (n == 0 || !out_.send(out, slot.id, config_.routing, std::span<const uint8_t>(frame_, n))) {
    ++stats_.send_failures;
    return false;
  }
  slot.last_request_at = now;
  ++stats_.snapshot_requests;
  return true;
}

bool TelemetryCollector::request_snapshot(Instant now, NodeId node, Outbox& out) {
  DecoderSlot* slot = decoder_.find(node);
  if (slot == nullptr) return false;
  slot->last_request_at = Instant{INT64_MIN};
  return send_snapshot_request(now, *slot, SnapshotReason::kOperator, out);
}

void TelemetryCollector::on_telemetry(Instant now, NodeId from, const TelemetryFrame& f, Outbox& out) {
  if (f.type == TelemetryType::kSnapshot || f.type == TelemetryType::kDelta) {
    const DecodeResult r = decoder_.on_frame(from, f);
    switch (r.outcome) {
      case DecodeOutcome::kSnapshot: ++stats_.snapshots; on_report(now, from, *r.slot, true); break;
      case DecodeOutcome::kDelta: ++stats_.deltas; on_report(now, from, *r.slot, false); break;
      case DecodeOutcome::kDuplicate: ++stats_.duplicates; heard(now, from, 0); break;
      case DecodeOutcome::kNeedSnapshot:
        ++stats_.not_applied;
        heard(now, from, 0);
        send_snapshot_request(now, *r.slot, r.reason, out);
        break;
      case DecodeOutcome::kTableFull: ++stats_.table_full; break;
      case DecodeOutcome::kNotReport: break;
    }
  } else if (f.type == TelemetryType::kStatusResponse) {
    StatusResponse resp;
    if (decode_status_response(f, resp) != TelemetryStatus::kOk) {
      ++stats_.bad_frames;
      return;
    }
    ++stats_.status_responses;
    heard(now, from, 0);
    const bool counted = status_.on_response(now, from, resp.request_id, resp.metrics);
    if (listener_ != nullptr) listener_->on_status_response(now, from, resp.metrics, counted);
    if (!status_.aggregation().running && counted && listener_ != nullptr)
      listener_->on_aggregation_done(now, status_.aggregation());
  } else if (f.type == TelemetryType::kEnhancedStatus) {
    EnhancedStatus s;
    s.from = from;
    if (decode_enhanced_status_binary(f, s) != TelemetryStatus::kOk) {
      ++stats_.bad_frames;
      return;
    }
    ++stats_.enhanced;
    heard(now, from, 0);
    if (listener_ != nullptr) listener_->on_enhanced_status(now, s);
  }
}

void TelemetryCollector::on_message(Instant now, NodeId from, std::span<const uint8_t> message, Outbox& out) {
  if (!looks_like_telemetry(message)) return;
  ++stats_.frames;
  TelemetryFrame f;
  if (open_telemetry_frame(message, f) != TelemetryStatus::kOk) {
    ++stats_.bad_frames;
    return;
  }
  on_telemetry(now, from, f, out);
}

void TelemetryCollector::on_package(Instant now, const JsonReader& json, int type, Outbox&) {
  if (type != static_cast<int>(PmType::kBroadcast)) return;
  EnhancedStatus s;
  if (decode_enhanced_status_broadcast(json, json_scratch_, s, config_.enhanced_type) != PmDecodeStatus::kOk)
    return;
  ++stats_.enhanced;
  heard(now, s.from, 0);
  if (listener_ != nullptr) listener_->on_enhanced_status(now, s);
}

uint32_t TelemetryCollector::begin_aggregation(Instant now, const StatusFilter& targets) {
  const uint32_t id = status_.begin_aggregation(now, targets);
  if (id != 0) next_request_at_ = now;
  return id;
}

Instant TelemetryCollector::send_status_requests(Instant now, Outbox& out) {
  if (now < next_request_at_) return next_request_at_;
  NodeId node = 0;
  uint32_t id = 0;
  for (uint16_t i = 0; i < config_.requests_per_poll; ++i) {
    if (!status_.next_request(node, id)) {
      next_request_at_ = Instant::never();
      return next_request_at_;
    }
    const size_t n = encode_status_request(StatusRequest{id}, seq_++, frame_);
    if (n != 0 && out_.send(out, node, config_.routing, std::span<const uint8_t>(frame_, n))) ++stats_.status_requests;
    else ++stats_.send_failures;
  }
  next_request_at_ = now + config_.request_spacing;
  return next_request_at_;
}

void TelemetryCollector::check_offline(Instant now) {
  if (now < next_offline_check_) return;
  // Deadlines only move later when frames arrive, so the earliest one found here stays a lower bound.
  Instant next = Instant::never();
  const OfflineConfig& c = config_.detectors.offline;
  for (HealthSlot& h : health_.slots()) {
    if (h.id == 0) continue;
    const Instant last = h.offline.last_heard();
    if (h.offline.check(now, c) == AlarmEdge::kRaise)
      emit(Alert{h.id, AlertMetric::kOffline, true, static_cast<float>((now - last).us) / 1e6f,
                 static_cast<float>(h.offline.timeout(c).us) / 1e6f, now});
    next = earliest(next, h.offline.deadline(c));
  }
  next_offline_check_ = next;
}

Instant TelemetryCollector::poll(Instant now, Outbox& out) {
  check_offline(now);
  if (status_.poll(now) && listener_ != nullptr) listener_->on_aggregation_done(now, status_.aggregation());
  Instant next = earliest(next_offline_check_, status_.deadline());
  if (status_.aggregation().running) next = earliest(next, send_status_requests(now, out));
  return next;
}

}  // namespace meshota::core
