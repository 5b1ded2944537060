#pragma once
// The node side of telemetry, as a Component: samples the MetricsSource every
// report interval and sends the report to the root in one of the seeds'
// formats (2C deltas by default, or the 2A package as painlessMesh JSON or as
// a binary frame); answers SNAPSHOT_REQUESTs at once and STATUS_REQUESTs (2B)
// after a random delay so that a mesh-wide query does not make every node
// answer in the same millisecond.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/component.hpp"
#include "meshota/core/hal/metrics_source.hpp"
#include "meshota/core/hal/rng.hpp"
#include "meshota/core/telemetry/codec/delta_encoder.hpp"
#include "meshota/core/telemetry/codec/enhanced_status.hpp"
#include "meshota/core/transport.hpp"

namespace meshota::core {

/// What the agent sends every report interval.
enum class StatusFormat : uint8_t {
  kDelta,           ///< 2C: SNAPSHOT/DELTA frames to the root
  kEnhancedJson,    ///< 2A: the EnhancedStatusPackage JSON as a type-8 broadcast (painlessMesh only)
  kEnhancedBinary,  ///< 2A's field set as a binary frame to the root
};

/// Agent parameters; the defaults are the seeds' 30 s status interval and 2C.
struct TelemetryAgentConfig {
  NodeId root_id = 0;                  ///< where reports and responses go
  Routing routing = Routing::kSingle;  ///< painlessMesh: SINGLE to the root; ESP-NOW: the host routes
  StatusFormat format = StatusFormat::kDelta;
  Duration report_interval = Duration::seconds(30);
  Duration first_report_delay = Duration::seconds(5);  ///< after boot, before the first report (the snapshot)
  Duration start_jitter = Duration::seconds(5);        ///< + uniform [0, this): a fleet booted together spreads out
  Duration response_jitter = Duration::millis(500);    ///< STATUS_RESPONSE after uniform [0, this)
  DeltaConfig delta;
  uint16_t enhanced_type = kEnhancedStatusType;        ///< 203 (fork v1.7.0) or 604 (later)
};

/// What the agent did, in messages and in message bytes (before the transport's envelope).
struct TelemetryAgentStats {
  uint32_t reports = 0;
  uint32_t snapshots = 0;
  uint32_t deltas = 0;
  uint32_t enhanced = 0;
  uint32_t status_responses = 0;
  uint32_t snapshot_requests = 0;  ///< received
  uint32_t send_failures = 0;      ///< messages the outbox or the transport refused
  uint64_t report_bytes = 0;       ///< telemetry message bytes of reports (JSON text for kEnhancedJson)
  uint64_t response_bytes = 0;
};

/// Node-side telemetry component.
class TelemetryAgent final : public Component {
 public:
  TelemetryAgent(const TelemetryAgentConfig& config, MetricsSource& source, const MessageOut& out, Rng& rng);

  void on_boot(Instant now) override;
  void on_message(Instant now, NodeId from, std::span<const uint8_t> message, Outbox& out) override;
  Instant poll(Instant now, Outbox& out) override;

  const TelemetryAgentStats& stats() const { return stats_; }
  const DeltaEncoder& encoder() const { return encoder_; }
  /// Size of the last report message in bytes (0 before the first).
  size_t last_report_bytes() const { return last_report_bytes_; }

 private:
  void report(Instant now, Outbox& out);
  void respond(Instant now, Outbox& out);
  bool send(Outbox& out, size_t size);
  bool send_json(Outbox& out, const NodeMetrics& m);
  Duration jitter(Duration max);
  uint16_t interval_s() const;

  TelemetryAgentConfig config_;
  MetricsSource& source_;
  MessageOut out_;
  Rng& rng_;
  DeltaEncoder encoder_;
  TelemetryAgentStats stats_;
  Instant next_report_ = Instant::never();
  Instant respond_at_ = Instant::never();
  uint32_t request_id_ = 0;
  uint8_t enhanced_seq_ = 0;
  size_t last_report_bytes_ = 0;
  uint8_t frame_[kTelemetryMaxFrameBytes] = {};
};

}  // namespace meshota::core
