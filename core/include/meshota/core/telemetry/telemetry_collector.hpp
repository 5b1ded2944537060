#pragma once
// The root side of telemetry, as a Component: decodes 2C reports (asking for
// a snapshot after a gap), keeps each node's latest status (2B), runs the
// detectors, answers 2A packages from painlessMesh nodes, runs status
// aggregations, and tells its host (the simulator, a gateway) every report
// and alert through a CollectorListener. All per-node state lives in storage
// the host provides, so the same code serves an ESP32 root with 50 nodes and
// a simulated root with 10,000.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/component.hpp"
#include "meshota/core/telemetry/codec/delta_decoder.hpp"
#include "meshota/core/telemetry/codec/enhanced_status.hpp"
#include "meshota/core/telemetry/detect/node_health.hpp"
#include "meshota/core/telemetry/status_service.hpp"
#include "meshota/core/transport.hpp"

namespace meshota::core {

/// Collector parameters.
struct TelemetryCollectorConfig {
  Routing routing = Routing::kSingle;  ///< how requests reach a node (painlessMesh: SINGLE)
  Duration snapshot_request_backoff = Duration::seconds(5);  ///< at most one SNAPSHOT_REQUEST per node per this
  uint16_t requests_per_poll = 8;                  ///< STATUS_REQUESTs sent per poll of an aggregation
  Duration request_spacing = Duration::millis(50); ///< between those batches
  DetectorConfig detectors;
  StatusServiceConfig status;
  uint16_t enhanced_type = kEnhancedStatusType;
};

/// What the collector tells its host; every method has an empty default.
class CollectorListener {
 public:
  /// A report was applied: `m` is the node's reconstructed state.
  virtual void on_report(Instant, NodeId, const NodeMetrics& /*m*/, bool /*snapshot*/) {}
  virtual void on_alert(const Alert&) {}
  /// A 2A package arrived (JSON broadcast or binary frame).
  virtual void on_enhanced_status(Instant, const EnhancedStatus&) {}
  virtual void on_status_response(Instant, NodeId, const NodeMetrics&, bool /*counted*/) {}
  virtual void on_aggregation_done(Instant, const AggregationStatus&) {}

 protected:
  ~CollectorListener() = default;
};

/// Counts for reports.
struct CollectorStats {
  uint32_t frames = 0;            ///< telemetry frames received
  uint32_t bad_frames = 0;        ///< refused by the frame check (CRC, version, ...)
  uint32_t snapshots = 0;
  uint32_t deltas = 0;
  uint32_t not_applied = 0;       ///< deltas that needed a snapshot first
  uint32_t duplicates = 0;
  uint32_t table_full = 0;
  uint32_t snapshot_requests = 0; ///< sent
  uint32_t status_requests = 0;   ///< sent
  uint32_t status_responses = 0;
  uint32_t enhanced = 0;
  uint32_t alerts_raised = 0;
  uint32_t alerts_cleared = 0;
  uint32_t send_failures = 0;
};

/// Per-node storage for a collector of N nodes (one static object on an ESP root).
template <size_t N>
struct CollectorStorage {
  DecoderSlot decoder[N];
  NodeStatus status[N];
  HealthSlot health[N];
};

/// Root-side telemetry component.
class TelemetryCollector final : public Component {
 public:
  static constexpr size_t kAlertLog = 32;

  TelemetryCollector(const TelemetryCollectorConfig& config, const MessageOut& out, std::span<DecoderSlot> decoder,
                     std::span<NodeStatus> status, std::span<HealthSlot> health, CollectorListener* listener = nullptr);
  template <size_t N>
  TelemetryCollector(const TelemetryCollectorConfig& config, const MessageOut& out, CollectorStorage<N>& storage,
                     CollectorListener* listener = nullptr)
      : TelemetryCollector(config, out, storage.decoder, storage.status, storage.health, listener) {}

  void on_boot(Instant) override {}
  void on_package(Instant now, const JsonReader& json, int type, Outbox& out) override;
  void on_message(Instant now, NodeId from, std::span<const uint8_t> message, Outbox& out) override;
  Instant poll(Instant now, Outbox& out) override;

  /// Starts a status aggregation over the known nodes matching `targets` (0 when one is running).
  uint32_t begin_aggregation(Instant now, const StatusFilter& targets);
  /// Asks `node` for a snapshot now (the host's "rebirth"); false when it could not be sent.
  bool request_snapshot(Instant now, NodeId node, Outbox& out);

  StatusService& status() { return status_; }
  const StatusService& status() const { return status_; }
  const DeltaDecoder& decoder() const { return decoder_; }
  const CollectorStats& stats() const { return stats_; }
  /// The last alerts (oldest first), at most kAlertLog.
  size_t alert_count() const { return alerts_seen_ < kAlertLog ? alerts_seen_ : kAlertLog; }
  const Alert& alert(size_t i) const;

 private:
  void on_report(Instant now, NodeId from, const DecoderSlot& slot, bool snapshot);
  void on_telemetry(Instant now, NodeId from, const TelemetryFrame& f, Outbox& out);
  void heard(Instant now, NodeId from, uint32_t interval_ms);
  void emit(const Alert& a);
  bool send_snapshot_request(Instant now, DecoderSlot& slot, SnapshotReason reason, Outbox& out);
  void check_offline(Instant now);
  Instant send_status_requests(Instant now, Outbox& out);

  TelemetryCollectorConfig config_;
  MessageOut out_;
  DeltaDecoder decoder_;
  StatusService status_;
  NodeTable<HealthSlot> health_;
  CollectorListener* listener_;
  CollectorStats stats_;
  Instant next_offline_check_ = Instant::never();
  Instant next_request_at_ = Instant::never();
  uint8_t seq_ = 0;
  Alert alerts_[kAlertLog];
  size_t alerts_seen_ = 0;
  uint8_t frame_[kTelemetryMaxFrameBytes] = {};
  char json_scratch_[640] = {};
};

}  // namespace meshota::core
