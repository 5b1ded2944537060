#include "meshota/core/telemetry/detect/holt_detector.hpp"

namespace meshota::core {

HoltResult HoltDetector::update(float x, float dt_s, const HoltConfig& c) {
  HoltResult r;
  if (!(dt_s > 0.0f)) dt_s = 1.0f;
  if (n_ == 0) {
    level_ = x;
    trend_ = 0;
  } else {
    const float previous = level_;
    level_ = c.alpha * x + (1.0f - c.alpha) * (previous + trend_ * dt_s);
    trend_ = c.beta * (level_ - previous) / dt_s + (1.0f - c.beta) * trend_;
  }
  if (n_ < 255) ++n_;
  r.level = level_;
  r.trend_per_s = trend_;
  // Project toward the threshold in the direction that means trouble.
  const bool high = c.direction == Direction::kHigh;
  const float gap = high ? c.threshold - level_ : level_ - c.threshold;  // > 0: not there yet
  const float speed = high ? trend_ : -trend_;                          // > 0: heading there
  if (gap <= 0.0f) r.time_to_threshold_s = 0.0f;
  else if (speed > c.min_slope_per_s && speed > 0.0f) r.time_to_threshold_s = gap / speed;
  if (n_ < c.warmup) return r;
  r.anomalous = r.time_to_threshold_s >= 0.0f && r.time_to_threshold_s <= c.horizon_s;
  r.edge = hysteresis_.update(r.anomalous, c.hysteresis);
  return r;
}

}  // namespace meshota::core
