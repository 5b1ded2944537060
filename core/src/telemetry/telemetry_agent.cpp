#include "meshota/core/telemetry/telemetry_agent.hpp"

#include "meshota/core/telemetry/codec/metrics_codec.hpp"

namespace meshota::core {

TelemetryAgent::TelemetryAgent(const TelemetryAgentConfig& config, MetricsSource& source, const MessageOut& out,
                               Rng& rng)
    : config_(config), source_(source), out_(out), rng_(rng), encoder_(config.delta) {}

Duration TelemetryAgent::jitter(Duration max) {
  if (max.us <= 0) return Duration{0};
  const uint64_t draw = (uint64_t{rng_.next_u32()} << 32) | rng_.next_u32();
  return Duration{static_cast<int64_t>(draw % static_cast<uint64_t>(max.us))};
}

uint16_t TelemetryAgent::interval_s() const {
  const int64_t s = config_.report_interval.us / 1000000;
  return static_cast<uint16_t>(s < 1 ? 1 : (s > 0xFFFF ? 0xFFFF : s));
}

void TelemetryAgent::on_boot(Instant now) {
  encoder_.reset();
  respond_at_ = Instant::never();
  next_report_ = now + config_.first_report_delay + jitter(config_.start_jitter);
}

bool TelemetryAgent::send(Outbox& out, size_t size) {
  if (size == 0 || !out_.send(out, config_.root_id, config_.routing, std::span<const uint8_t>(frame_, size))) {
    ++stats_.send_failures;
    return false;
  }
  return true;
}

bool TelemetryAgent::send_json(Outbox& out, const NodeMetrics& m) {
  // A type-8 broadcast exists only on painlessMesh's tree; the package rides in its msg.
  const std::span<uint8_t> space = out.reserve();
  const size_t n = out_.transport() == Transport::kPainlessMesh
                       ? encode_enhanced_status_broadcast(make_enhanced_status(m, out_.self()), space, config_.enhanced_type)
                       : 0;
  if (n == 0 || !out.commit(0, Routing::kBroadcast, n)) {
    out.count_overflow();
    ++stats_.send_failures;
    return false;
  }
  last_report_bytes_ = n;
  stats_.report_bytes += n;
  return true;
}

void TelemetryAgent::report(Instant now, Outbox& out) {
  NodeMetrics m;
  source_.sample(now, m);
  ++stats_.reports;
  if (config_.format == StatusFormat::kEnhancedJson) {
    if (send_json(out, m)) ++stats_.enhanced;
    return;
  }
  size_t n = 0;
  if (config_.format == StatusFormat::kEnhancedBinary) {
    n = encode_enhanced_status_binary(make_enhanced_status(m, out_.self()), enhanced_seq_++, frame_);
  } else {
    n = encoder_.encode(m, interval_s(), frame_);
  }
  if (!send(out, n)) return;
  last_report_bytes_ = n;
  stats_.report_bytes += n;
  if (config_.format == StatusFormat::kEnhancedBinary) ++stats_.enhanced;
  else if (encoder_.last_was_snapshot()) ++stats_.snapshots;
  else ++stats_.deltas;
}

void TelemetryAgent::respond(Instant now, Outbox& out) {
  respond_at_ = Instant::never();
  StatusResponse r;
  r.request_id = request_id_;
  source_.sample(now, r.metrics);
  r.metrics.normalize();
  // The response carries the report stream's last sequence number but does not advance it.
  const size_t n = encode_status_response(r, encoder_.last_seq(), frame_);
  if (!send(out, n)) return;
  ++stats_.status_responses;
  stats_.response_bytes += n;
}

void TelemetryAgent::on_message(Instant now, NodeId, std::span<const uint8_t> message, Outbox& out) {
  if (!looks_like_telemetry(message)) return;
  TelemetryFrame f;
  if (open_telemetry_frame(message, f) != TelemetryStatus::kOk) return;
  if (f.type == TelemetryType::kSnapshotRequest) {
    SnapshotRequest req;
    if (decode_snapshot_request(f, req) != TelemetryStatus::kOk) return;
    ++stats_.snapshot_requests;
    if (config_.format != StatusFormat::kDelta || next_report_ == Instant::never()) return;
    encoder_.request_snapshot();
    report(now, out);
  } else if (f.type == TelemetryType::kStatusRequest) {
    StatusRequest req;
    if (decode_status_request(f, req) != TelemetryStatus::kOk) return;
    request_id_ = req.request_id;
    respond_at_ = now + jitter(config_.response_jitter);
  }
}

Instant TelemetryAgent::poll(Instant now, Outbox& out) {
  if (now >= respond_at_) respond(now, out);
  if (now >= next_report_) {
    report(now, out);
    // Keep the schedule (no drift from late polls), but never report twice for one late poll.
    next_report_ = next_report_ + config_.report_interval;
    if (next_report_ <= now) next_report_ = now + config_.report_interval;
  }
  return earliest(next_report_, respond_at_);
}

}  // namespace meshota::core
