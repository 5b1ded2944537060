#pragma once
// The root's per-node detector bank: which detectors watch which metric, with
// what defaults, and the state they keep (HealthSlot, ~140 bytes a node).

#include <cstdint>

#include "meshota/core/telemetry/detect/detectors.hpp"
#include "meshota/core/telemetry/node_metrics.hpp"

namespace meshota::core {

/// Detector parameters for every metric the collector watches.
struct DetectorConfig {
  /// Free heap falling away from its usual level (bytes; sigma floor 512 B).
  EwmaConfig low_heap{0.05f, 4.0f, 512.0f, 20, Direction::kLow, {}};
  /// Free heap trending to 10 KB within an hour (the seeds' low-memory alert).
  HoltConfig heap_leak{};
  /// Parent link RSSI dropping (dB; sigma floor 2 dB).
  EwmaConfig parent_rssi{0.05f, 4.0f, 2.0f, 20, Direction::kLow, {}};
  /// Parent link loss rising (%; sigma floor 5 %): a degrading tcp-tree link.
  EwmaConfig parent_loss{0.05f, 4.0f, 5.0f, 20, Direction::kHigh, {}};
  /// Messages dropped per report rising (sigma floor 1 message).
  EwmaConfig drop_rate{0.05f, 4.0f, 1.0f, 20, Direction::kHigh, {}};
  /// Send queue growing (frames; sigma floor 2).
  EwmaConfig queue_depth{0.05f, 4.0f, 2.0f, 20, Direction::kHigh, {}};
  BootLoopConfig boot_loop;
  OfflineConfig offline;
};

/// One raise or clear decided by a detector, before the collector stamps node and time.
struct HealthEvent {
  AlertMetric metric = AlertMetric::kLowHeap;
  bool raised = true;
  float value = 0;
  float threshold = 0;
};

/// One node's detector state at the root.
struct HealthSlot {
  NodeId id = 0;
  EwmaDetector low_heap;
  HoltDetector heap_leak;
  EwmaDetector parent_rssi;
  EwmaDetector parent_loss;
  EwmaDetector drop_rate;
  EwmaDetector queue_depth;
  BootLoopDetector boot_loop;
  OfflineWatch offline;
  uint32_t last_dropped = 0;
  uint32_t last_uptime_s = 0;
  uint32_t last_boot_count = 0;
  bool has_last = false;
  bool update_failed = false;
};

/// Runs every detector on one report; writes up to kMaxHealthEvents events, returns how many.
inline constexpr size_t kMaxHealthEvents = 8;
size_t run_health(HealthSlot& h, Instant now, const NodeMetrics& m, uint16_t report_interval_s,
                  const DetectorConfig& c, HealthEvent (&events)[kMaxHealthEvents]);

}  // namespace meshota::core
