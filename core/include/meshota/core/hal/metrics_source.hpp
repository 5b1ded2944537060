#pragma once

#include "meshota/core/telemetry/node_metrics.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// What the node measures about itself: esp_* APIs on a node, the simulation in the simulator.
class MetricsSource {
 public:
  /// Fills `out` (reset to NodeMetrics{} by the caller) with the measurements at `now`; fields
  /// the platform cannot measure keep their "not measured" defaults.
  virtual void sample(Instant now, NodeMetrics& out) = 0;

 protected:
  ~MetricsSource() = default;
};

}  // namespace meshota::core
