#pragma once
// Slow-leak detection on one metric by Holt's linear smoothing (level and
// trend, two floats): the trend projects when the metric will cross a
// threshold, and a projected crossing within the horizon is anomalous (the
// seeds' health package names a memory trend and a time to failure). A level
// already past the threshold is anomalous too. With hysteresis.

#include <cstdint>

#include "meshota/core/telemetry/detect/ewma_detector.hpp"
#include "meshota/core/telemetry/detect/hysteresis.hpp"

namespace meshota::core {

/// Holt detector parameters; defaults suit free heap sampled every 30 s.
struct HoltConfig {
  float alpha = 0.3f;            ///< level smoothing
  float beta = 0.1f;             ///< trend smoothing
  float threshold = 10240.0f;    ///< the level that means trouble (seeds: low memory below 10 KB)
  Direction direction = Direction::kLow;  ///< kLow: trouble is falling to the threshold (kBoth acts as kLow)
  float horizon_s = 3600.0f;     ///< alarm when the crossing is projected within this time
  float min_slope_per_s = 0.0f;  ///< trends slower than this (units per second) are ignored
  uint8_t warmup = 10;           ///< points before any verdict (the trend needs a few)
  HysteresisConfig hysteresis;
};

/// One point's verdict; time_to_threshold_s < 0 means "not heading there".
struct HoltResult {
  AlarmEdge edge = AlarmEdge::kNone;
  bool anomalous = false;
  float level = 0;
  float trend_per_s = 0;
  float time_to_threshold_s = -1.0f;
};

/// Holt level + trend + projection + hysteresis for one metric: 12 bytes.
class HoltDetector {
 public:
  /// `dt_s`: seconds since the previous point (the node's report interval, or its uptime step).
  HoltResult update(float x, float dt_s, const HoltConfig& c);
  bool active() const { return hysteresis_.active(); }
  float level() const { return level_; }
  float trend_per_s() const { return trend_; }
  void reset() { *this = HoltDetector{}; }

 private:
  float level_ = 0;
  float trend_ = 0;  // units per second
  uint8_t n_ = 0;
  Hysteresis hysteresis_;
};
static_assert(sizeof(HoltDetector) <= 16, "state per metric must stay within 16 bytes");

}  // namespace meshota::core
